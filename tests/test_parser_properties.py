"""Property tests: on any text the parser raises only ParseError, and never loses a word."""

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.parser import ParseError, parse_transcript, words

FRAGMENTS = [
    "MR PRICE:",
    "MR. PRICE: ",
    "Mr. Price:",
    "QUESTION:\u00a0 ",
    "Q\u00a0\u00a0\u00a0 ",
    "Q ",
    "MODERATOR:",
    "THE PRESIDENT:  ",
    "1. SAUERBREY:(Via interpreter)",
    "SENIOR STATE DEPARTMENT OFFICIAL ONE:",
    "(Laughter.)",
    "(In Russian.)",
    "(The briefing was concluded at 2:29 p.m.)",
    "# # #",
    "END",
    "2:45 P.M. EST",
    "PRN: 2013/T05-02",
    "1. internationally ↑",
    "May 7, 2013",
    "Moscow, Russia",
    "John Kerry, Secretary of State",
    "Remarks With Russian Foreign Minister Sergey Lavrov",
    "THE WHITE HOUSE",
    "For Immediate Release",
    "anti-",
    "personnel",
    "110.\tMuch has been said",
    "Thank you very much, Sergey.",
    "Good afternoon, everyone, and thank you for joining today’s briefing on the economy.",
    "COVID-\u206019",
    "\ufeff",
    "\f",
    "\r\n",
    "\t",
    ":",
    "-",
    "é\u0301",
    "Ärger über Öl",
    "日本語のテキスト",
    "<b>",
]

line = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=30), min_size=0, max_size=6).map(" ".join)
document = st.lists(line, min_size=0, max_size=30).flatmap(
    lambda lines: st.lists(st.sampled_from(["\n", "\n\n", "\n \n"]), min_size=len(lines), max_size=len(lines)).map(
        lambda seps: "".join(a + b for a, b in zip(lines, seps, strict=True))
    )
)


def normalised_words(text):
    # what the parser is promised to keep: the words of the text as read (a BOM is not a word)
    return words(text.lstrip("\ufeff"))


def check(text, filename=""):
    try:
        transcript = parse_transcript(text, filename=filename)
    except ParseError as error:
        assert "would be lost" not in error.message, error
        assert "not in the source" not in error.message, error
        return
    assert words(transcript.stored_text()) == normalised_words(re.sub(r"[\x00-\x08\x0b\x0e-\x1f\x7f]", " ", text))
    assert [turn.sequence for turn in transcript.turns] == list(range(1, len(transcript.turns) + 1))


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_any_unicode_text(text):
    check(text)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document, st.sampled_from(["", "KOR_61_2006.txt", "2021-06-02-briefing.txt"]))
def test_transcript_like_text(text, filename):
    check(text, filename)
