"""The one settings module: everything that differs between machines comes from the environment.

Variables (all optional on a developer machine):
  ARCHIVE_DATA_DIR   where the SQLite file and the Whoosh index live (default: var/)
  DATABASE_URL       e.g. postgres://user:pass@host/db (default: SQLite in ARCHIVE_DATA_DIR)
  SEARCH_URL         haystack backend, e.g. whoosh:///path (default: Whoosh in ARCHIVE_DATA_DIR)
  SECRET_KEY, DEBUG, ALLOWED_HOSTS, CSRF_TRUSTED_ORIGINS
  ARCHIVE_HTTPS      true when the site is served over HTTPS: secure cookies, HTTPS redirect, HSTS
  ARCHIVE_BEHIND_PROXY  true when a reverse proxy in front sets X-Forwarded-Proto (and -For)
  ARCHIVE_LOGIN_FAILURES  failed admin logins before a lock-out (default 5; django-axes)
  ARCHIVE_MAX_FILE_BYTES   the largest transcript ingest accepts (default 5 MB)
  ARCHIVE_TRANSCRIPTS_DIR  the folder ingest and bin/serve read by default (default: transcripts/)
"""

import os
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DATA_DIR = Path(env.str("ARCHIVE_DATA_DIR", default=str(BASE_DIR / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("DEBUG", default=False)
# A development key keeps a fresh checkout working; `check --deploy` flags it (the
# "django-insecure-" prefix) until production sets SECRET_KEY.
SECRET_KEY = env.str("SECRET_KEY", default="django-insecure-dev-only-key-set-SECRET_KEY-in-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "archive.apps.ArchiveAdminConfig",  # django.contrib.admin with the archive's admin site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "haystack",
    "simple_history",
    "axes",
    "archive",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # Addresses that cannot name a page (too long, a NUL character) get an error page before any
    # view, and NUL characters are dropped from query strings.
    "archive.errors.AddressMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records which user made each change that django-simple-history stores.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: refuses admin logins after too many failures.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("ARCHIVE_LOGIN_FAILURES", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=15)
# Lock a user name tried from one address, so that a guesser cannot lock archivists out everywhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True

# --- security headers -------------------------------------------------------------------
# Nothing is loaded from other sites and no page has inline scripts; the admin's few inline
# style attributes need 'unsafe-inline' for styles only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
HTTPS = env.bool("ARCHIVE_HTTPS", default=False)
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("ARCHIVE_HSTS_SECONDS", default=365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Preloading is hard to undo (browsers ship the list): only when asked for, and
    # `check --deploy` does not suggest it (W021) otherwise.
    SECURE_HSTS_PRELOAD = env.bool("ARCHIVE_HSTS_PRELOAD", default=False)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
if env.bool("ARCHIVE_BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    AXES_CLIENT_IP_CALLABLE = "archive.proxy.client_ip"

CSRF_FAILURE_VIEW = "archive.errors.csrf_failure"

ROOT_URLCONF = "archive.urls"
WSGI_APPLICATION = "archive.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'archive.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets pages be read while ingest or an edit writes; IMMEDIATE transactions take the
    # write lock up front instead of failing with "database is locked" halfway through.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The admin page of a long transcript posts every turn's fields at once (300 turns are ~3,000).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 50_000

# Per-process memory by default; e.g. CACHE_URL=rediscache://127.0.0.1:6379/1 when several machines serve.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

HAYSTACK_CONNECTIONS = {
    "default": env.search_url("SEARCH_URL", default=f"whoosh://{DATA_DIR / 'whoosh_index'}"),
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(DATA_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# What `manage.py ingest` and bin/serve read by default: the shipped corpus, or a folder of your own.
TRANSCRIPTS_DIR = Path(env.str("ARCHIVE_TRANSCRIPTS_DIR", default=str(BASE_DIR / "transcripts"))).resolve()
# The people registry shipped with the archive (Popolo JSON), loaded by `manage.py load_registry`.
REGISTRY_DIR = BASE_DIR / "fixtures" / "registry"
FIXTURE_DIRS = [BASE_DIR / "fixtures"]
ARCHIVE_MAX_FILE_BYTES = env.int("ARCHIVE_MAX_FILE_BYTES", default=5 * 1024 * 1024)
# The longest address (path and query string, percent-encoded) a page answers; longer ones get
# the 414 page. A 2,000-character query in any script, percent-encoded, is at most 24 KB.
ARCHIVE_MAX_URL_BYTES = env.int("ARCHIVE_MAX_URL_BYTES", default=32 * 1024)
# Apply admin edits to the search index in a background thread right after they commit.
ARCHIVE_INDEX_IN_BACKGROUND = env.bool("ARCHIVE_INDEX_IN_BACKGROUND", default=True)
# Memory (MB) per process for sorting postings in a full Whoosh index build.
ARCHIVE_INDEX_BUILD_MB = env.int("ARCHIVE_INDEX_BUILD_MB", default=1536)
# Search (archive/search/): the longest query searched (longer ones are cut, with a message), the
# seconds one search may take before it answers with what it found so far, and how many words a
# prefix (`negot*`) or a range (`[a TO c]`) may stand for: beyond MAX_EXPANSIONS the most frequent
# are searched, beyond MAX_LISTED the prefix or range is left out.
ARCHIVE_SEARCH_MAX_QUERY_CHARS = env.int("ARCHIVE_SEARCH_MAX_QUERY_CHARS", default=2000)
ARCHIVE_SEARCH_SECONDS = env.float("ARCHIVE_SEARCH_SECONDS", default=1.0)
ARCHIVE_SEARCH_MAX_EXPANSIONS = env.int("ARCHIVE_SEARCH_MAX_EXPANSIONS", default=200)
ARCHIVE_SEARCH_MAX_LISTED = env.int("ARCHIVE_SEARCH_MAX_LISTED", default=2000)
# Ranking: a turn shorter than this many words of its own ranks lower, in proportion, so that turns
# which say something about the query come before one-line questions that only name it (0: Whoosh's
# BM25F as it is). bench/ranking.py measures the choice.
ARCHIVE_SEARCH_SHORT_TURN_WORDS = env.int("ARCHIVE_SEARCH_SHORT_TURN_WORDS", default=60)
# A search expected to read more postings than HEAVY_POSTINGS, or still running after SHARED_SECONDS,
# is heavy: heavy searches take turns through HEAVY_SLOTS slots shared by every process on the
# machine; one that finds them all taken stops at once with a message, so that plain searches keep
# their speed.
ARCHIVE_SEARCH_HEAVY_POSTINGS = env.int("ARCHIVE_SEARCH_HEAVY_POSTINGS", default=500_000)
ARCHIVE_SEARCH_SHARED_SECONDS = env.float("ARCHIVE_SEARCH_SHARED_SECONDS", default=0.25)
ARCHIVE_SEARCH_HEAVY_SLOTS = env.int("ARCHIVE_SEARCH_HEAVY_SLOTS", default=max(1, (os.cpu_count() or 2) // 2))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
