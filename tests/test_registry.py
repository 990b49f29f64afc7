"""The people registry: the frozen value the parser reads (no database), dated resolution of
labels through it, and the database side (load, export, identifying speakers)."""

import datetime as dt
import json
import subprocess
import sys

import pytest
from django.core.management import call_command

from archive.parser import parse_transcript
from archive.parser.registry import Registry, certain_days
from tests.support import ROOT
from tests.support.registry import SMALL_REGISTRY

REGISTRY = Registry.from_popolo(SMALL_REGISTRY)
WHITE_HOUSE = {"url": "https://obamawhitehouse.archives.gov/the-press-office/2011/12/13/remarks"}
STATE = {"url": "https://www.state.gov/briefings/department-press-briefing/"}


def speakers(text, registry=REGISTRY, **kwargs):
    transcript = parse_transcript(text, registry=registry, **kwargs)
    return {turn.label: turn.speaker for turn in transcript.turns if turn.label}


# --- the frozen value ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        ("2009-01-20", "2017-01-20", (dt.date(2009, 1, 20), dt.date(2017, 1, 20))),
        ("2021-01", "2023-06", (dt.date(2021, 2, 1), dt.date(2023, 5, 31))),  # uncertain months left out
        ("2009", "", (dt.date(2010, 1, 1), None)),
        ("", "2012", (None, dt.date(2011, 12, 31))),
        ("20xx", "", None),
    ],
)
def test_a_membership_covers_only_the_days_it_surely_covers(start, end, days):
    assert certain_days(start, end) == days


def test_holders_on_a_date():
    def holders(day, **kwargs):
        return set(REGISTRY.holders((day, day), **kwargs))

    assert holders(dt.date(2011, 12, 13), role="president") == {"barack-obama"}
    assert holders(dt.date(2017, 1, 20), role="president") == {"barack-obama", "donald-trump"}  # handover day
    assert holders(dt.date(2021, 1, 15), surname=["price"]) == set()  # January 2021 is not certain
    assert holders(dt.date(2022, 7, 25), surname=["price"]) == {"ned-price"}
    assert holders(dt.date(2022, 7, 25), surname=["park"], role="foreign minister") == {"park-jin"}
    assert holders(dt.date(2022, 7, 25), surname=["jin"]) == set()  # Korean order: the family name comes first
    assert REGISTRY.by_name("Antony J. Blinken").id == "antony-blinken"
    assert REGISTRY.by_name("ANTONY BLINKEN").id == "antony-blinken"
    assert REGISTRY.by_name("Blinken") is None


# --- labels through the registry -------------------------------------------------------------


WH_2011 = """THE WHITE HOUSE

Office of the Press Secretary

For Immediate Release                              December 13, 2011

REMARKS BY THE PRESIDENT AFTER A MEETING

Oval Office

THE PRESIDENT:  Good afternoon.

Q    Mr. President, on Iraq?

THE PRESIDENT:  We are leaving.

THE VICE PRESIDENT:  Indeed.
"""


def test_the_president_at_the_white_house_is_the_president_of_that_date():
    found = speakers(WH_2011)
    assert (found["THE PRESIDENT"].name, found["THE PRESIDENT"].person_id) == ("Barack Obama", "barack-obama")
    assert found["THE VICE PRESIDENT"].name == "Joe Biden"
    assert found["Q"].kind == "journalist"


def test_an_undated_event_resolves_no_role_through_the_registry():
    undated = WH_2011.replace("December 13, 2011", "")
    found = speakers(undated, metadata=WHITE_HOUSE)
    assert found["THE PRESIDENT"].resolved is False and found["THE PRESIDENT"].name == "The President"
    assert found["THE VICE PRESIDENT"].resolved is False


def test_a_handover_day_names_no_one():
    found = speakers(WH_2011.replace("December 13, 2011", "January 20, 2017"))
    assert found["THE PRESIDENT"].resolved is False


def test_the_president_of_a_un_meeting_is_not_in_the_registry():
    text = (
        "General Assembly\nSeventy-seventh session\n10th plenary meeting\nTuesday, 20 September 2022, 9 a.m.\n"
        "New York\n\nThe President: I give the floor to the Secretary-General.\n\n"
        "The Secretary-General: Thank you, Mr. President.\n"
    )
    found = speakers(text, metadata={"url": "https://press.un.org/en/2022/ga12447.doc.htm"})
    assert found["The President"].resolved is False


def test_a_spokesperson_by_surname_at_their_own_department_on_the_date():
    briefing = "Department Press Briefing – July 25, 2022\n\nMR PRICE: Good afternoon.\n\nQUESTION: Ned?\n"
    assert speakers(briefing, metadata=STATE)["MR PRICE"].name == "Ned Price"
    assert speakers(briefing.replace("2022", "2019"), metadata=STATE)["MR PRICE"].label_only
    # the same surname at another publisher is not theirs
    assert speakers(briefing, metadata=WHITE_HOUSE)["MR PRICE"].label_only
    assert speakers(briefing, metadata=STATE, registry=None)["MR PRICE"].label_only


def test_psaki_at_the_state_department_in_2013_and_at_the_white_house_in_2021():
    state = "Daily Press Briefing\n\nWashington, DC\n\nMay 7, 2013\n\nMS. PSAKI: Hello.\n"
    assert speakers(state, metadata=STATE)["MS. PSAKI"].name == "Jen Psaki"
    white_house = "Press Briefing\n\nJames S. Brady Press Briefing Room\n\nJune 2, 2021\n\nMS. PSAKI: Hi.\n"
    assert speakers(white_house, metadata=WHITE_HOUSE)["MS. PSAKI"].name == "Jen Psaki"
    assert speakers(white_house.replace("2021", "2019"), metadata=WHITE_HOUSE)["MS. PSAKI"].label_only


def test_a_role_and_a_surname_anywhere_in_the_registry():
    text = "Joint Press Availability\n\nSeoul, South Korea\n\nJune 13, 2022\n\nFOREIGN MINISTER PARK: Welcome.\n"
    assert speakers(text)["FOREIGN MINISTER PARK"].name == "Park Jin"
    assert speakers(text.replace("2022", "2012"))["FOREIGN MINISTER PARK"].label_only
    # a role the registry does not give them: not them
    assert speakers(text.replace("FOREIGN MINISTER PARK", "PRIME MINISTER PARK"))["PRIME MINISTER PARK"].label_only


def test_names_the_file_gives_take_the_registry_spelling_and_id():
    text = (
        "Secretary Antony J. Blinken at a Press Availability\n\nAntony J. Blinken, Secretary of State\n\n"
        "Bangkok, Thailand\n\nSECRETARY BLINKEN: Good morning.\n"
    )
    undated = parse_transcript(text, registry=REGISTRY)
    assert undated.turns[0].speaker.name == "Antony Blinken"  # the file names him: no date needed
    assert undated.turns[0].speaker.person_id == "antony-blinken"
    assert undated.participants[0].speaker.person_id == "antony-blinken"


def test_a_title_with_a_role_and_a_surname_only_on_its_date():
    text = "REMARKS BY PRESIDENT OBAMA\n\nEast Room\n\n{date}\n\nPRESIDENT OBAMA:  Thank you all.\n"
    assert speakers(text.format(date="March 5, 2009"))["PRESIDENT OBAMA"].name == "Barack Obama"
    assert speakers(text.format(date=""))["PRESIDENT OBAMA"].name == "President Obama"


# --- the shipped registry files ----------------------------------------------------------------


def test_the_shipped_registry_passes_its_consistency_check():
    result = subprocess.run(
        [sys.executable, str(ROOT / "fixtures" / "registry" / "check.py")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_shipped_registry_reads_as_one_registry():
    files = sorted((ROOT / "fixtures" / "registry").glob("*.json"))
    registry = Registry.from_popolo(*(json.loads(path.read_text(encoding="utf-8")) for path in files))
    assert registry.persons and registry.memberships
    assert all(m.person_id in registry.persons for m in registry.memberships)


# --- the database --------------------------------------------------------------------------------


@pytest.fixture
def registry_file(tmp_path):
    path = tmp_path / "registry.json"
    path.write_text(json.dumps(SMALL_REGISTRY), encoding="utf-8")
    return path


@pytest.mark.django_db
def test_load_export_and_reload(registry_file, tmp_path, capsys):
    from archive.registry import current
    from archive.registry.models import Membership, Person

    call_command("load_registry", str(registry_file))
    assert "0 updated" in capsys.readouterr().out
    assert Person.objects.count() == len(SMALL_REGISTRY["persons"])
    assert current().by_name("Ned Price").id == "ned-price"
    price = Membership.objects.get(person__popolo_id="ned-price")
    price.end_date = "2023-06-01"  # an archivist's correction
    price.save()
    call_command("load_registry", str(registry_file))
    assert "kept as edited" in capsys.readouterr().out
    assert Membership.objects.get(pk=price.pk).end_date == "2023-06-01"
    exported = tmp_path / "out.json"
    call_command("export_registry", str(exported))
    document = json.loads(exported.read_text(encoding="utf-8"))
    assert {p["id"] for p in document["persons"]} == {p["id"] for p in SMALL_REGISTRY["persons"]}
    assert next(m for m in document["memberships"] if m["person_id"] == "ned-price")["end_date"] == "2023-06-01"
    call_command("load_registry", str(registry_file), update=True)
    assert Membership.objects.get(pk=price.pk).end_date == "2023-06"


@pytest.mark.django_db
def test_a_broken_registry_file_is_a_clear_error(tmp_path):
    from django.core.management import CommandError

    bad = tmp_path / "bad.json"
    membership = {"id": "x--nope--2020", "person_id": "x", "post_id": "nope", "start_date": "2020", "sources": []}
    bad.write_text(json.dumps({"persons": [{"id": "x", "name": "X"}], "memberships": [membership]}))
    with pytest.raises(CommandError, match="unknown id 'nope'"):
        call_command("load_registry", str(bad))
    (tmp_path / "worse.json").write_text("{")
    with pytest.raises(CommandError, match="cannot be read as JSON"):
        call_command("load_registry", str(tmp_path / "worse.json"))


@pytest.mark.django_db
def test_loading_the_registry_merges_label_only_speakers_it_identifies(registry_file, tmp_path):
    from archive.models import Event, Speaker, SpeakerRedirect, Turn

    (tmp_path / "a.txt").write_text(
        "Daily Press Briefing\n\nWashington, DC\n\nMay 7, 2013\n\nMS. PSAKI: Hello.\n\nQUESTION: Jen?\n\n"
        "MS. PSAKI: Yes.\n",
        encoding="utf-8",
    )
    (tmp_path / "b.txt").write_text(
        "Press Briefing by Press Secretary Jen Psaki\n\nJune 2, 2021\n\nMS. PSAKI: Hi.\n", encoding="utf-8"
    )
    (tmp_path / "c.txt").write_text("Remarks\n\nMS. PSAKI: Undated, so unknown.\n", encoding="utf-8")
    for name in "ac":  # published by the State Department
        (tmp_path / f"{name}.json").write_text(json.dumps({"url": STATE["url"] + name}), encoding="utf-8")
    call_command("ingest", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), verbosity=0)
    label_only = Speaker.objects.get(name="Ms. Psaki")
    assert label_only.turns.count() == 2
    call_command("load_registry", str(registry_file))
    jen = Speaker.objects.get(person__popolo_id="jen-psaki")
    assert jen.name == "Jen Psaki" and jen.turns.count() == 3
    assert not Speaker.objects.filter(name="Ms. Psaki").exists()
    assert SpeakerRedirect.objects.get(old_slug=label_only.slug).speaker == jen
    assert not jen.aliases.filter(confirmed=True).exists()  # the registry resolves the label from now on
    assert not Event.objects.filter(edited_since_ingest=True).exists()  # re-ingest still rewrites them
    # an undated file ingested afterwards keeps the label
    call_command("ingest", str(tmp_path / "c.txt"), verbosity=0)
    assert Turn.objects.get(text="Undated, so unknown.").speaker.name == "Ms. Psaki"
    assert Event.objects.count() == 3


@pytest.mark.django_db
def test_parse_transcript_previews_with_a_registry(registry_file, tmp_path, capsys):
    path = tmp_path / "briefing.txt"
    path.write_text("Department Press Briefing – July 25, 2022\n\nMR PRICE: Good afternoon.\n", encoding="utf-8")
    (tmp_path / "briefing.json").write_text(json.dumps(STATE), encoding="utf-8")
    call_command("parse_transcript", str(path), "--registry", str(registry_file))
    turn = json.loads(capsys.readouterr().out)["turns"][0]
    assert (turn["speaker"], turn["person_id"]) == ("Ned Price", "ned-price")
    call_command("parse_transcript", str(path))  # the database's registry: empty here
    assert json.loads(capsys.readouterr().out)["turns"][0]["speaker"] == "Mr Price"


@pytest.mark.django_db
def test_registry_admin_pages_and_identify_action(admin_client, registry_file):
    from django.urls import reverse

    from archive.models import Speaker
    from archive.registry.models import Membership, Organization, Person, Post

    call_command("load_registry", str(registry_file), verbosity=0)
    for model in (Person, Membership, Post, Organization):
        name = f"admin:archive_{model._meta.model_name}"
        obj = model.objects.order_by("pk").first()
        for url in (reverse(f"{name}_changelist"), reverse(f"{name}_change", args=[obj.pk])):
            assert admin_client.get(url).status_code == 200, url
    price = Person.objects.get(popolo_id="ned-price")
    speaker = Speaker.objects.create(name="Ned Price", slug="ned-price")
    response = admin_client.post(
        reverse("admin:archive_person_changelist"), {"action": "identify", "_selected_action": [price.pk]}
    )
    assert response.status_code == 302
    speaker.refresh_from_db()
    assert speaker.person == price
    page = admin_client.get(reverse("admin:archive_person_changelist") + "?q=price").content.decode()
    assert "Spokesperson 2021-01–2023-06" in page and "/admin/archive/speaker/" in page
