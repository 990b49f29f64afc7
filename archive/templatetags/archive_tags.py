"""Template helpers for the public pages."""

import calendar

from django import template
from django.utils.http import urlencode

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
