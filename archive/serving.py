"""What gunicorn needs from the archive beyond WSGI, through the hooks in archive/gunicorn.conf.py:
the address it really listens on, no `Server` header naming the server software, and the
archive's own pages for requests too large for gunicorn to pass to the app (414, 431)."""

from gunicorn import util
from gunicorn.http import wsgi
from gunicorn.http.errors import LimitRequestHeaders, LimitRequestLine


def announce(server):
    """Print where the archive is, from the sockets gunicorn bound (not from the settings)."""
    for listener in server.LISTENERS:
        address = str(listener)
        if address.startswith("http"):
            print(f"\nThe archive is at {address}/ (admin: {address}/admin/)\n", flush=True)
        else:
            print(f"\nThe archive listens on {address}\n", flush=True)


def adopt(worker):
    """Called in each worker once the app is loaded."""
    _drop_server_header()
    _answer_refused_requests(worker)


def _drop_server_header():
    # gunicorn writes `Server: gunicorn` itself and refuses one from the app (a hop-by-hop
    # header to it); it has no setting to leave it out.
    default_headers = wsgi.Response.default_headers
    if getattr(default_headers, "without_server", False):
        return

    def without_server(response):
        return [line for line in default_headers(response) if not line.lower().startswith("server:")]

    without_server.without_server = True
    wsgi.Response.default_headers = without_server


# What gunicorn refuses before the app sees the request, and the archive's page for it.
REFUSALS = {LimitRequestLine: (414, "URI Too Long"), LimitRequestHeaders: (431, "Request Header Fields Too Large")}


def _answer_refused_requests(worker):
    from archive.errors import error_html

    handle_error = worker.handle_error
    pages = {}

    def handle_refusal(req, client, addr, exc):
        status, reason = REFUSALS.get(type(exc), (None, None))
        if status is None:
            return handle_error(req, client, addr, exc)
        try:
            page = pages.get(status) or pages.setdefault(status, error_html(status).encode())
        except Exception:  # the page cannot be rendered (e.g. no collectstatic yet): gunicorn's own
            return handle_error(req, client, addr, exc)
        worker.log.warning("Refused a request from %s: %s", addr[0] if addr else "?", exc)
        head = (
            f"HTTP/1.1 {status} {reason}\r\nConnection: close\r\nContent-Type: text/html; charset=utf-8\r\n"
            f"X-Content-Type-Options: nosniff\r\nContent-Length: {len(page)}\r\n\r\n"
        )
        try:
            util.write_nonblock(client, head.encode("latin-1") + page)
        except OSError:
            worker.log.debug("Failed to send the %s page.", status)

    worker.handle_error = handle_refusal
