"""Error pages in the site's layout (the 500 page even without a database), JSON errors under
/api/, the app's own 414 page for over-long addresses, the favicon and meta descriptions."""

from urllib.parse import quote

import pytest
from django.db import OperationalError
from django.test import Client

pytestmark = pytest.mark.django_db


def assert_in_the_layout(content):
    assert '<nav aria-label="Main">' in content  # the way back
    assert 'role="search"' in content and 'name="q"' in content  # a search box
    assert '<link rel="stylesheet"' in content


def test_404_page_has_the_layout_navigation_and_a_search_box(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "<h1>Page not found</h1>" in content
    assert_in_the_layout(content)


def test_api_errors_are_json(client):
    for url in ("/api/no-such-endpoint", "/api/events/no-such-event", "/api/events/a/b/c"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"].startswith("application/json") and response.json()["detail"], url


def test_500_page_renders_without_the_database(db, monkeypatch):
    from django.db.backends.base.base import BaseDatabaseWrapper

    def broken(*args, **kwargs):
        raise OperationalError("the database is down")

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", broken)
    client = Client(raise_request_exception=False)
    response = client.get("/")
    assert response.status_code == 500
    content = response.content.decode()
    assert "<h1>Server error</h1>" in content
    assert_in_the_layout(content)
    api = client.get("/api/events")
    assert api.status_code == 500 and api.json() == {"detail": "Internal Server Error"}


def test_csrf_failure_is_the_sites_403_page(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/admin/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "<h1>Forbidden</h1>" in response.content.decode()


def test_over_long_addresses_get_a_friendly_414_and_long_queries_still_reach_the_app(client, settings):
    query = "Ж" * 2000  # a 2,000-character query in a script of two-byte characters
    assert client.get("/search/?q=" + quote(query)).status_code == 200
    response = client.get("/search/?q=" + "x" * (settings.ARCHIVE_MAX_URL_BYTES + 1))
    assert response.status_code == 414
    content = response.content.decode()
    assert "<h1>Address too long</h1>" in content
    assert_in_the_layout(content)


def test_nul_characters_never_reach_a_view(client, reference_event):
    # no page has one in its address, and PostgreSQL refuses a NUL in a query
    for url in ("/t/%00/", "/api/turns/%00", "/api/speakers/a%00b", "/events/%00/"):
        assert client.get(url).status_code == 404, url
    assert client.get("/api/speakers/nobody%00").json() == {"detail": "Not Found"}
    assert client.get("/events/?place=rus%00sia").status_code == 200
    assert client.get("/api/speakers?kind=per%00son").json()["count"] == 0  # "per son": no such kind
    # in the search box a NUL separates words, as every control character does
    assert "1 turn for “maybe nyet”" in client.get("/search/?q=maybe%00nyet").content.decode()


def test_favicon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] == "image/vnd.microsoft.icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an icon resource
    assert 'rel="icon"' in client.get("/").content.decode()


def test_every_page_has_its_own_meta_description(client, reference_event):
    import re

    turn = reference_event.turns.get(sequence=4)
    descriptions = {}
    for url in ("/", "/events/", "/events/2013/", "/speakers/", "/speakers/john-kerry/", "/search/?q=nyet",
                reference_event.get_absolute_url(), turn.get_absolute_url()):  # fmt: skip
        content = client.get(url).content.decode()
        found = re.findall(r'<meta name="description" content="([^"]{20,300})">', content)
        assert len(found) == 1, url
        descriptions[url] = found[0]
    assert len(set(descriptions.values())) == len(descriptions)
    assert "May 7, 2013" in descriptions[reference_event.get_absolute_url()]
