"""Serving for real: security headers, the deploy checks, login rate limiting, /healthz, and
gunicorn + whitenoise with the production settings."""

import re
import urllib.request

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import OperationalError
from django.test import override_settings

from archive import search
from tests.support.servers import environment, gunicorn, manage

# The production variables the README documents (with a throwaway key).
PRODUCTION_ENV = {
    "SECRET_KEY": "x7#m2!q9v@z4^w8*e1&r6(t3)y5_u0+i-o=p[a]s{d}f|g;h:j<k>l,z.x/c?b",
    "DEBUG": "false",
    "ALLOWED_HOSTS": "archive.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://archive.example.org",
    "ARCHIVE_HTTPS": "true",
}


def run_manage(*args, env):
    return manage(environment(env.pop("ARCHIVE_DATA_DIR"), **env), *args, check=False)


@pytest.mark.slow
def test_check_deploy_is_clean_with_the_production_variables(tmp_path):
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env={**PRODUCTION_ENV, "ARCHIVE_DATA_DIR": str(tmp_path)}
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.slow
def test_check_deploy_complains_without_them(tmp_path):
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env={"ARCHIVE_DATA_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr and "SECURE_HSTS_SECONDS" in result.stderr


def test_pages_carry_the_security_headers(client, reference_event):
    for url in ("/", "/search/?q=nyet", reference_event.get_absolute_url(), "/admin/login/"):
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "script-src 'self'" in policy, url
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response["X-Frame-Options"] == "DENY"
        assert "Strict-Transport-Security" not in response  # plain HTTP declared


@override_settings(
    SECURE_HSTS_SECONDS=31536000,
    SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
    SECURE_SSL_REDIRECT=True,
    SESSION_COOKIE_SECURE=True,
)
def test_https_declared_means_hsts_and_redirects(client, db):
    assert client.get("/").status_code == 301  # plain HTTP goes to HTTPS
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_admin_logins_are_rate_limited(client, db):
    User.objects.create_superuser("boss", "boss@example.org", "right password")
    statuses = [
        client.post("/admin/login/?next=/admin/", {"username": "boss", "password": "wrong"}).status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]  # the form again, then locked
    locked = client.post("/admin/login/?next=/admin/", {"username": "boss", "password": "right password"})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_right_password_resets_the_failure_count(client, db):
    User.objects.create_superuser("boss", "boss@example.org", "right password")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post("/admin/login/", {"username": "boss", "password": "wrong"})
    assert (
        client.post("/admin/login/?next=/admin/", {"username": "boss", "password": "right password"}).status_code == 302
    )


def test_client_address_behind_a_proxy_is_the_one_the_proxy_appended(rf):
    from archive.proxy import client_ip

    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7", REMOTE_ADDR="127.0.0.1")
    assert client_ip(request) == "203.0.113.7"
    assert client_ip(rf.get("/", REMOTE_ADDR="198.51.100.1")) == "198.51.100.1"


def test_healthz(client, db, monkeypatch):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok", "database": "ok", "search": "ok"}

    def broken():
        raise OSError("index folder missing")

    monkeypatch.setattr(search, "health", broken)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["search"] == "unavailable"
    monkeypatch.undo()

    from archive.models import Event

    def no_database(*args, **kwargs):
        raise OperationalError("no such table: archive_event")

    monkeypatch.setattr(type(Event.objects.all()), "exists", no_database)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["database"] == "unavailable"


@pytest.fixture
def production_server(tmp_path):
    """gunicorn with the repository's configuration and the production settings, on 127.0.0.1."""
    env = environment(tmp_path, **{**PRODUCTION_ENV, "ALLOWED_HOSTS": "127.0.0.1", "ARCHIVE_HTTPS": "false"})
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    with gunicorn(env) as url:
        yield url


@pytest.mark.slow
def test_gunicorn_serves_hashed_compressed_static_files(production_server):
    with urllib.request.urlopen(production_server + "/") as response:
        page = response.read().decode()
        assert response.headers["Content-Security-Policy"]
    stylesheet = re.search(r'href="(/static/archive/archive\.[0-9a-f]{12}\.css)"', page)
    assert stylesheet, "the page links the hashed name of the stylesheet"
    request = urllib.request.Request(production_server + stylesheet.group(1), headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request) as response:
        assert response.headers["Content-Encoding"] == "gzip"
        assert "immutable" in response.headers["Cache-Control"]  # hashed: cached for ever
    with urllib.request.urlopen(production_server + "/healthz") as response:
        assert response.status == 200
