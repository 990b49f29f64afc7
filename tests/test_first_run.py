"""What bin/serve does before it serves (`prepare_archive`), and a second start being cheap."""

import io
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from archive import ingest as ingest_module
from archive import search
from archive.models import Event, IndexTask
from tests.support import REFERENCE

# bin/serve's first steps: migrate, collectstatic, ingest
pytestmark = [pytest.mark.django_db, pytest.mark.slow, pytest.mark.one_database]


@pytest.fixture
def transcripts(tmp_path, settings):
    folder = tmp_path / "mine"
    folder.mkdir()
    shutil.copy(REFERENCE, folder / REFERENCE.name)
    (folder / "2021-06-02-dinner.txt").write_text(
        "Remarks at a Dinner\n\nMR X: Welcome, all of you, to this dinner.\n", encoding="utf-8"
    )
    settings.TRANSCRIPTS_DIR = folder
    return folder


def prepare(**options):
    out, err = io.StringIO(), io.StringIO()
    call_command("prepare_archive", stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def test_prepare_ingests_the_transcripts_folder_and_leaves_the_index_for_later(transcripts):
    out, _ = prepare(index_later=True)
    assert "2 new" in out and str(transcripts) in out
    assert Event.objects.count() == 2
    assert IndexTask.objects.count() == 2 and "2 change(s) queued" in out
    assert search.search_turns("nyet").total == 0  # not yet: bin/serve applies them beside the server
    call_command("update_search_index", verify=True, stdout=io.StringIO())
    assert search.search_turns("nyet").total == 1 and IndexTask.objects.count() == 0


def test_the_search_page_says_when_it_is_catching_up(client, transcripts):
    prepare(index_later=True)
    assert "Search is catching up with 2 recent changes" in client.get("/search/", {"q": "nyet"}).content.decode()
    call_command("update_search_index", stdout=io.StringIO())
    assert "catching up" not in client.get("/search/", {"q": "nyet"}).content.decode()


def test_a_second_start_parses_nothing(transcripts, monkeypatch):
    prepare()
    assert search.search_turns("nyet").total == 1

    def parse_fails(*args, **kwargs):
        raise AssertionError("an unchanged folder was parsed again")

    monkeypatch.setattr(ingest_module, "parse_transcript", parse_fails)
    out, _ = prepare(index_later=True)
    assert "0 new, 0 updated, 2 unchanged" in out and "queued" not in out


def test_only_a_changed_file_is_parsed_again(transcripts, monkeypatch):
    prepare()
    with (transcripts / REFERENCE.name).open("a", encoding="utf-8") as source:
        source.write("\n(Applause.)\n")
    parsed = []
    parse = ingest_module.parse_transcript

    def counting(text, **kwargs):
        parsed.append(kwargs["filename"])
        return parse(text, **kwargs)

    monkeypatch.setattr(ingest_module, "parse_transcript", counting)
    out, _ = prepare()
    assert "0 new, 1 updated, 1 unchanged" in out
    assert parsed == [REFERENCE.name]  # a file's speakers depend on that file alone


def test_update_search_index_verify_rebuilds_a_lost_index(transcripts):
    prepare()
    index = Path(settings.HAYSTACK_CONNECTIONS["default"]["PATH"])
    index.unlink()  # a symlink to the live version (conftest removes the index the same way)
    shutil.rmtree(index.with_name(index.name + ".versions"))
    search.reset_engine()
    out = io.StringIO()
    call_command("update_search_index", verify=True, stdout=out)
    assert "rebuilt" in out.getvalue()
    assert search.search_turns("nyet").total == 1 and search.check().total == 0
