"""Public pages: each view validates its input, asks the models' QuerySets, and renders."""

import calendar
import datetime
import logging

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Max, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from archive import citations, search, trends
from archive.charts import year_chart
from archive.contents import table_of_contents
from archive.forms import EventFilterForm, SearchForm
from archive.models import Event, Speaker, SpeakerRedirect, Turn
from archive.transcripts import transcript_json, transcript_text

logger = logging.getLogger(__name__)

EVENTS_PER_PAGE = 25
EVENT_CACHE_SECONDS = 24 * 3600
SEARCH_CACHE_SECONDS = 600


def cached_page(key, seconds, build):
    """The page cached under key, or build() it and keep it; no key: never cached. Public pages
    only: nothing in them depends on who asks."""
    if key and (content := cache.get(key)) is not None:
        return HttpResponse(content)
    response = build()
    if key:
        cache.set(key, response.content, seconds)
    return response


def home(request):
    events = Event.objects.published()
    context = {
        "event_count": events.count(),
        "turn_count": Turn.objects.published().count(),
        "speaker_count": Speaker.objects.listed().count(),
        "latest_events": events.newest_first()[:10],
        "years": events.exclude(year__isnull=True).values("year").annotate(n=Count("id")).order_by("-year"),
        "undated_count": events.filter(year__isnull=True).count(),
    }
    return render(request, "archive/home.html", context)


def event_list(request, year=None, month=None, undated=False):
    if month is not None and not 1 <= month <= 12:
        raise Http404("No such month")
    if year is not None and not datetime.MINYEAR <= year <= datetime.MAXYEAR:
        raise Http404("No such year")
    form = EventFilterForm(request.GET, countries=Event.objects.published().country_counts())
    events = form.filter(Event.objects.published())
    if undated:
        events, heading = events.undated(), "Undated events"
    elif month is not None:
        events, heading = events.in_month(year, month), f"Events in {calendar.month_name[month]} {year}"
    elif year is not None:
        events, heading = events.in_year(year), f"Events in {year}"
    else:
        heading = "Events"
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "form": form,
        "heading": heading,
        "year": year,
        "months": Event.objects.published().in_year(year).month_counts() if year and month is None else [],
    }
    return render(request, "archive/event_list.html", context)


def event_detail(request, slug):
    event = get_object_or_404(Event.objects.published(), slug=slug)
    speakers = Speaker.objects.filter(
        Q(pk__in=event.turns.values("speaker")) | Q(pk__in=event.participations.values("speaker"))
    )
    speakers_version = speakers.aggregate(v=Max("updated_at"))["v"]
    # ?speaker=<slug>: the same page with only that speaker's turns (one of this event's speakers).
    only = request.GET.get("speaker") or None
    only_speaker = only and speakers.filter(slug=only).first()
    if only and not only_speaker:
        raise Http404("No such speaker in this event")
    # The page is kept until the event (its turns and participants included: every change to
    # them saves the event or bumps its updated_at) or one of its speakers changes.
    key = f"event-page:{event.pk}:{event.updated_at.isoformat()}:{speakers_version and speakers_version.isoformat()}"
    key += f":only={only_speaker.pk}" if only else ""
    key += f":{timezone.localdate()}:{request.build_absolute_uri('/')}"  # the citation's access date and permalink

    def build():
        participations = event.participations.select_related("speaker")
        replies_to = "in_reply_to__speaker" if only else "in_reply_to"  # an answer shown alone names its asker
        turns = list(event.turns.select_related("speaker", replies_to).order_by("sequence"))
        shown = [turn for turn in turns if turn.speaker_id == only_speaker.pk] if only else turns
        context = {
            "event": event,
            "turns": shown,
            "turn_count": len(turns),
            "only": only_speaker,
            # in-page links lead to the whole transcript when one speaker is shown alone
            "here": request.path if only else "",
            "contents": table_of_contents(turns),
            "participations": participations,
            "citation": citations.for_event(request, event, participations),
            # URL prefixes instead of reverse() for each of a long briefing's hundreds of links
            "turn_url": reverse("archive:turn_permalink", args=["-"])[:-2],
            "speaker_url": reverse("archive:speaker_detail", args=["-"])[:-2],
        }
        return render(request, "archive/event_detail.html", context)

    return cached_page(key, EVENT_CACHE_SECONDS, build)


def event_transcript(request, slug, format):
    if format not in ("txt", "json"):
        raise Http404("No such format")
    event = get_object_or_404(Event.objects.published(), slug=slug)
    turns = list(event.turns.select_related("speaker", "in_reply_to").order_by("sequence"))
    if format == "txt":
        response = HttpResponse(transcript_text(event, turns), content_type="text/plain; charset=utf-8")
    else:
        data = transcript_json(event, turns, request.build_absolute_uri)
        response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = f'inline; filename="{event.slug}.{format}"'
    return response


def healthz(request):
    """For load balancers and monitoring: 200 when the database and the search index both
    answer, 503 (with which one failed) when either does not."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        Event.objects.exists()  # the schema is there, not only the server
        checks["database"] = "ok"
    except Exception as error:  # any failure means unusable
        logger.error("health check: database unusable: %s", error)
        checks["database"] = "unavailable"
    try:
        search.health()
        checks["search"] = "ok"
    except Exception as error:
        logger.error("health check: search index unusable: %s", error)
        checks["search"] = "unavailable"
    healthy = all(value == "ok" for value in checks.values())
    response = JsonResponse({"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503)
    response["Cache-Control"] = "no-store"
    return response


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def favicon(request):
    """/favicon.ico, which browsers ask for whatever the page links to."""
    icon = (settings.BASE_DIR / "static" / "archive" / "favicon.ico").read_bytes()
    response = HttpResponse(icon, content_type="image/vnd.microsoft.icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response


def speaker_list(request):
    letter = (request.GET.get("letter") or "").upper()[:1]
    kind = request.GET.get("kind") or ""
    speakers = Speaker.objects.listed().with_counts().order_by("name", "slug")
    if letter.isalpha():
        speakers = speakers.filter(name__istartswith=letter)
    if kind in Speaker.Kind.values:
        speakers = speakers.of_kind(kind)
    page = Paginator(speakers, 100).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "letters": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "letter": letter,
        "kind": kind,
        "kinds": Speaker.Kind.choices,
    }
    return render(request, "archive/speaker_list.html", context)


def speaker_detail(request, slug):
    speaker = Speaker.objects.filter(slug=slug).first()
    if speaker is None:
        # a speaker merged into another: their old URL (cited somewhere) leads to the one kept
        return redirect(get_object_or_404(SpeakerRedirect, old_slug=slug).speaker, permanent=True)
    turns = Turn.objects.published().by_speaker(speaker)
    page = Paginator(turns.select_related("event").order_by("-event__date", "-pk"), 20).get_page(
        request.GET.get("page")
    )
    per_year = (
        turns.exclude(event__year__isnull=True)
        .values_list("event__year")
        .annotate(n=Count("id"))
        .order_by("event__year")
    )
    events = Event.objects.published().with_speaker(speaker.slug).newest_first()
    context = {
        "speaker": speaker,
        "page": page,
        "aliases": speaker.aliases.all(),
        "events": events[:25],
        "event_count": events.count(),
        "chart": year_chart(per_year, "Turns per year"),
    }
    return render(request, "archive/speaker_detail.html", context)


def turn_permalink(request, public_id):
    turn = get_object_or_404(
        Turn.objects.published().select_related("event", "speaker", "in_reply_to__speaker"), public_id=public_id
    )
    context = {
        "turn": turn,
        "event": turn.event,
        "replies": turn.replies.select_related("speaker").order_by("sequence"),
        "similar": similar_turns(turn),
        "citation": citations.for_turn(request, turn),
    }
    return render(request, "archive/turn_detail.html", context)


def similar_turns(turn):
    """The turns `search.more_like_this` finds, in its order, each with its words, speaker and
    event (fetched by id in one query, whatever form the engine's results take)."""
    pks = [getattr(found, "pk", found) for found in search.more_like_this(turn)]
    turns = Turn.objects.published().select_related("speaker", "event").in_bulk(pks)
    return [turns[pk] for pk in pks if pk in turns]


def search_page(request):
    # A results page is kept until the index changes (every edit reaches it within seconds):
    # the same query, asked again and again when a story breaks, costs one cache read.
    def build():
        form = SearchForm(request.GET)
        arguments = form.search_arguments()
        results = search.search_turns(**arguments)
        trend = trends.for_search(arguments, results, normalised=request.GET.get("per") == "10k")
        context = {"form": form, "results": results, "trend": trend, "chart": trends.chart(trend)}
        return render(request, "archive/search.html", context)

    key = search.cache_key("search page", request.GET.urlencode())
    return cached_page(key, SEARCH_CACHE_SECONDS, lambda: search.prioritised(build))
