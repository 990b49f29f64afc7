"""gunicorn settings; every value can be overridden from the environment.

GUNICORN_BIND (127.0.0.1:8000), GUNICORN_WORKERS (4 per core and one, at most 17), GUNICORN_TIMEOUT (30 s),
GUNICORN_ACCESS_LOG ("-" for stdout; a path; or "" for none), GUNICORN_FORWARDED_ALLOW_IPS
(addresses of a trusted reverse proxy whose X-Forwarded-* headers gunicorn believes),
GUNICORN_CONTROL_SOCKET (a path for gunicornc; none by default).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# A sync worker is held for the whole of its request, and a heavy search's request yields the CPU
# (archive.search.budget) but not its worker: more workers than cores let a plain search find a free
# one while heavy ones run. Each holds its own copy of the index's arrays: about 175 MB a worker in all
# on the shipped corpus (15,000 turns), 440 MB at 100,000 turns.
workers = int(os.environ.get("GUNICORN_WORKERS", min(17, 4 * multiprocessing.cpu_count() + 1)))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 10
keepalive = 5
# A worker is replaced after this many requests (with jitter), bounding slow memory growth.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
# Client address, request line, status, size, duration in microseconds.
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(D)sus "%(a)s"'
errorlog = "-"
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

# Request lines of up to 1 MiB reach the app, which answers addresses longer than it accepts
# (ARCHIVE_MAX_URL_BYTES) with its own 414 page; archive.serving answers longer ones. 0 means
# 1 MiB with the gunicorn_h1c parser but no bound at all with the pure Python one, hence "fast".
limit_request_line = 0
http_parser = "fast"

# gunicorn's default control socket ($XDG_RUNTIME_DIR/gunicorn.ctl or ~/.gunicorn/gunicorn.ctl)
# is one path for every instance a user runs: none unless a path of this instance's own is given.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True


def when_ready(server):
    from archive.serving import announce

    announce(server)


def post_worker_init(worker):
    from archive.serving import adopt

    adopt(worker)
