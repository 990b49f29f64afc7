"""A real browser (Debian's Chromium driven by Playwright) against the app on 127.0.0.1."""

from urllib.parse import urlencode

import pytest
from django.core.management import call_command

from tests.support import REFERENCE
from tests.support.browser import chromium, chromium_path
from tests.support.checkers import require

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow, pytest.mark.one_database]


@pytest.fixture
def archive_data():
    call_command("ingest", str(REFERENCE), verbosity=0)


@pytest.fixture
def page(archive_data, live_server, monkeypatch):
    require(chromium_path(), "Chromium (Debian package chromium)")
    # Playwright's sync API runs an event loop in this thread; the test only reads through the browser.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with chromium() as page:
        console = []
        page.on("console", lambda message: console.append(message.text))
        yield page
    # The Content-Security-Policy blocks nothing the pages themselves need.
    assert not [text for text in console if "Content Security Policy" in text]


def test_search_from_home_and_land_on_the_turn(page, live_server):
    page.goto(live_server.url + "/")
    page.fill("#id_q", "nyet")
    page.press("#id_q", "Enter")
    page.wait_for_selector(".hit")
    assert "1 turn for “nyet”" in page.inner_text("#results-heading")
    page.click(".hit-event a")
    page.wait_for_load_state()
    anchor = page.evaluate("location.hash").lstrip("#")
    assert anchor.startswith("t-")
    assert "Maybe nyet" in page.inner_text(f"[id='{anchor}']")


def test_follow_a_speaker_link(page, live_server):
    page.goto(live_server.url + "/events/")
    page.click(".event-row a")
    page.click(".turn-who a >> nth=0")
    page.wait_for_load_state()
    assert page.url.endswith("/speakers/john-kerry/")
    assert page.inner_text("h1") == "John Kerry"
    assert page.locator("svg.chart rect").count() == 1


def test_keyboard_only_search(page, live_server):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    for _ in range(12):
        if page.evaluate("document.activeElement.id") == "id_q":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_q"
    page.keyboard.type("Geneva communique")
    page.keyboard.press("Enter")
    page.wait_for_selector(".hit")
    assert "for “Geneva communique”" in page.inner_text("#results-heading")


def test_transcript_markup_never_runs(page, live_server, tmp_path):
    (tmp_path / "x.txt").write_text(
        'Remarks on <script>window.pwned=1</script>\n\nMR X: <img src=x onerror="window.pwned=2"> about tariffs.\n\n'
        'MR Y: "><svg onload="window.pwned=5"> and \'"onerror=window.pwned=6 x=\' on tariffs.\n',
        encoding="utf-8",
    )
    call_command("ingest", str(tmp_path), verbosity=0)
    page.goto(live_server.url + "/search/?q=tariffs+%3Cscript%3Ewindow.pwned%3D3%3C%2Fscript%3E")
    assert page.evaluate("window.pwned") is None
    page.goto(live_server.url + "/search/?q=tariffs")
    assert page.evaluate("window.pwned") is None
    hostile = '"onerror=window.pwned=7 "><img src=x onerror=window.pwned=8>'
    page.goto(live_server.url + "/search/?" + urlencode({"q": hostile}))
    assert page.evaluate("window.pwned") is None
    page.click(".hit-event a")
    page.wait_for_load_state()
    assert page.evaluate("window.pwned") is None
    assert "<img src=x" in page.inner_text(".turn-text")


def test_an_archivist_corrects_a_turns_speaker_and_search_shows_it(page, live_server):
    from django.contrib.auth.models import User

    from archive.models import Turn
    from archive.roles import sync_archivists_group

    user = User.objects.create_user("ada", password="correct horse battery staple", is_staff=True)
    user.groups.add(sync_archivists_group())
    turn = Turn.objects.get(text__contains="Maybe nyet")
    assert turn.speaker.name != "Sergey Lavrov"

    page.goto(live_server.url + "/admin/")
    page.fill("#id_username", "ada")
    page.fill("#id_password", "correct horse battery staple")
    page.click("input[type=submit]")
    page.wait_for_selector("#review-queue")
    page.goto(f"{live_server.url}/admin/archive/turn/{turn.pk}/change/")
    page.click("#id_speaker + .select2 .select2-selection")  # the speaker autocomplete
    page.fill(".select2-search__field", "Lavrov")
    page.click(".select2-results__option:has-text('Sergey Lavrov')")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")

    page.goto(live_server.url + "/search/?q=nyet")
    page.wait_for_selector(".hit")
    assert page.inner_text(".hit-who a") == "Sergey Lavrov"


def test_search_filters_fold_above_the_results_on_a_phone(page, live_server):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/search/?q=Syria&year=2013")
    panel = page.locator("details.filters-panel")
    assert "1 applied" in panel.locator("summary").inner_text()
    assert not page.is_visible("#id_date_from")  # folded: the results come first
    summary_box = panel.locator("summary").bounding_box()
    assert summary_box["y"] < page.locator("#results-heading").bounding_box()["y"]
    panel.locator("summary").click()
    assert page.is_visible("#id_date_from")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/search/?q=Syria")
    assert page.is_visible("#id_date_from") and not page.is_visible("details.filters-panel > summary")


def test_speaker_suggestions_as_you_type_on_the_events_page(page, live_server):
    page.goto(live_server.url + "/events/")
    page.locator("#id_speaker").press_sequentially("kerr", delay=60)
    page.wait_for_selector("#speaker-suggestions option[value='John Kerry']", state="attached")
    assert page.get_attribute("#speaker-suggestions option", "label") == "Secretary of State"
    page.fill("#id_speaker", "John Kerry")
    page.click(".event-filters button[type=submit]")
    page.wait_for_load_state()
    assert "speaker=John+Kerry" in page.url
    assert page.inner_text("#events-total").startswith("1 event")
    assert "Speaker: John Kerry" in page.inner_text(".applied")


def test_the_contents_lead_to_a_question_and_to_one_speaker(page, live_server):
    page.goto(live_server.url + "/events/")
    page.click(".event-row a")
    page.click(".toc-questions a >> text='#13'")
    anchor = page.evaluate("location.hash").lstrip("#")
    assert "Thank you very much" in page.inner_text(f"[id='{anchor}']")
    page.click(".to-contents a")
    assert page.evaluate("location.hash") == "#contents"
    page.click(".toc-speakers a.only-link >> nth=0")
    page.wait_for_load_state()
    assert page.url.endswith("?speaker=john-kerry")
    assert page.locator(".turns > li").count() == 10
