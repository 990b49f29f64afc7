"""axe-core (the npm package) run in Chromium on the public pages and the admin: no violations."""

import json

import pytest
from django.core.management import call_command

from tests.support import REFERENCE, REFERENCE_QUOTE
from tests.support.browser import axe_violations, chromium, chromium_path
from tests.support.checkers import AXE_SCRIPT, require

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow, pytest.mark.one_database]


@pytest.fixture
def axe(live_server, monkeypatch, awkward_event):
    """check(path) -> axe's violations on that page, as {rule: "impact ×count: first elements"}."""
    require(chromium_path(), "Chromium (Debian package chromium)")
    require(AXE_SCRIPT.is_file(), "axe-core (npm ci)")
    call_command("ingest", str(REFERENCE), verbosity=0)
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    script = AXE_SCRIPT.read_text()
    # axe is injected from outside the page: the site's Content-Security-Policy would refuse it.
    with chromium(bypass_csp=True) as page:

        def check(path):
            page.goto(live_server.url + path)
            return {
                found["id"]: f"{found['impact']} ×{len(found['nodes'])}: {[n['target'] for n in found['nodes'][:3]]}"
                for found in axe_violations(page, script)
            }

        check.page = page
        yield check


def assert_none(found):
    violations = {path: rules for path, rules in found.items() if rules}
    print(f"\naxe: {len(found)} pages, {sum(map(len, found.values()))} rules violated")
    assert not violations, json.dumps(violations, indent=1)


def public_pages():
    from archive.models import Event, Turn

    event = Event.objects.exclude(slug="remarks-nobody-dated").get()
    answer = event.turns.get(sequence=4)
    unresolved = Turn.objects.get(label="THE PRESIDENT")
    return [
        "/", "/events/", "/events/2013/", "/events/2013/5/", "/events/undated/", event.get_absolute_url(),
        "/events/remarks-nobody-dated/", "/speakers/", "/speakers/?letter=K", "/speakers/john-kerry/",
        answer.get_absolute_url(), unresolved.get_absolute_url(), "/search/", "/search/?q=nyet", "/search/?q=zzzzqqq",
        "/search/?q=Syria&year=2013&sort=newest", "/no/such/page/",
        # issues 14 and 15: one speaker alone, the research tools
        event.get_absolute_url() + "?speaker=john-kerry", "/quote/", "/quote/?q=" + REFERENCE_QUOTE,
        "/trends/?q=Syria&q=Russia", "/trends/?q=Syria&year=2013&per=10k", answer.get_absolute_url() + "cite/",
        event.get_absolute_url() + "cite/",
    ]  # fmt: skip


def test_public_pages_have_no_violations(axe):
    assert_none({path: axe(path) for path in public_pages()})


def test_admin_pages_have_no_violations(axe, django_user_model):
    from archive.models import Event, Speaker, Turn

    assert axe("/admin/login/") == {}
    django_user_model.objects.create_superuser("boss", "boss@example.org", "a long enough password")
    page = axe.page
    page.fill("#id_username", "boss")
    page.fill("#id_password", "a long enough password")
    page.click("input[type=submit]")
    page.wait_for_selector("#review-queue")
    event = Event.objects.exclude(slug="remarks-nobody-dated").get()
    awkward = Event.objects.get(slug="remarks-nobody-dated")
    turn = event.turns.get(sequence=4)
    kerry = Speaker.objects.get(slug="john-kerry")
    pages = [
        "/admin/", "/admin/archive/event/", "/admin/archive/event/?dated=no",
        f"/admin/archive/event/{event.pk}/change/", f"/admin/archive/event/{awkward.pk}/change/",
        f"/admin/archive/event/{event.pk}/history/", "/admin/archive/turn/", "/admin/archive/turn/?problem=unresolved",
        f"/admin/archive/turn/{turn.pk}/change/", "/admin/archive/speaker/",
        f"/admin/archive/speaker/{kerry.pk}/change/", "/admin/archive/speakeralias/",
        f"/admin/archive/speaker/{kerry.pk}/history/",
        "/admin/auth/user/", "/admin/archive/reviewmark/", "/admin/archive/possibleduplicate/",
        "/admin/archive/person/", "/admin/archive/membership/", "/admin/archive/post/", "/admin/archive/organization/",
    ]  # fmt: skip
    assert Turn.objects.exists()
    assert_none({path: axe(path) for path in pages})
