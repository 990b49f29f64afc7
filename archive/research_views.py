"""Pages of the research tools: citations of turns and events (page and downloads), an event
as an Akoma Ntoso document.

Views stay thin here as elsewhere: find the row, ask the tool's module (`archive.citations`),
render.
"""

import json

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from archive import citations
from archive.akoma_ntoso import to_akn
from archive.models import Event, Turn


def turn_citation(request, turn):
    """The citation of a turn as of today, with its absolute permalink."""
    url = request.build_absolute_uri(turn.get_absolute_url())
    item = citations.turn_item(turn, url, timezone.localdate())
    return citations.citation(item, reverse("archive:cite_turn", args=[turn.public_id]).removesuffix("/") + ".")


def event_citation(request, event, participations):
    url = request.build_absolute_uri(event.get_absolute_url())
    item = citations.event_item(event, participations, url, timezone.localdate())
    return citations.citation(item, reverse("archive:cite_event", args=[event.slug]).removesuffix("/") + ".")


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
    return _citation_response(request, turn_citation(request, turn), format, context)


def cite_event(request, slug, format=None):
    event = get_object_or_404(Event.objects.published(), slug=slug)
    participations = event.participations.select_related("speaker")
    context = {"cited": event, "event": event, "what": "event"}
    return _citation_response(request, event_citation(request, event, participations), format, context)


def event_akoma_ntoso(request, slug):
    event = get_object_or_404(Event.objects.published(), slug=slug)
    turns = list(event.turns.select_related("speaker").order_by("sequence"))
    participations = event.participations.select_related("speaker")
    url = request.build_absolute_uri(event.get_absolute_url())
    xml = to_akn(event, turns, participations, url=url, generated=timezone.localdate())
    response = HttpResponse(xml, content_type="application/akn+xml; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{event.slug}.akn.xml"'
    return response
