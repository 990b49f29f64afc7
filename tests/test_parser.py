"""The parser on plain strings and on real files; no database."""

import datetime as dt
import re

import pytest

from archive.parser import ParseError, check_complete, match_label, parse_transcript, words
from tests.support import REFERENCE, read_corpus_file


def parse(text, **kwargs):
    return parse_transcript(text, **kwargs)


# --- the reference transcript -------------------------------------------------------------


@pytest.fixture(scope="module")
def reference():
    return parse(REFERENCE.read_text(encoding="utf-8"), filename=REFERENCE.name)


def test_reference_header_fields(reference):
    assert reference.title == "Remarks With Russian Foreign Minister Sergey Lavrov"
    assert reference.date == dt.date(2013, 5, 7)
    assert (reference.city, reference.country) == ("Moscow", "Russia")
    assert reference.place == "Moscow, Russia"
    assert reference.venue == "Osobnyak Guesthouse"
    assert reference.source_ref == "2013/T05-02"
    assert reference.trailer_text == "PRN: 2013/T05-02"
    assert reference.header_text.startswith("Remarks With Russian Foreign Minister Sergey Lavrov\n\nJohn Kerry\n")
    assert reference.collection == "U.S. Department of State"
    assert reference.kind == "remarks"


def test_reference_turns(reference):
    turns = reference.turns
    assert len(turns) == 22
    assert sum(1 for t in turns if t.speaker and t.speaker.name == "John Kerry") == 10
    assert sum(1 for t in turns if t.kind == "question") == 9
    assert sum(1 for t in turns if t.label == "QUESTION") == 9
    assert [t.sequence for t in turns if t.label == "MODERATOR"] == [9, 12]
    assert all(t.kind == "moderator" for t in turns if t.label == "MODERATOR")
    assert [t.label for t in turns].count("MS. PSAKI") == 1
    assert [t.sequence for t in turns] == list(range(1, 23))


def test_reference_speakers_and_participants(reference):
    turns = reference.turns
    intro = next(t for t in turns if "Arshad Mohammed from Reuters" in t.text)
    question = turns[intro.sequence]  # the next turn
    assert question.kind == "question"
    assert (question.speaker.name, question.speaker.organisation) == ("Arshad Mohammed", "Reuters")
    assert question.speaker.kind == "journalist"
    kerry = turns[0].speaker
    assert (kerry.name, kerry.title, kerry.kind) == ("John Kerry", "Secretary of State", "person")
    participants = {(p.speaker.name, p.role) for p in reference.participants}
    assert ("John Kerry", "principal") in participants
    assert ("Sergey Lavrov", "counterpart") in participants


def test_reference_answers_link_to_their_questions(reference):
    answer = reference.turns[3]
    assert (answer.kind, answer.in_reply_to) == ("answer", 3)
    assert reference.turns[0].kind == "statement"
    assert reference.turns[8].language_note == "(In Russian.)"


# --- labels -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "label", "rest"),
    [
        ("MR PRICE: Good afternoon.", "MR PRICE", " Good afternoon."),
        ("MR. PRICE:  Good afternoon.", "MR. PRICE", "  Good afternoon."),
        ("Mr. Price: Good afternoon.", "Mr. Price", " Good afternoon."),
        ("MS. PSAKI:\u00a0 Hi", "MS. PSAKI", "\u00a0 Hi"),
        ("Q\u00a0\u00a0\u00a0 Oooh.", "Q", "\u00a0\u00a0\u00a0 Oooh."),
        ("Moderator: Next question.", "Moderator", " Next question."),
        ("Assistant Secretary Nichols: Thanks.", "Assistant Secretary Nichols", " Thanks."),
        (
            "1. SAUERBREY:(Via interpreter) Thank you, Minister.",
            "1. SAUERBREY",
            "(Via interpreter) Thank you, Minister.",
        ),
        ("SECRETARY McDONOUGH: Thank you.", "SECRETARY McDONOUGH", " Thank you."),
        (
            "PRESIDENT LÓPEZ OBRADOR: (As interpreted.) Thank you.",
            "PRESIDENT LÓPEZ OBRADOR",
            " (As interpreted.) Thank you.",
        ),
        ("[Senior administration official]: We think so.", "[Senior administration official]", " We think so."),
        ("MODERATOR:", "MODERATOR", ""),
    ],
)
def test_labels(line, label, rest):
    assert match_label(line) == (label, rest)


@pytest.mark.parametrize(
    "line",
    [
        "To be clear: we support it.",
        "My question is: why?",
        "Second: the economy.",
        "World Press Freedom Day 2022: a statement.",
        "PRN: 2013/T05-02",
        "NOTE: embargoed",
        "Qatar is a partner.",
        "One thing that’s clear: The President of the United States has said",
        "Washington, D.C.",
    ],
)
def test_not_labels(line):
    assert match_label(line) is None


# --- layouts from strings ------------------------------------------------------------------

STATE_2021 = """Department Press Briefing – June 2, 2021

Jalina Porter, Principal Deputy Spokesperson

Washington, D.C.

2:02 p.m. EDT

MS PORTER: Good afternoon, everyone.

QUESTION:\u00a0 Hi, Jalina. On Iran?

MS PORTER: We have nothing to announce.

(Cross-talk.)

And one more thing on Iran.

(The briefing was concluded at 2:29 p.m.)

# # #

1. internationally ↑
"""


def test_state_department_2021_layout():
    t = parse(STATE_2021)
    assert t.title == "Department Press Briefing – June 2, 2021"
    assert t.date == dt.date(2021, 6, 2)
    assert t.time == "2:02 p.m. EDT"
    assert (t.city, t.country) == ("Washington, D.C.", "United States")
    assert t.kind == "press_briefing"
    assert [(p.speaker.name, p.speaker.title, p.role) for p in t.participants] == [
        ("Jalina Porter", "Principal Deputy Spokesperson", "principal")
    ]
    assert [(x.label, x.kind) for x in t.turns] == [
        ("MS PORTER", "statement"),
        ("QUESTION", "question"),
        ("MS PORTER", "answer"),
        (None, "stage_direction"),
        (None, "answer"),
    ]
    assert t.turns[1].text == "Hi, Jalina. On Iran?"
    assert t.turns[2].speaker.name == "Jalina Porter"
    assert t.turns[4].speaker.name == "Jalina Porter"  # the speech goes on after the interruption
    assert t.trailer_text.startswith("(The briefing was concluded at 2:29 p.m.)")
    assert t.trailer_text.endswith("1. internationally ↑")


WHITE_HOUSE_OLD = """THE WHITE HOUSE

Office of the Press Secretary

For Immediate Release                              March 5, 2009

REMARKS BY PRESIDENT OBAMA AND PRIME MINISTER BROWN
IN JOINT PRESS AVAILABILITY

Oval Office

11:34 A.M. EST

PRESIDENT OBAMA:  Well, it is a great pleasure to welcome Prime Minister Brown.

PRIME MINISTER BROWN:  Thank you, Mr. President.  (Applause.)

Q    Mr. President, on the economy --

THE PRESIDENT:  Well, let me say this.

END
12:05 P.M. EST
"""


def test_older_white_house_release_layout():
    t = parse(WHITE_HOUSE_OLD)
    assert t.title == "REMARKS BY PRESIDENT OBAMA AND PRIME MINISTER BROWN IN JOINT PRESS AVAILABILITY"
    assert t.date == dt.date(2009, 3, 5)
    assert t.time == "11:34 A.M. EST"
    assert t.venue == "Oval Office"
    assert t.collection == "The White House"
    assert t.kind == "joint_press"
    assert t.trailer_text == "END\n12:05 P.M. EST"
    assert [x.speaker.name for x in t.turns if x.kind != "question"] == [
        "President Obama",
        "Prime Minister Brown",
        "President Obama",
    ]
    assert t.turns[3].in_reply_to == 3


def test_white_house_q_without_colon_and_ambiguous_president():
    text = "Press Gaggle\n\nAboard Air Force One\n\nQ    What about Iran?\n\nTHE PRESIDENT:  No comment.\n"
    t = parse(text)
    assert t.turns[0].kind == "question" and t.turns[0].label == "Q"
    unresolved = t.turns[1].speaker
    assert (unresolved.resolved, unresolved.name) == (False, "The President")  # never invented


def test_un_general_debate_hard_wrapped_file_is_reflowed():
    text = (
        "\ufeffLet me \nbegin by congratulating the presidency on the success \nof the High-level Meeting "
        "on the least developed \ncountries, earlier in the week. I had the honour of \nparticipating in "
        "the meeting on anti-\npersonnel mines. \n I would like to express my deepest thanks and \n"
        "admiration to the Secretary-General for his \nservice. \n" + "The work goes on and on and on \n" * 6
    )
    t = parse(text, filename="KOR_61_2006.txt")
    assert t.header_text == "" and t.trailer_text == ""
    assert t.year == 2006 and t.date is None
    assert t.kind == "speech"
    assert t.title == "Statement by South Korea to the UN General Assembly General Debate, session 61 (2006)"
    (turn,) = t.turns
    assert turn.speaker.name == "Representative of South Korea" and turn.label is None
    paragraphs = turn.text.split("\n\n")
    assert paragraphs[0].startswith("Let me begin by congratulating the presidency on the success of the High-level")
    assert "anti-personnel mines." in paragraphs[0]
    assert paragraphs[1].startswith("I would like to express")


def test_numbered_ocr_paragraphs_start_new_paragraphs():
    body = "".join(
        f"{n}.\tParagraph {n} of the speech, which goes on for a while.\nand wraps here.\n" for n in range(1, 9)
    )
    t = parse(body, filename="ETH_16_1961.txt")
    paragraphs = t.turns[0].text.split("\n\n")
    assert len(paragraphs) == 8
    assert paragraphs[1] == "2.\tParagraph 2 of the speech, which goes on for a while. and wraps here."


def test_metadata_fills_what_the_text_does_not_state():
    text = "Secretary Blinken With a Journalist\n\nQUESTION: Hello?\n\nSECRETARY BLINKEN: Hi.\n"
    metadata = {
        "published": "Mon, 25 Jul 2022 23:46:25 +0000",
        "url": "https://www.state.gov/secretary-blinken/",
        "category": "interview",
    }
    t = parse(text, metadata=metadata)
    assert t.date == dt.date(2022, 7, 25)
    assert t.collection == "U.S. Department of State"
    assert t.source_url == metadata["url"]
    assert t.kind == "interview"
    assert parse(text, filename="2021-06-02-something.txt").date == dt.date(2021, 6, 2)
    undated = parse(text, filename="something.txt")
    assert (undated.date, undated.year) == (None, None)


# --- errors ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no words"),
        ("   \n\n\t  ", "no words"),
        ("--- *** ---", "no words"),
        ("<html><body><p>Remarks</p></body></html>", "HTML"),
        ("Just a title", "no recognisable structure"),
        ("id,name,value\n1,foo,2\n3,bar,4\n", "no recognisable structure"),
        ("abc\x00def", "NUL"),
    ],
)
def test_parse_errors(text, message):
    with pytest.raises(ParseError, match=message):
        parse(text)


def test_check_complete_names_the_first_missing_line():
    t = parse("Title\n\nMR X: one two\n\nMR Y: three four\n")
    broken = t.__class__(**{**t.__dict__, "turns": t.turns[:1]})
    with pytest.raises(ParseError) as error:
        check_complete("Title\n\nMR X: one two\n\nMR Y: three four\n", broken)
    assert error.value.line == 5
    assert "MR" in str(error.value) or "Y" in str(error.value)


# --- real files ------------------------------------------------------------------------------


def parse_corpus(corpus_dir, corpus_index, relative):
    return parse(read_corpus_file(corpus_dir, relative), metadata=corpus_index.get(relative), filename=relative)


@pytest.mark.slow
@pytest.mark.one_database
def test_every_corpus_file_parses_without_losing_a_word(corpus_dir, corpus_index):
    files = sorted(corpus_dir.glob("*/*.txt"))
    assert len(files) >= 290
    for path in files:
        relative = str(path.relative_to(corpus_dir))
        text = path.read_text(encoding="utf-8-sig")
        transcript = parse_corpus(corpus_dir, corpus_index, relative)
        assert words(transcript.stored_text()) == words(text), relative
        assert transcript.turns, relative


GOLDEN = [
    # (file, title start, date, place, venue, turns, first label, last label, speaker checks)
    (
        "us-state-dept-rss-2021-2022/2022-07-25-department-press-briefing-july-25-2022.txt",
        "Department Press Briefing – July 25, 2022",
        dt.date(2022, 7, 25),
        {"MR PRICE": "Ned Price"},
    ),
    (
        "us-state-dept-rss-2021-2022/2022-05-03-secretary-antony-j-blinken-and-mexican-foreign-secretary-marcelo-ebrar.txt",
        "Secretary Antony J. Blinken and Mexican Foreign Secretary Marcelo Ebrard",
        None,
        {"SECRETARY BLINKEN": "Antony J. Blinken"},
    ),
    (
        "us-state-dept-rss-2021-2022/2021-07-21-briefing-with-senior-state-department-officials-on-european-energy-sec.txt",
        "Briefing with Senior State Department Officials On European Energy Security",
        dt.date(2021, 7, 21),
        {"SENIOR STATE DEPARTMENT OFFICIAL ONE": "Senior State Department Official One", "MODERATOR": "Moderator"},
    ),
    (
        "whitehouse-briefing-room-2021-2025/2022-09-26-press-briefing-by-press-secretary-karine-jean-pierre-september-26-2022.txt",
        "Press Briefing by Press Secretary Karine Jean-Pierre, September 26,",
        dt.date(2022, 9, 26),
        {"MS. JEAN-PIERRE": "Karine Jean-Pierre", "Q": "Journalist (unidentified)"},
    ),
    (
        "whitehouse-briefing-room-2021-2025/2022-07-12-remarks-by-president-biden-and-president-lopez-obrador-of-mexico-before-bilateral-meeting.txt",
        "Remarks by President\u00a0Biden and President López Obrador",
        dt.date(2022, 7, 12),
        {"PRESIDENT BIDEN": "President Biden", "PRESIDENT LÓPEZ OBRADOR": "López Obrador"},
    ),
]


@pytest.mark.parametrize(
    ("relative", "title", "date", "speakers"), GOLDEN, ids=[g[0].split("/")[1][:40] for g in GOLDEN]
)
def test_golden_files(corpus_dir, corpus_index, relative, title, date, speakers):
    t = parse_corpus(corpus_dir, corpus_index, relative)
    assert t.title.startswith(title)
    if date:
        assert t.date == date
    by_label = {}
    for turn in t.turns:
        if turn.label and turn.speaker:
            by_label.setdefault(turn.label, set()).add(turn.speaker.name)
    for label, name in speakers.items():
        assert name in by_label[label]
    assert t.header_text and t.turns[0].label


def test_golden_state_department_briefing_details(corpus_dir, corpus_index):
    t = parse_corpus(corpus_dir, corpus_index, GOLDEN[0][0])
    assert t.time.endswith("EDT") or t.time == ""
    assert t.trailer_text.startswith("(The briefing was concluded")
    assert t.turns[0].label == "MR PRICE" and t.turns[0].kind == "statement"
    questions = [turn for turn in t.turns if turn.kind == "question"]
    assert len(questions) > 30
    assert all(turn.in_reply_to for turn in t.turns if turn.kind == "answer")


def test_golden_white_house_briefing_details(corpus_dir, corpus_index):
    t = parse_corpus(corpus_dir, corpus_index, GOLDEN[3][0])
    assert t.venue == "James S. Brady Press Briefing Room"
    assert t.time == "1:27 P.M. EDT"
    assert re.fullmatch(r"\d{1,2}:\d\d P\.M\. EDT", t.trailer_text)
    assert t.turns[0].label == "Q"


def test_golden_bilateral_counterpart(corpus_dir, corpus_index):
    t = parse_corpus(corpus_dir, corpus_index, GOLDEN[4][0])
    roles = {p.speaker.name: p.role for p in t.participants}
    assert roles["President Biden"] == "principal"
    assert roles["López Obrador"] == "counterpart"
    assert t.venue == "Oval Office"


def test_golden_un_files(corpus_dir, corpus_index):
    for relative, country in [
        ("un-general-debate/KOR_61_2006.txt", "South Korea"),
        ("un-general-debate/ETH_16_1961.txt", "Ethiopia"),
    ]:
        t = parse_corpus(corpus_dir, corpus_index, relative)
        assert len(t.turns) == 1
        assert t.turns[0].speaker.organisation == country
        assert t.year == int(relative[-8:-4])
        assert t.turns[0].text.startswith(("It is with great pleasure", "Let me begin by congratulating"))


UN_SECURITY_COUNCIL = """United Nations S/PV.9000

Security Council
9000th meeting
Monday, 3 April 2023, 10 a.m.
New York

The President: I welcome the representatives of the following States to this meeting.

Mr. Nebenzia (Russian Federation) (spoke in Russian): I thank the President for convening this meeting today.

Mrs. Thomas-Greenfield (United States of America): Thank you, Madam President, for your remarks today.

The meeting rose at 1.05 p.m.
"""


def test_un_verbatim_record_layout_with_countries_and_language_notes_in_labels():
    t = parse(UN_SECURITY_COUNCIL)
    assert t.date == dt.date(2023, 4, 3)
    assert t.trailer_text == "The meeting rose at 1.05 p.m."
    president, russia, usa = t.turns
    assert (president.label, president.speaker.kind, president.speaker.scope) == ("The President", "role", "event")
    assert russia.label == "Mr. Nebenzia (Russian Federation) (spoke in Russian)"
    assert (russia.speaker.name, russia.speaker.organisation) == ("Mr. Nebenzia", "Russian Federation")
    assert russia.language_note == "(spoke in Russian)"
    assert usa.speaker.organisation == "United States of America"


def test_older_state_department_header_without_blank_lines():
    text = (
        "Remarks\nHillary Rodham Clinton\nSecretary of State\nTreaty Room\nWashington, DC\nJanuary 21, 2010\n\n"
        "SECRETARY CLINTON: Thank you very much.\n\nQUESTION: Madam Secretary, on China?\n\n"
        "SECRETARY CLINTON: We will continue to raise it.\n"
    )
    t = parse(text)
    assert (t.title, t.venue, t.city, t.date) == ("Remarks", "Treaty Room", "Washington, D.C.", dt.date(2010, 1, 21))
    assert t.turns[0].speaker.name == "Hillary Rodham Clinton"
    assert t.turns[0].speaker.title == "Secretary of State"


def test_role_words_in_labels():
    text = (
        "Interview\n\nINTERVIEWER: First question, Minister?\n\nMINISTER ORTEGA: An answer.\n\n"
        "UNIDENTIFIED REPORTER: And a shouted one?\n\nCO-HOST: We are out of time.\n\n"
        "AUDIENCE MEMBER: Thank you!\n\nPRESS SECRETARY PSAKI: Thanks, everyone.\n"
    )
    kinds = [(turn.label, turn.kind, turn.speaker.kind) for turn in parse(text).turns]
    assert kinds == [
        ("INTERVIEWER", "question", "journalist"),
        ("MINISTER ORTEGA", "answer", "person"),
        ("UNIDENTIFIED REPORTER", "question", "journalist"),
        ("CO-HOST", "moderator", "moderator"),
        ("AUDIENCE MEMBER", "statement", "audience"),
        ("PRESS SECRETARY PSAKI", "statement", "person"),
    ]


def test_question_and_answer_interview_labels():
    text = (
        "Interview With Jane Doe of The Daily News\n\nJohn Smith, Foreign Minister\n\n"
        "Q: Minister, what did you discuss?\n\nA: The next steps.\n"
    )
    t = parse(text)
    assert [(x.label, x.kind, x.speaker.name) for x in t.turns] == [
        ("Q", "question", "Jane Doe"),  # the journalist the title names
        ("A", "answer", "John Smith"),
    ]
    assert t.turns[0].speaker.organisation == "The Daily News"
    assert t.kind == "interview"
