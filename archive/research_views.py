"""Pages of the research tools: the quote finder, citations of turns and events (page and
downloads), an event as an Akoma Ntoso document, a phrase over time (page and CSV).

Views stay thin here as elsewhere: find the row, ask the tool's module (`archive.citations`),
render.
"""

import json

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from archive import citations, quotes, search, trends
from archive.akoma_ntoso import to_akn
from archive.forms import SearchForm
from archive.models import Event, Turn
from archive.views import SEARCH_CACHE_SECONDS, cached_page


def _citation_response(request, citation, format, context):
    if format is None:
        return render(request, "archive/cite.html", {"citation": citation, **context})
    if format not in citations.FORMATS:
        raise Http404("No such citation format")
    if format == "bib":
        content = citation.bibtex
    else:  # a CSL-JSON file holds a list of items
        content = json.dumps([citation.item], ensure_ascii=False, indent=2) + "\n"
    response = HttpResponse(content, content_type=citations.CONTENT_TYPES[format])
    response["Content-Disposition"] = f'attachment; filename="{citation.item["id"]}.{format}"'
    return response


def cite_turn(request, public_id, format=None):
    turn = get_object_or_404(Turn.objects.published().select_related("event", "speaker"), public_id=public_id)
    context = {"cited": turn, "event": turn.event, "what": "turn"}
    return _citation_response(request, citations.for_turn(request, turn), format, context)


def cite_event(request, slug, format=None):
    event = get_object_or_404(Event.objects.published(), slug=slug)
    participations = event.participations.select_related("speaker")
    context = {"cited": event, "event": event, "what": "event"}
    return _citation_response(request, citations.for_event(request, event, participations), format, context)


def event_akoma_ntoso(request, slug):
    event = get_object_or_404(Event.objects.published(), slug=slug)
    turns = list(event.turns.select_related("speaker").order_by("sequence"))
    participations = event.participations.select_related("speaker")
    url = request.build_absolute_uri(event.get_absolute_url())
    xml = to_akn(event, turns, participations, url=url, generated=timezone.localdate())
    response = HttpResponse(xml, content_type="application/akn+xml; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{event.slug}.akn.xml"'
    return response


TREND_FILTERS = ("speaker", "kind", "place", "event", "year", "date_from", "date_to")


def _trend(request):
    """The trend of ?q=…&q=… (up to three), narrowed by the search page's filters (?speaker=,
    ?kind=, ?place=, dates); ?year=YYYY gives its months, ?per=10k rates per 10,000 turns."""
    arguments = SearchForm(request.GET).search_arguments()
    return trends.for_queries(request.GET.getlist("q"), arguments, normalised=request.GET.get("per") == "10k")


def trends_page(request):
    def build():
        trend = _trend(request)
        shown = [series.query for series in trend.series] if trend else []
        context = {
            "trend": trend,
            "chart": trends.chart(trend),
            "slots": (shown + [""] * trends.MAX_QUERIES)[: trends.MAX_QUERIES],
            # filters that came with the link (a search page's), kept when the queries change
            "kept": [(name, request.GET[name]) for name in TREND_FILTERS if request.GET.get(name)],
        }
        return render(request, "archive/trends.html", context)

    key = search.cache_key("trends page", request.GET.urlencode())
    return cached_page(key, SEARCH_CACHE_SECONDS, lambda: search.prioritised(build))


def trends_csv(request):
    trend = _trend(request)
    if trend is None:
        raise Http404("Give at least one query: ?q=…")
    response = HttpResponse(trends.as_csv(trend), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="trend-{trend.year or "years"}.csv"'
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def quote_finder(request):
    """A pasted quotation (the form posts it: 400 words do not fit in a URL; ?q= works too, for
    links) and the turns it comes from."""
    text = request.POST.get("q", "") if request.method == "POST" else request.GET.get("q", "")
    result = quotes.find(text) if text.strip() else None
    found = [(match, citations.for_turn(request, match.turn)) for match in result.matches] if result else []
    return render(request, "archive/quote.html", {"result": result, "found": found, "text": text})
