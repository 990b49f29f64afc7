"""gunicorn settings; every value can be overridden from the environment.

GUNICORN_BIND (127.0.0.1:8000), GUNICORN_WORKERS (2 per core, at most 8), GUNICORN_TIMEOUT (30 s),
GUNICORN_ACCESS_LOG ("-" for stdout; a path; or "" for none), GUNICORN_FORWARDED_ALLOW_IPS
(addresses of a trusted reverse proxy whose X-Forwarded-* headers gunicorn believes).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", min(8, multiprocessing.cpu_count() * 2)))
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
