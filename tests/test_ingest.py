"""The write path and the ingest / parse_transcript commands."""

import json
import shutil

import pytest
from django.core.management import CommandError, call_command

from archive.models import Event, Participation, Speaker, SpeakerAlias, Turn
from tests.support import REFERENCE

pytestmark = pytest.mark.django_db


def ingest(*paths, **options):
    call_command(
        "ingest", *map(str, paths), stdout=options.pop("stdout", None), stderr=options.pop("stderr", None), **options
    )


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "ref.txt").write_bytes(REFERENCE.read_bytes())
    return tmp_path


def test_reference_transcript_lands_as_rows(folder, capsys):
    ingest(folder)
    assert "1 new, 0 updated, 0 unchanged" in capsys.readouterr().out
    event = Event.objects.get()
    assert (event.date.isoformat(), event.city, event.country, event.venue) == (
        "2013-05-07",
        "Moscow",
        "Russia",
        "Osobnyak Guesthouse",
    )
    assert event.source_ref == "2013/T05-02" and event.checksum and event.source_file == "ref.txt"
    assert event.turns.count() == 22
    kerry = Speaker.objects.get(name="John Kerry")
    assert kerry.turns.count() == 10 and kerry.title == "Secretary of State"
    assert SpeakerAlias.objects.filter(speaker=kerry, label="SECRETARY KERRY").exists()
    arshad = Speaker.objects.get(name="Arshad Mohammed")
    assert (arshad.kind, arshad.organisation) == ("journalist", "Reuters")
    assert arshad.turns.get().kind == Turn.Kind.QUESTION
    roles = dict(Participation.objects.values_list("speaker__name", "role"))
    assert roles["John Kerry"] == "principal" and roles["Sergey Lavrov"] == "counterpart"
    answer = event.turns.get(sequence=4)
    assert answer.in_reply_to.sequence == 3
    moderators = Speaker.objects.filter(event=event, kind="moderator")
    assert [m.name for m in moderators] == ["Moderator"]


def test_reingesting_an_unchanged_file_writes_nothing(folder, capsys, django_assert_max_num_queries):
    ingest(folder)
    before = list(Turn.objects.values_list("pk", "public_id"))
    stamp = Event.objects.get().updated_at
    capsys.readouterr()
    with django_assert_max_num_queries(5) as captured:  # with the registry, read once per run
        ingest(folder)
    writes = [q["sql"] for q in captured.captured_queries if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")]
    assert writes == []
    assert "0 new, 0 updated, 1 unchanged" in capsys.readouterr().out
    assert list(Turn.objects.values_list("pk", "public_id")) == before
    assert Event.objects.get().updated_at == stamp


def test_a_corrected_file_updates_in_place_and_keeps_permalinks(folder, capsys):
    ingest(folder)
    ids = dict(Turn.objects.values_list("sequence", "public_id"))
    text = (folder / "ref.txt").read_text(encoding="utf-8")
    corrected = text.replace("Maybe nyet. (Laughter.)", "Maybe nyet. (Laughter and applause.)")
    corrected = corrected.replace("QUESTION: Maybe not.\n\n", "")
    (folder / "ref.txt").write_text(corrected, encoding="utf-8")
    capsys.readouterr()
    ingest(folder)
    assert "0 new, 1 updated" in capsys.readouterr().out
    assert Event.objects.count() == 1
    new_ids = dict(Turn.objects.values_list("sequence", "public_id"))
    assert len(new_ids) == 21
    assert new_ids[1] == ids[1] and new_ids[14] == ids[14]
    assert new_ids[15] == ids[16]  # the corrected turn keeps its permalink, one place earlier
    assert new_ids[21] == ids[22]
    assert ids[15] not in new_ids.values()  # the removed question's id is gone


def test_archivist_edits_are_kept_unless_forced(folder, capsys):
    ingest(folder)
    event = Event.objects.get()
    event.title = "Corrected by an archivist"
    event.edited_since_ingest = True
    event.save()
    (folder / "ref.txt").write_text(REFERENCE.read_text(encoding="utf-8") + "\n(Applause.)\n", encoding="utf-8")
    capsys.readouterr()
    ingest(folder)
    captured = capsys.readouterr()
    assert "1 kept" in captured.out and "--force" in captured.err
    assert Event.objects.get().title == "Corrected by an archivist"
    ingest(folder, force=True)
    assert Event.objects.get().title.startswith("Remarks With Russian")


def test_a_speaker_known_already_is_saved_only_for_what_it_lacked(folder):
    """Another event of the same speakers leaves their rows, their history and their pages'
    last-modified dates alone."""
    ingest(folder)
    kerry = Speaker.objects.get(name="John Kerry")
    before = (kerry.history.count(), kerry.updated_at)
    (folder / "again.txt").write_bytes(REFERENCE.read_bytes().replace(b"Moscow", b"Rome"))
    ingest(folder / "again.txt")
    assert Event.objects.count() == 2 and kerry.turns.count() == 20
    kerry.refresh_from_db()
    assert (kerry.history.count(), kerry.updated_at) == before


def test_dry_run_writes_nothing(folder, capsys):
    ingest(folder, dry_run=True)
    assert "Dry run" in capsys.readouterr().out
    assert not Event.objects.exists()


def test_bad_files_are_reported_and_skipped_while_the_rest_is_ingested(folder, capsys, settings):
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    (folder / "data.txt").write_text("id,name\n1,2\n3,4\n", encoding="utf-8")
    (folder / "huge.txt").write_bytes(b"MR X: " + b"word " * 300_000)
    (folder / "latin.txt").write_bytes(
        "Remarks\n\nMR X: Caf\xe9 cr\xe8me \x93quoted\x94 and more words here today.\n".encode("latin-1")
    )
    (folder / "bom.txt").write_bytes("\ufeffRemarks Two\n\nMS Y: Hello there, everyone.\n".encode())
    with pytest.raises(CommandError, match="4 file"):
        ingest(folder, max_bytes=1_000_000)
    captured = capsys.readouterr()
    errors = [line for line in captured.err.splitlines() if line.startswith("error:")]
    assert len(errors) == 4
    assert any("empty.txt: empty file" in line for line in errors)
    assert any("binary.txt" in line and "binary" in line for line in errors)
    assert any("data.txt:1: no recognisable structure" in line for line in errors)
    assert any("huge.txt" in line and "over the limit" in line for line in errors)
    assert "latin.txt: not valid UTF-8" in captured.err
    assert "3 new" in captured.out and "4 failed" in captured.out
    latin = Event.objects.get(source_file="latin.txt")
    assert "Café crème “quoted”" in latin.turns.get().text
    assert "Windows-1252" in latin.ingest_notes
    assert Event.objects.get(source_file="bom.txt").title == "Remarks Two"


def test_exit_status_is_one_when_a_file_fails(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(CommandError) as error:
        call_command("ingest", str(tmp_path), stdout=None, stderr=None)
    assert error.value.returncode == 1


def test_missing_path_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("ingest", str(tmp_path / "nope"))


def test_a_label_is_never_learned_from_another_file(tmp_path):
    """No leaks: `MR. PRICE` in a file that does not name him stays the label, whatever another
    file said (the registry, on the file's date, is what names him: test_registry.py)."""
    (tmp_path / "one.txt").write_text(
        "Department Press Briefing – June 2, 2021\n\nNed Price, Department Spokesperson\n\nMR PRICE: Good afternoon.\n",
        encoding="utf-8",
    )
    ingest(tmp_path / "one.txt")
    (tmp_path / "two.txt").write_text(
        "Department Press Briefing – June 3, 2021\n\n"
        "MR. PRICE: Good afternoon again.\n\nQUESTION: Ned?\n\nMr. Price: Yes.\n",
        encoding="utf-8",
    )
    ingest(tmp_path / "two.txt")
    assert Speaker.objects.get(name="Ned Price").turns.count() == 1
    assert Speaker.objects.get(name="Mr. Price").turns.count() == 2  # one label-only speaker for both spellings


def test_ambiguous_labels_stay_unresolved_until_an_archivist_maps_them(tmp_path, capsys):
    text = "Press Gaggle – May 3, 2023\n\nAboard Air Force One\n\nQ    Iran?\n\nTHE PRESIDENT:  No comment.\n"
    (tmp_path / "gaggle.txt").write_text(text, encoding="utf-8")
    ingest(tmp_path)
    assert "0 undated event(s), 1 turn(s) whose label names no speaker" in capsys.readouterr().out
    turn = Turn.objects.get(label="THE PRESIDENT")
    assert turn.speaker is None and list(Turn.objects.unresolved()) == [turn]
    biden = Speaker.objects.create(name="Joe Biden", slug="joe-biden")
    alias = SpeakerAlias.objects.create(label="THE PRESIDENT", speaker=biden, valid_from="2021-01-20")
    ingest(tmp_path, force=True)
    assert Turn.objects.get(label="THE PRESIDENT").speaker is None  # an alias nobody confirmed decides nothing
    alias.confirmed = True
    alias.save()
    ingest(tmp_path, force=True)
    assert Turn.objects.get(label="THE PRESIDENT").speaker == biden
    (tmp_path / "gaggle.txt").write_text(text.replace(" – May 3, 2023", ""), encoding="utf-8")
    ingest(tmp_path, force=True)
    assert Turn.objects.get(label="THE PRESIDENT").speaker is None  # undated: no alias applies


def test_metadata_from_jsonl_index_and_sidecar(tmp_path):
    body = "Secretary Blinken With a Journalist\n\nQUESTION: Hello?\n\nSECRETARY BLINKEN: Hi there.\n"
    (tmp_path / "a.txt").write_text(body, encoding="utf-8")
    (tmp_path / "b.txt").write_text(body.replace("Hi there", "Hello"), encoding="utf-8")
    (tmp_path / "b.json").write_text(
        json.dumps({"date": "2022-01-05", "url": "https://example.org/b"}), encoding="utf-8"
    )
    index = tmp_path / "meta.jsonl"
    index.write_text(
        json.dumps({"file": "a.txt", "published": "Mon, 25 Jul 2022 23:46:25 +0000"}) + "\n", encoding="utf-8"
    )
    ingest(tmp_path, metadata=[str(index)])
    assert Event.objects.get(source_file="a.txt").date.isoformat() == "2022-07-25"
    b = Event.objects.get(source_file="b.txt")
    assert (b.date.isoformat(), b.source_key) == ("2022-01-05", "https://example.org/b")


def test_undated_events_are_stored_undated(tmp_path):
    (tmp_path / "x.txt").write_text(
        "Remarks at a Dinner\n\nMR X: Welcome, all of you, to this dinner.\n", encoding="utf-8"
    )
    ingest(tmp_path)
    event = Event.objects.get()
    assert (event.date, event.year) == (None, None)
    assert list(Event.objects.undated()) == [event]
    assert event.slug.startswith("undated-remarks-at-a-dinner")


def test_parse_transcript_command_prints_json_lines(tmp_path, capsys):
    (tmp_path / "bad.txt").write_bytes(b"")
    with pytest.raises(CommandError):
        call_command("parse_transcript", str(REFERENCE), str(tmp_path / "bad.txt"), "--json")
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    good, bad = lines
    assert bad == {"file": str(tmp_path / "bad.txt"), "error": "empty file"}
    assert good["date"] == "2013-05-07" and good["place"] == "Moscow, Russia" and good["source_ref"] == "2013/T05-02"
    assert set(good) >= {
        "file", "title", "kind", "date", "time", "place", "venue", "source_ref",
        "header_text", "trailer_text", "participants", "turns",
    }  # fmt: skip
    first = good["turns"][0]
    assert set(first) >= {"sequence", "label", "speaker", "speaker_kind", "kind", "in_reply_to", "text"}
    assert (first["label"], first["speaker"], first["kind"]) == ("SECRETARY KERRY", "John Kerry", "statement")
    assert good["turns"][3]["in_reply_to"] == 3
    assert {"name": "Sergey Lavrov", "role": "counterpart"}.items() <= good["participants"][1].items()
    assert not Event.objects.exists()


def test_default_path_is_the_transcripts_folder(settings, tmp_path, capsys):
    shutil.copy(REFERENCE, tmp_path / REFERENCE.name)
    settings.TRANSCRIPTS_DIR = tmp_path
    call_command("ingest")
    assert "1 new" in capsys.readouterr().out
