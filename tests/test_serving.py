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
@pytest.mark.one_database
def test_check_deploy_is_clean_with_the_production_variables(tmp_path):
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env={**PRODUCTION_ENV, "ARCHIVE_DATA_DIR": str(tmp_path)}
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.slow
@pytest.mark.one_database
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
@pytest.mark.one_database
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


def gunicorn_settings(monkeypatch, **env):
    import runpy

    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path("archive/gunicorn.conf.py")


def test_no_shared_control_socket_unless_asked_for(monkeypatch):
    monkeypatch.delenv("GUNICORN_CONTROL_SOCKET", raising=False)
    assert gunicorn_settings(monkeypatch)["control_socket_disable"] is True
    configured = gunicorn_settings(monkeypatch, GUNICORN_CONTROL_SOCKET="/run/archive/gunicorn.ctl")
    assert configured["control_socket"] == "/run/archive/gunicorn.ctl" and "control_socket_disable" not in configured


@pytest.mark.slow
@pytest.mark.one_database
@pytest.mark.parametrize("preload", [None, "true"])
def test_hsts_preload_only_when_asked_for(tmp_path, preload):
    env = {**PRODUCTION_ENV, "ARCHIVE_DATA_DIR": str(tmp_path)}
    if preload:
        env["ARCHIVE_HSTS_PRELOAD"] = preload
    result = run_manage("shell", "-c", "from django.conf import settings; print(settings.SECURE_HSTS_PRELOAD)", env=env)
    assert result.stdout.split()[-1] == ("True" if preload else "False"), result.stderr


def raw_request(base_url, target):
    """The status line and body gunicorn answers to GET target, sent as is."""
    import socket

    host, port = base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    return head.decode("latin-1"), body.decode()


@pytest.mark.slow
@pytest.mark.one_database
def test_gunicorn_announces_its_bind_names_no_server_and_answers_long_addresses(tmp_path):
    import subprocess

    env = environment(tmp_path, **{**PRODUCTION_ENV, "ALLOWED_HOSTS": "127.0.0.1", "ARCHIVE_HTTPS": "false"})
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    log = tmp_path / "gunicorn.out"
    with open(log, "w") as out, gunicorn(env, stdout=out, stderr=subprocess.STDOUT) as url:
        head, _ = raw_request(url, b"/")
        assert head.startswith("HTTP/1.1 200") and "\nserver:" not in head.lower()
        # a 2,000-character query in a script of three-byte characters, percent-encoded (18 kB)
        head, body = raw_request(url, b"/search/?q=" + b"%E6%97%A5" * 2000)
        assert head.startswith("HTTP/1.1 200"), head
        head, body = raw_request(url, b"/search/?q=" + b"x" * 100_000)  # the app's limit
        assert head.startswith("HTTP/1.1 414") and "<h1>Address too long</h1>" in body
        head, body = raw_request(url, b"/search/?q=" + b"x" * 2_000_000)  # beyond what gunicorn reads
        assert head.startswith("HTTP/1.1 4") and '<nav aria-label="Main">' in body, head
    assert f"The archive is at {url}/" in log.read_text()
