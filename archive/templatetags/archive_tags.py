"""Template helpers for the public pages."""

import calendar

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.urls import reverse
from django.utils.html import format_html, format_html_join, linebreaks
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from archive.models import IndexTask

register = template.Library()


@register.simple_tag(takes_context=True)
def url_with(context, key, value=None):
    """The current query string with `key` set to value (or removed when value is None), and
    the page number dropped: for facet links and removable filters."""
    return _query_with(context["request"].GET, key, value, sort=True)


@register.simple_tag(takes_context=True)
def url_set(context, key=None, value=None, path=""):
    """path and the current query string with `key` set to value (or removed when value is
    None), keeping every value of repeated parameters (?q=a&q=b) and dropping the page number."""
    query = _query_with(context["request"].GET, key, value)
    return path + query if query != "?" else (path or "?")


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


def _url_parts(name):
    """The URL of `name` before and after its one argument: reverse() once a page, not once a link."""
    before, after = reverse(name, args=["-"]).rsplit("/-/", 1)
    return before + "/", "/" + after


def _around(parts, argument):
    return parts[0], argument, parts[1]


@register.simple_tag
def search_hits(hits):
    """The <li> of each hit of a search page, rendered in Python: through template tags the 20
    hits were a third of an uncached search page's time."""
    urls = {
        name: _url_parts(f"archive:{name}")
        for name in ("turn_permalink", "cite_turn", "speaker_detail", "event_detail")
    }
    return mark_safe("\n".join(_hit_item(hit, urls) for hit in hits))  # noqa: S308


def _hit_item(hit, urls):
    turn, event, speaker = hit.turn, hit.turn.event, hit.turn.speaker
    if speaker and not speaker.event_id:
        who = format_html('<a href="{}{}{}">{}</a>', *_around(urls["speaker_detail"], speaker.slug), speaker.name)
    else:
        who = (speaker.name if speaker else "") or turn.label or "Unattributed"
    place = format_html(" · {}", event.place) if event.place else ""
    question = turn.in_reply_to
    if question:
        asker = question.speaker
        asked = f" {asker.name}" if asker and not asker.event_id else " a question"
        question = format_html(
            '\n<p class="hit-question">In reply to{}: “{}”</p>', asked, Truncator(question.text).chars(140)
        )
    snippet = hit.snippet or Truncator(turn.text).words(40, truncate=" …")
    return format_html(
        '<li class="hit turn-{}">\n<p class="hit-who">{} <span class="kind">{}</span></p>\n'
        '<p class="hit-event"><a href="{}{}{}#{}">{}</a> <span class="meta">{}{}</span></p>{}\n'
        '<p class="snippet">{}</p>\n'
        '<p class="hit-tools"><a href="{}{}{}">Permalink</a> · <a href="{}{}{}">Cite</a></p>\n</li>',
        turn.kind, who, turn.get_kind_display().lower(),
        *_around(urls["event_detail"], event.slug), turn.anchor, event.title, event.date_display, place, question or "",
        snippet,
        *_around(urls["turn_permalink"], turn.public_id), *_around(urls["cite_turn"], turn.public_id),
    )  # fmt: skip


def _grouped(number):
    """intcomma's "1,234" for an int, without its per-call locale lookups."""
    return f"{number:,}" if isinstance(number, int) else intcomma(number)


def _query_with(params, key=None, value=None, *, sort=False):
    """The query string of params with `key` set to value (removed when value is None; nothing
    changed when key is None) and the page number dropped."""
    params = params.copy()
    params.pop("page", None)
    if key:
        params.pop(key, None)
        if value not in (None, ""):
            params[key] = value
    if sort:
        return "?" + urlencode(sorted(params.items()), doseq=False) if params else "?"
    return f"?{params.urlencode()}" if params else "?"


@register.simple_tag(takes_context=True)
def facet_items(context, facet, values):
    """The <li> of a facet's values, each a link that applies it (up to FACET_LIMIT a facet)."""
    params = context["request"].GET
    items = []
    for item in values:
        if item.selected:
            items.append(format_html("<li><strong>{}</strong> ({})</li>", item.label, _grouped(item.count)))
        else:
            link = _query_with(params, facet.param, item.value, sort=True)
            items.append(
                format_html(
                    '<li><a href="{}">{}</a> <span class="count">({})</span></li>',
                    link,
                    item.label,
                    _grouped(item.count),
                )
            )
    return mark_safe("\n".join(items))  # noqa: S308


@register.simple_tag(takes_context=True)
def trend_rows(context, trend):
    """The table rows of a trend, one a period (a year links to its months)."""
    params = context["request"].GET
    rows = []
    for period, values in trend.rows:
        if not trend.year and period.turns:
            label = format_html(
                '<a href="{}" title="Months of {}">{}</a>',
                _query_with(params, "year", period.key),
                period.label,
                period.label,
            )
        else:
            label = period.label
        cells = format_html_join(
            "",
            "<td>{}</td><td>{}</td>",
            ((_grouped(count), "–" if rate is None else _grouped(rate)) for count, rate in values),
        )
        rows.append(format_html('<tr><th scope="row">{}</th><td>{}</td>{}</tr>', label, _grouped(period.turns), cells))
    return mark_safe("\n".join(rows))  # noqa: S308


@register.simple_tag
def chart_points(line, show_values):
    """A line chart's markers for one series, each with its value as a tooltip (and printed)."""
    return format_html_join(
        "",
        '<use href="#marker-{}" x="{}" y="{}"><title>{}: {}</title></use>{}',
        ((line.style, p.x, p.y, p.label, p.value, _point_value(p) if show_values else "") for p in line.points),
    )


def _point_value(point):
    return format_html(
        '<text class="value" x="{}" y="{}" dy="-9" text-anchor="middle">{}</text>', point.x, point.y, point.value
    )
