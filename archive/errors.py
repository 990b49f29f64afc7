"""What the archive answers when a page cannot be shown: error pages in the site's layout, with
its navigation, a search box and a way back; JSON in the API's own shape under /api/.

The 500 page is rendered from the template alone (no request, no context processors, no
database), so that it still renders when the database is what failed. Over-long addresses get
the app's own 414 page from `AddressMiddleware` (gunicorn passes request lines of up to 1 MiB
to the app, see archive/gunicorn.conf.py) and, beyond that, from `archive.serving`.
"""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

API_PREFIX = "/api/"

# status: (title, what happened and what to do, in the reader's words)
ERRORS = {
    400: ("Bad request", "The address or the form you sent could not be understood."),
    403: ("Forbidden", "You may not open this page. If you were filling in a form, reload the page and try again."),
    404: (
        "Page not found",
        "There is no page at this address. It may have been mistyped, or the item is no longer published.",
    ),
    414: (
        "Address too long",
        "This address is longer than the archive accepts. Shorten the search words, or start again below.",
    ),
    431: ("Request too large", "This request is larger than the archive accepts. Start again below."),
    500: ("Server error", "Something went wrong on our side; it has been logged. Please try again in a moment."),
}
API_DETAILS = {
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    414: "URI Too Long",
    431: "Request Header Fields Too Large",
    500: "Internal Server Error",
}


def error_html(status):
    """The error page for a status, rendered without a request: nothing on it reads the database."""
    title, message = ERRORS[status]
    return render_to_string("error.html", {"status": status, "title": title, "message": message})


def error_response(request, status):
    if request is not None and request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": API_DETAILS[status]}, status=status)
    return HttpResponse(error_html(status), status=status)


def bad_request(request, exception=None):
    return error_response(request, 400)


def permission_denied(request, exception=None):
    return error_response(request, 403)


def csrf_failure(request, reason=""):
    return error_response(request, 403)


def page_not_found(request, exception=None):
    return error_response(request, 404)


def server_error(request):
    return error_response(request, 500)


class AddressMiddleware:
    """Before any view: an address longer than settings.ARCHIVE_MAX_URL_BYTES gets the 414 page
    (a search query of 2,000 characters, percent-encoded, stays well below); a path with a NUL
    character is a 404 (no page has one), and a NUL in the query string is read as a space, as
    the search box reads every control character (no parameter can hold one, and PostgreSQL
    refuses them in a query)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path, query = request.META.get("PATH_INFO", ""), request.META.get("QUERY_STRING", "")
        if len(path.encode()) + len(query) > settings.ARCHIVE_MAX_URL_BYTES:
            return error_response(request, 414)
        if "\x00" in path:
            return error_response(request, 404)
        if "%00" in query:
            request.META["QUERY_STRING"] = query.replace("%00", "%20")
            request.__dict__.pop("GET", None)  # parsed again from the cleaned string
        return self.get_response(request)
