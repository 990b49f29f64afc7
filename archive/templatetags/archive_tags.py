"""Template helpers for the public pages."""

import calendar

from django import template
from django.utils.html import format_html, linebreaks
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from archive.models import IndexTask

register = template.Library()


@register.simple_tag(takes_context=True)
def url_with(context, key, value=None):
    """The current query string with `key` set to value (or removed when value is None), and
    the page number dropped: for facet links and removable filters."""
    params = context["request"].GET.copy()
    params.pop("page", None)
    params.pop(key, None)
    if value not in (None, ""):
        params[key] = value
    return "?" + urlencode(sorted(params.items()), doseq=False) if params else "?"


@register.simple_tag(takes_context=True)
def url_set(context, key=None, value=None, path=""):
    """path and the current query string with `key` set to value (or removed when value is
    None), keeping every value of repeated parameters (?q=a&q=b) and dropping the page number."""
    params = context["request"].GET.copy()
    params.pop("page", None)
    if key:
        params.pop(key, None)
        if value not in (None, ""):
            params[key] = value
    return f"{path}?{params.urlencode()}" if params else (path or "?")


@register.simple_tag(takes_context=True)
def url_page(context, number):
    params = context["request"].GET.copy()
    params["page"] = number
    return "?" + params.urlencode()


@register.simple_tag(takes_context=True)
def count_in_query(context, names):
    """How many of the space-separated parameters the current query string sets: the filters in use."""
    params = context["request"].GET
    return sum(1 for name in names.split() if params.get(name))


@register.filter
def month_name(number):
    return calendar.month_name[int(number)]


@register.simple_tag
def queued_index_changes():
    """How many changes the search index has yet to take in: many after a first start (bin/serve
    indexes beside the server), a few for seconds after an edit."""
    return IndexTask.objects.count()


@register.simple_tag(takes_context=True)
def transcript_turns(context, turns):
    """The <li> of each turn of an event page, rendered in Python: a briefing has up to 300 turns,
    and the same markup through template tags was most of the page's uncached time (about 1 ms a
    turn). `only`: one speaker's turns shown alone, whose answers then quote their question."""
    turn_url, speaker_url = context["turn_url"], context["speaker_url"]
    here, only = context["here"], context["only"]
    return mark_safe("\n".join(_turn_item(turn, turn_url, speaker_url, here, only) for turn in turns))  # noqa: S308


def _turn_item(turn, turn_url, speaker_url, here, only):
    if turn.kind == "stage_direction":
        body = format_html('<p class="stage">{}</p>', turn.text)
    else:
        speaker = turn.speaker
        if speaker and not speaker.event_id:
            who = format_html('<a href="{}{}/">{}</a>', speaker_url, speaker.slug, turn.label or speaker.name)
        else:
            who = turn.label or (speaker.name if speaker else "(unlabelled)")
        asked_by = ""
        if turn.kind == "question" and speaker and speaker.kind == "journalist" and not speaker.event_id:
            organisation = f", {speaker.organisation}" if speaker.organisation else ""
            asked_by = format_html(' <span class="asked-by">{}{}</span>', speaker.name, organisation)
        text = mark_safe(linebreaks(turn.text, autoescape=True))  # noqa: S308 - escaped by linebreaks
        body = format_html(
            '<p class="turn-who">{}{} <a class="permalink" href="{}{}/" aria-label="Permalink to turn {}">#{}</a></p>\n'
            '<div class="turn-text">{}</div>',
            who, asked_by, turn_url, turn.public_id, turn.sequence, turn.sequence, text,
        )  # fmt: skip
        question = turn.in_reply_to
        if question:
            if only:
                asker = (question.speaker.name if question.speaker else "") or question.label
                quoted = format_html(" of {}: “{}”", asker, Truncator(question.text).words(25, truncate=" …"))
            else:
                quoted = "."
            body += format_html(
                '\n<p class="reply-to">In reply to <a href="{}#{}">the question</a>{}</p>',
                here,
                question.anchor,
                quoted,
            )
    return format_html('<li id="{}" class="turn turn-{}">\n{}\n</li>', turn.anchor, turn.kind, body)
