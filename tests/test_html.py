"""The main pages through the Nu HTML Checker (vnu.jar from npm, one Java start for all):
no errors and no warnings."""

import json

import pytest
from django.test import Client

from tests.support import REFERENCE_QUOTE
from tests.support.checkers import have_vnu, require, vnu

pytestmark = [pytest.mark.django_db, pytest.mark.slow, pytest.mark.one_database]


def main_pages(event):
    turn = event.turns.get(sequence=4)
    return [
        "/", "/events/", "/events/2013/", "/events/2013/5/", "/events/undated/", "/events/?kind=remarks&page=2",
        event.get_absolute_url(), "/events/remarks-nobody-dated/", "/speakers/", "/speakers/?letter=K",
        "/speakers/john-kerry/", turn.get_absolute_url(), "/t/" + event.turns.get(sequence=1).public_id + "/",
        "/search/", "/search/?q=nyet", "/search/?q=Syria&year=2013&sort=newest", "/search/?q=zzzzqqq",
        "/search/?q=%22(((", "/no/such/page/", "/search/?q=" + "x" * 40000,
        event.get_absolute_url() + "?speaker=john-kerry", "/quote/", "/quote/?q=" + REFERENCE_QUOTE,
        "/trends/?q=Syria&q=Russia", "/trends/?q=Syria&year=2013&per=10k", turn.get_absolute_url() + "cite/",
        event.get_absolute_url() + "cite/",
    ]  # fmt: skip


def test_main_pages_are_valid_html(reference_event, awkward_event, tmp_path):
    require(have_vnu(), "vnu.jar (npm ci) and Java (Debian package default-jre-headless)")
    client = Client(raise_request_exception=False)
    files = {}
    for number, url in enumerate(main_pages(reference_event)):
        response = client.get(url)
        assert response.status_code in (200, 404, 414), url
        files[f"page-{number}.html"] = url
        (tmp_path / f"page-{number}.html").write_bytes(response.content)
    messages = vnu(sorted(tmp_path.glob("*.html")))
    found = [
        {"page": files[message["url"].rsplit("/", 1)[-1]][:100], "type": message["type"], "message": message["message"],
         "line": message.get("lastLine"), "extract": message.get("extract")}
        for message in messages
    ]  # fmt: skip
    print(f"\nvnu: {len(files)} pages, {sum(m['type'] == 'error' for m in found)} errors, "
          f"{sum(m['type'] != 'error' for m in found)} warnings")  # fmt: skip
    assert found == [], json.dumps(found, indent=1)
