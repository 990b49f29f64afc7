"""General rules on plain strings shaped like the layouts issue 11 names (older White House
releases, the 2025 whitehouse.gov layout, State Department briefings, EU and UN layouts), with
no database: header fields, names from everywhere the text states them, labels, and what is
never a turn."""

import datetime as dt

import pytest

from archive.parser import ParseError, parse_transcript
from archive.parser.registry import Registry
from tests.support.registry import SMALL_REGISTRY

REGISTRY = Registry.from_popolo(SMALL_REGISTRY)

WH_2011 = """THE WHITE HOUSE

Office of the Press Secretary
_________________________________________________________________
For Immediate Release                                  December 14, 2011

PRESS BRIEFING
BY PRESS SECRETARY ROBERT GIBBS 12/13/2011

James S. Brady Press Briefing Room

1:11 P.M. EST

MR. GIBBS:  Good afternoon.

Q    Thanks, Robert.  On the payroll tax?

MR. GIBBS:  We are working on it.

END
2:15 P.M. EST
"""


def by_label(transcript):
    return {turn.label: turn.speaker for turn in transcript.turns if turn.label}


def test_older_white_house_release_header():
    t = parse_transcript(WH_2011)
    assert t.title == "PRESS BRIEFING BY PRESS SECRETARY ROBERT GIBBS 12/13/2011"
    assert t.date == dt.date(2011, 12, 13)  # the event, not the release of the next day
    assert t.time == "1:11 P.M. EST"
    assert t.venue == "James S. Brady Press Briefing Room"
    assert (t.city, t.country) == ("Washington, D.C.", "United States")  # a White House room
    assert t.collection == "The White House"
    assert by_label(t)["MR. GIBBS"].name == "Robert Gibbs"
    assert t.trailer_text == "END\n2:15 P.M. EST"


@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("PRESS GAGGLE BY PRESS SECRETARY ROBERT GIBBS 2/5/09", dt.date(2009, 2, 5)),
        ("Press Briefing, 12/13/2011", dt.date(2011, 12, 13)),
        ("Remarks on 9/11", None),
    ],
)
def test_numeric_dates_in_titles(line, date):
    assert parse_transcript(f"{line}\n\nMR. GIBBS:  Good afternoon, everyone, and welcome.\n").date == date


def test_release_date_only_when_no_other_date_is_stated():
    text = WH_2011.replace(" 12/13/2011", "")
    assert parse_transcript(text).date == dt.date(2011, 12, 14)


@pytest.mark.parametrize(
    ("header", "venue", "city", "country", "time"),
    [
        ("Treaty Room\nWashington, DC", "Treaty Room", "Washington, D.C.", "United States", ""),
        ("WASHINGTON, D.C.", "", "Washington, D.C.", "United States", ""),
        ("Los Angeles Convention Center\nLos Angeles, California", "Los Angeles Convention Center", "Los Angeles",
         "United States", ""),
        ("Brussels\n1:11 P.M. (Local)", "", "Brussels", "Belgium", "1:11 P.M. (Local)"),
        ("Office of Communications\nOval Office", "Oval Office", "Washington, D.C.", "United States", ""),
        ("______________\nVia Teleconference", "", "", "", ""),
        ("Aboard Air Force One\nEn Route Denver, Colorado", "Air Force One", "", "", ""),
        ("Schloss Elmau Germany", "Schloss Elmau", "", "Germany", ""),
        ("Tomb Field, New York", "Tomb Field", "", "United States", ""),
        ("Tbilisi, Georgia", "", "Tbilisi", "Georgia", ""),
        ("Jerusalem", "", "Jerusalem", "", ""),
    ],
)  # fmt: skip
def test_venue_is_a_place_and_a_city_has_one_spelling(header, venue, city, country, time):
    t = parse_transcript(f"Remarks to the Press\n\n{header}\n\nMR. SMITH:  Good afternoon, everyone.\n")
    assert (t.venue, t.city, t.country, t.time) == (venue, city, country, time)


WH_2009_NAMES = """THE WHITE HOUSE

Office of the Press Secretary

For Immediate Release                          July 6, 2009

PRESS BRIEFING BY PRESS SECRETARY GIBBS, DEPUTY NATIONAL SECURITY ADVISOR FROMAN,
AND UNDER SECRETARY FOR INTERNATIONAL AFFAIRS BRAINARD

ROBERT GIBBS, PRESS SECRETARY; MIKE McFAUL, SENIOR DIRECTOR FOR RUSSIAN AFFAIRS;
MICHAEL FROMAN, DEPUTY NATIONAL SECURITY ADVISOR FOR INTERNATIONAL ECONOMIC AFFAIRS

Moscow, Russia

MR. GIBBS:  Good afternoon.

MR. McFAUL:  Thank you, Robert.

MR. FROMAN:  Thanks.

MS. BRAINARD:  Thank you.
"""


def test_names_from_capital_header_lines_and_no_names_made_of_role_words():
    t = parse_transcript(WH_2009_NAMES)
    speakers = by_label(t)
    assert speakers["MR. GIBBS"].name == "Robert Gibbs"
    assert speakers["MR. McFAUL"].name == "Mike McFaul"
    assert speakers["MR. FROMAN"].name == "Michael Froman"
    assert speakers["MS. BRAINARD"].label_only  # the file gives no first name
    names = {p.speaker.name for p in t.participants}
    assert not any(name.startswith(("Security Advisor", "Secretary Affairs")) for name in names)
    assert "Under Secretary for International Affairs Brainard" in names  # as printed, label-only
    assert t.turns[0].label == "MR. GIBBS"  # the header lines ending in commas and semicolons are header


def test_names_from_titles_introductions_and_self_introductions():
    text = (
        "Briefing With Acting Assistant Secretary for Near East Asian Affairs Joey Hood\n\n"
        "Via Teleconference\n\n"
        "MODERATOR:  We are joined today by Assistant Secretary of State for Conflict and Stabilization "
        "Operations Anne Witkowsky; and Principal Director at the Department of Defense Joseph McMenamin.\n\n"
        "MR HOOD:  Thanks.\n\nASSISTANT SECRETARY WITKOWSKY:  Hello.\n\nMR MCMENAMIN:  Hi.\n\n"
        "MR KURTZ-PHELAN:  Good afternoon, I’m Dan Kurtz-Phelan.  I edit a magazine.\n"
    )
    speakers = by_label(parse_transcript(text))
    assert speakers["MR HOOD"].name == "Joey Hood"
    assert speakers["ASSISTANT SECRETARY WITKOWSKY"].name == "Anne Witkowsky"
    assert speakers["MR MCMENAMIN"].name == "Joseph McMenamin"
    assert speakers["MR KURTZ-PHELAN"].name == "Dan Kurtz-Phelan"


def test_labels_match_names_by_surname_across_case_accents_and_apostrophes():
    text = (
        "Remarks\n\nAna Botín, Executive Chair; Conan O’Brien, Host Emeritus\n\n"
        "MS. BOTIN:  Hello.\n\nMR. O'BRIEN:  Hi.\n\nMR. LaBOLT:  And me?\n"
    )
    speakers = by_label(parse_transcript(text))
    assert speakers["MS. BOTIN"].name == "Ana Botín"
    assert speakers["MR. O'BRIEN"].name == "Conan O’Brien"
    assert speakers["MR. LaBOLT"].label_only


def test_an_undated_white_house_president_is_kept_as_the_label():
    text = WH_2011.replace("December 14, 2011", "").replace(" 12/13/2011", "").replace("MR. GIBBS", "THE PRESIDENT")
    speakers = by_label(parse_transcript(text, registry=REGISTRY))
    assert speakers["THE PRESIDENT"].resolved is False


# --- nothing invented ---------------------------------------------------------------------------


def test_a_file_with_only_a_header_is_refused():
    header = (
        "Remarks With Russian Foreign Minister Sergey Lavrov\n\nJohn Kerry\nSecretary of State\n"
        "Osobnyak Guesthouse\nMoscow, Russia\nMay 7, 2013\n"
    )
    with pytest.raises(ParseError, match="no speech"):
        parse_transcript(header)


def test_editors_notes_and_long_header_blocks_never_become_turns():
    text = (
        "Joint Statement to the Press\n\n"
        "NOTE: This transcript was corrected on May 8 to fix the spelling of a name in the second answer.\n\n"
        "SECRETARY KERRY:  Thank you very much.\n\n"
        "NOTE: The Secretary's remarks were interrupted by a fire alarm for about ten minutes here.\n\n"
        "SECRETARY KERRY:  As I was saying.\n"
    )
    t = parse_transcript(text)
    assert [turn.label for turn in t.turns if turn.kind != "stage_direction"] == ["SECRETARY KERRY"] * 2
    assert "corrected on May 8" in t.header_text
    note = next(turn for turn in t.turns if "fire alarm" in turn.text)
    assert (note.kind, note.speaker) == ("stage_direction", None)


# --- labels beyond capitals --------------------------------------------------------------------

EU_MIDDAY = """Midday briefing of 12 March 2024

Brussels

Peter Stano, Moderator: Good morning and welcome to the midday briefing. Let us start.

Secretary General Sannino: Thank you, Peter, and good morning to all of you.

Politico: A question on the sanctions package, please?

Secretary General Sannino: We are working on it.

Agence Europe: And on the timing?

ERT: Can I follow up on Greece?

Operator: The next question comes from the line of Juan Merlano.

QUESTION: Thank you. On the timing of the vote?
"""


def test_eu_and_un_labels_name_role_outlets_and_operators():
    t = parse_transcript(EU_MIDDAY)
    rows = [(turn.label, turn.speaker.name, turn.speaker.kind, turn.kind) for turn in t.turns]
    assert rows[0] == ("Peter Stano, Moderator", "Peter Stano", "person", "moderator")
    assert rows[1][:3] == ("Secretary General Sannino", "Secretary General Sannino", "person")
    assert rows[2] == ("Politico", "Journalist (Politico)", "journalist", "question")
    assert t.turns[2].speaker.organisation == "Politico"
    assert rows[4][1:] == ("Journalist (Agence Europe)", "journalist", "question")
    assert rows[5][1:] == ("Journalist (ERT)", "journalist", "question")  # an outlet, not "Ert"
    assert rows[6][2:] == ("moderator", "moderator")
    assert rows[7][1:] == ("Juan Merlano", "journalist", "question")  # named by the operator
    assert (t.date, t.city, t.country) == (dt.date(2024, 3, 12), "Brussels", "Belgium")


# --- question and answer -----------------------------------------------------------------------

WH_BRIEFING = """Press Briefing by Press Secretary Karine Jean-Pierre

James S. Brady Press Briefing Room

MS. JEAN-PIERRE:  Good afternoon, everybody.

Q    Good afternoon.

MS. JEAN-PIERRE:  I have two things at the top.  Then we will take questions.  Go ahead, Ed.

Q    Thanks, Karine.

Q    On the budget: will the President sign it?

MS. JEAN-PIERRE:  He will.

Q    Oooh.  (Laughter.)

MS. JEAN-PIERRE:  Jeff.

Q    Another one on the budget?

MS. JEAN-PIERRE:  We'll go to Juan Merlano.

Q    What about Mexico?

MS. JEAN-PIERRE:  Amos Hochstein.
"""


def test_greetings_are_not_questions_moderation_is_not_an_answer_and_named_reporters_ask():
    t = parse_transcript(WH_BRIEFING)
    rows = [(turn.kind, turn.speaker.name) for turn in t.turns]
    assert rows[1] == ("statement", "Journalist (unidentified)")  # "Good afternoon."
    assert rows[3] == ("statement", "Ed")  # "Thanks, Karine.": the reporter called on, not yet asking
    assert rows[4] == ("question", "Ed")  # the reporter called on before it
    assert t.turns[4].speaker.scope == "event"  # a first name alone names no one beyond this event
    assert rows[5][0] == "answer" and t.turns[5].in_reply_to == 5
    assert rows[6][0] == "statement"  # "Oooh. (Laughter.)"
    assert rows[7][0] == "moderator"  # "Jeff." gives the floor
    assert rows[8] == ("question", "Jeff")
    assert rows[10] == ("question", "Juan Merlano") and t.turns[10].speaker.scope == "archive"
    assert rows[11][0] == "answer"  # a name right after a question answers it


def test_a_reporter_labelled_by_name_in_a_briefing_is_a_journalist():
    text = (
        "Press Briefing by Press Secretary Robert Gibbs\n\nJames S. Brady Press Briefing Room\n\n"
        "MR. GIBBS:  Good afternoon.  Sheryl.\n\nMS. STOLBERG:  Robert, is the President going to sign it?\n\n"
        "MR. GIBBS:  Yes.\n\nMS. STOLBERG:  And when?\n\nMR. GIBBS:  Tomorrow.\n"
    )
    t = parse_transcript(text)
    stolberg = t.turns[1]
    assert (stolberg.speaker.name, stolberg.speaker.kind, stolberg.kind) == ("Ms. Stolberg", "journalist", "question")
    assert t.turns[2].kind == "answer"


WH_2025 = """Remarks by President Trump Before Marine One Departure

The White House

January 31, 2025

South Lawn

3:12 P.M. EST

THE PRESIDENT:  Thank you very much.

Q    Mr. President, on tariffs?

THE PRESIDENT:  We'll see.

END

3:30 P.M. EST
"""


def test_the_2025_white_house_layout_with_the_shipped_registry():
    import json

    from tests.support import ROOT

    files = sorted((ROOT / "fixtures" / "registry").glob("*.json"))
    shipped = Registry.from_popolo(*(json.loads(path.read_text(encoding="utf-8")) for path in files))
    t = parse_transcript(WH_2025, registry=shipped)
    assert (t.date, t.venue, t.city) == (dt.date(2025, 1, 31), "South Lawn", "Washington, D.C.")
    assert t.time == "3:12 P.M. EST"
    assert t.collection == "The White House"
    assert by_label(t)["THE PRESIDENT"].name == "Donald Trump"
    assert [turn.kind for turn in t.turns] == ["statement", "question", "answer"]
