"""Parsing transcripts: plain text in, frozen dataclasses out. Pure Python, no Django.

The door is `parse_transcript(text, metadata=..., filename=...)`. It recognises layouts by
general rules (a header block of short lines, speaker labels at line starts, a trailer of
closing marks), never by file, and it guarantees that every word of the text is kept:
`check_complete` runs on every parse and raises `ParseError` naming the first line whose
words would be lost.
"""

import contextlib
import dataclasses
import datetime as dt
import email.utils
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urlparse

import pycountry

# --- the parsed shapes -------------------------------------------------------------------


class ParseError(ValueError):
    """The text cannot be stored faithfully. `line` is 1-based, or None for the whole file.
    (`archive.sources.SourceError`, for files that cannot even be read, is one too.)"""

    def __init__(self, message, line=None):
        super().__init__(message)
        self.message = message
        self.line = line

    def __str__(self):
        return f"line {self.line}: {self.message}" if self.line else self.message


@dataclass(frozen=True)
class SpeakerRef:
    """Who a label denotes, as far as the text alone tells.

    scope is "archive" for speakers recognisable across events (people, a country's
    representative) and "event" for those that exist only in this transcript (a moderator,
    "Senior State Department Official One", an unidentified journalist). resolved is False
    for labels that name no one safely (`THE PRESIDENT` with no president in the header).
    """

    name: str
    kind: str  # person, role, journalist, moderator, audience
    title: str = ""
    organisation: str = ""
    scope: str = "archive"
    resolved: bool = True
    label_only: bool = False  # the name is only the printed label (`Ms Porter`), no full name known


@dataclass(frozen=True)
class Participant:
    speaker: SpeakerRef
    role: str  # principal, counterpart, moderator


@dataclass(frozen=True)
class ParsedTurn:
    sequence: int
    label: str | None
    speaker: SpeakerRef | None
    kind: str  # statement, question, answer, moderator, stage_direction
    text: str
    line: int
    language_note: str = ""
    in_reply_to: int | None = None


@dataclass(frozen=True)
class Transcript:
    title: str
    kind: str
    date: dt.date | None
    year: int | None
    time: str
    city: str
    country: str
    venue: str
    collection: str
    source_url: str
    source_ref: str
    header_text: str
    trailer_text: str
    participants: tuple[Participant, ...]
    turns: tuple[ParsedTurn, ...]
    warnings: tuple[str, ...] = field(default=())

    @property
    def place(self):
        return ", ".join(part for part in (self.city, self.country) if part)

    def stored_text(self):
        """Everything that is stored verbatim, in source order (what the word check reads)."""
        pieces = [self.header_text]
        for turn in self.turns:
            pieces.append(turn.label or "")
            pieces.append(turn.text)
        pieces.append(self.trailer_text)
        return "\n".join(pieces)


# --- vocabulary ---------------------------------------------------------------------------

WORD_RE = re.compile(r"\w+")

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
DATE_PATTERNS = [
    re.compile(_MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b", re.I),
    re.compile(r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<year>(?:19|20)\d\d)\b", re.I),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<monthnum>\d\d)-(?P<day>\d\d)\b"),
]
TIME_RE = re.compile(
    r"\b\d{1,2}(?::\d{2})?\s*(?:[ap]\.\s?m\.|[ap]m\b)(?:\s+[A-Z]{2,5}\b)?|\bnoon\b(?:\s+[A-Z]{2,5}\b)?", re.I
)
TIME_LINE_RE = re.compile(r"^(?:" + TIME_RE.pattern + r")\.?$", re.I)
# Eight words in a row: what a speech has and a list of data does not.
PROSE_RE = re.compile(r"(?:[^\W\d_][\w’'-]*[,;]?\s+){7}[^\W\d_]")
FILENAME_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
# UN General Debate corpus files are named ISO3_SESSION_YEAR.txt.
UN_FILENAME_RE = re.compile(r"^(?P<iso3>[A-Z]{3})_(?P<session>\d{1,3})_(?P<year>\d{4})\.txt$")

# Words that make a line a title or role ("Secretary of State") and that precede a surname
# in a label ("FOREIGN MINISTER ASHKENAZI").
ROLE_WORDS = {
    "acting",
    "adviser",
    "advisor",
    "ambassador",
    "administrator",
    "admiral",
    "affairs",
    "assistant",
    "attorney",
    "captain",
    "chair",
    "chairman",
    "chairperson",
    "chairwoman",
    "chancellor",
    "chief",
    "colonel",
    "commissioner",
    "congressman",
    "congresswoman",
    "consul",
    "coordinator",
    "counselor",
    "counsellor",
    "defense",
    "defence",
    "deputy",
    "director",
    "dr",
    "emir",
    "envoy",
    "executive",
    "external",
    "first",
    "foreign",
    "general",
    "governor",
    "head",
    "high",
    "his",
    "her",
    "excellency",
    "king",
    "lady",
    "leader",
    "majesty",
    "mayor",
    "minister",
    "miss",
    "mr",
    "mrs",
    "ms",
    "national",
    "officer",
    "premier",
    "president",
    "press",
    "prime",
    "prince",
    "princess",
    "principal",
    "queen",
    "representative",
    "secretary",
    "security",
    "senator",
    "senior",
    "sheikh",
    "special",
    "spokesman",
    "spokesperson",
    "spokeswoman",
    "state",
    "sultan",
    "under",
    "undersecretary",
    "vice",
    "sir",
    "dame",
    "lord",
    "madam",
    "madame",
    "senor",
    "señor",
    "sra",
    "sr",
}
# Words that mark the end of a name in a title ("... Marcelo Ebrard Before Their Meeting").
TITLE_STOPWORDS = {
    "a",
    "about",
    "after",
    "ahead",
    "and",
    "announcing",
    "at",
    "before",
    "by",
    "during",
    "en",
    "following",
    "for",
    "from",
    "in",
    "interview",
    "joint",
    "meeting",
    "of",
    "on",
    "press",
    "remarks",
    "route",
    "the",
    "their",
    "to",
    "with",
    "statement",
    "availability",
    "conference",
    "briefing",
    "call",
    "bilateral",
    "trip",
    "visit",
    "via",
    "statements",
    "comments",
    "op-ed",
    "dinner",
    "lunch",
    "event",
    "ceremony",
    "signing",
    "upcoming",
    "travel",
    "launch",
    "roundtable",
    "discussion",
    "townhall",
    "town",
    "hall",
    "session",
    "summit",
    "meet",
    "greet",
    "aboard",
    "previewing",
    "participation",
    "order",
    "as",
    "part",
    "opening",
    "closing",
    "welcome",
    "welcoming",
    "farewell",
    "toast",
}
# The event-local speaker of questions whose journalist the transcript does not name.
UNIDENTIFIED_JOURNALIST = "Journalist (unidentified)"
JOURNALIST_LABELS = {"Q", "QUESTION", "QUESTIONER", "REPORTER", "JOURNALIST", "AUDIENCE QUESTION"}
MODERATOR_LABELS = {"MODERATOR", "OPERATOR", "HOST", "ANNOUNCER", "MASTER OF CEREMONIES", "EMCEE", "MC"}
AUDIENCE_LABELS = {"AUDIENCE", "AUDIENCE MEMBER", "AUDIENCE MEMBERS", "CROWD", "PARTICIPANTS", "STUDENTS"}
# Words that make any label a role of that kind: `UNIDENTIFIED REPORTER`, `INTERVIEWER`, `CO-HOST`.
JOURNALIST_WORDS = {"QUESTION", "QUESTIONER", "REPORTER", "REPORTERS", "JOURNALIST", "INTERVIEWER", "CORRESPONDENT"}
MODERATOR_WORDS = {"MODERATOR", "OPERATOR", "HOST", "CO-HOST", "ANNOUNCER", "EMCEE"}
AUDIENCE_WORDS = {"AUDIENCE", "CROWD", "PARTICIPANTS", "STUDENTS", "STUDENT"}
# Upper-case "KEY:" lines that are data, not speakers.
NOT_SPEAKER_LABELS = {
    "NOTE",
    "NOTES",
    "EDITOR S NOTE",
    "SUBJECT",
    "DATE",
    "TIME",
    "LOCATION",
    "PLACE",
    "WHERE",
    "WHEN",
    "CONTACT",
    "UPDATE",
    "CORRECTION",
    "SOURCE",
    "PRN",
    "RELEASE",
    "EMBARGOED",
    "TRANSCRIPT",
    "AS PREPARED FOR DELIVERY",
    "AS DELIVERED",
    "FOR IMMEDIATE RELEASE",
    "TO",
    "FROM",
    "CC",
    "RE",
    "URL",
    "TITLE",
    "NAME",
}
LANGUAGE_NOTE_RE = re.compile(
    r"^\((?:in [A-Z][a-z]+(?: and [A-Z][a-z]+)?|via (?:an )?interpret(?:er|ation)|"
    r"through (?:an )?interpret(?:er|ation)|as interpreted|as translated|translated|"
    r"interpreted|via translation|no interpretation|spoke in [A-Z][a-z]+|interpretation from [A-Z][a-z]+)"
    r"[^()]{0,60}\.?\)\.?",
    re.I,
)
STAGE_DIRECTION_RE = re.compile(r"^\([^()]{1,200}\)\.?$")
# Header boilerplate of press offices, and who it names as publisher.
ISSUER_LINES = [
    (re.compile(r"^the white house$", re.I), "The White House"),
    (re.compile(r"^office of the (?:press secretary|vice president|first lady)", re.I), "The White House"),
    (re.compile(r"^office of the spokesperson$", re.I), "U.S. Department of State"),
    (re.compile(r"^(?:u\.s\. )?department of state$|^the state department$", re.I), "U.S. Department of State"),
    (re.compile(r"^for immediate release\b", re.I), ""),
    (re.compile(r"^embargoed\b", re.I), ""),
    (re.compile(r"^(?:as prepared for delivery|as delivered|check against delivery)\W*$", re.I), ""),
]
COLLECTIONS_BY_DOMAIN = {
    "state.gov": "U.S. Department of State",
    "whitehouse.gov": "The White House",
    "un.org": "United Nations",
}
COLLECTIONS_BY_SOURCE = {
    "state-dept-rss": "U.S. Department of State",
    "whitehouse": "The White House",
    "wh-biden": "The White House",
    "ungd": "UN General Assembly, General Debate",
}
KIND_BY_CATEGORY = {
    "department-press-briefing": "press_briefing",
    "press-briefing": "press_briefing",
    "press-availability": "joint_press",
    "interview": "interview",
    "remarks": "remarks",
    "remarks-diplomatic": "remarks",
    "press-call-gaggle": "press_briefing",
}
KIND_BY_TITLE = [
    (re.compile(r"\bbackground\b|\bsenior [\w\s]*officials?\b", re.I), "background_briefing"),
    (
        re.compile(
            r"\bjoint press|\bpress availability|\bpress conference|\bjoint (?:statement|remarks) to the press", re.I
        ),
        "joint_press",
    ),
    (
        re.compile(
            r"\binterview|\bpodcast\b|\bsits down with\b"
            r"|\bon (?:[A-Z][\w’']*\s)*(?:cnn|nbc|cbs|abc|msnbc|fox|bbc|npr|pbs)\b",
            re.I,
        ),
        "interview",
    ),
    (re.compile(r"\bbriefing\b|\bgaggle\b|\bpress call\b", re.I), "press_briefing"),
    (re.compile(r"\bremarks\b|\bbefore (?:their|a|the) (?:bilateral )?meeting\b|\bmeet and greet\b", re.I), "remarks"),
    (re.compile(r"\bspeech\b|\baddress\b|\bstatement\b|\bkeynote\b|\bgeneral debate\b", re.I), "speech"),
]
# "Secretary Blinken with Zakka Jacob of CNN-News18": an interview, unless the title names a counterpart.
WEAK_INTERVIEW_RE = re.compile(r"\bwith [A-Z][\w.’'-]+(?: [A-Z][\w.’'-]+)* (?:of|on) [A-Z]")
TRAILER_RES = [
    re.compile(r"^PRN:\s*\S.*$"),
    re.compile(r"^END\b.{0,40}$"),
    TIME_LINE_RE,
    re.compile(r"^(?:[#*_=~-]\s*){3,}$"),
    re.compile(
        r"^\((?:the )?[^()]{0,120}\b(?:conclude[sd]?|ended|adjourn(?:s|ed)?|end of [^()]*)\b[^()]{0,60}\)\.?$", re.I
    ),
    re.compile(
        r"^(?:the )?(?:meeting|briefing|session|call|press conference|conference) (?:rose|was adjourned|adjourned"
        r"|ended|concluded|was concluded)\b.{0,40}$",
        re.I,
    ),
    re.compile(r"^\d{1,3}\.\s.{0,200}↑\s*$"),
    re.compile(r"^\[\d{1,3}\]\s.{0,200}$"),
]


def _countries():
    names = {}
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                names[_fold(value)] = country
    return names


def _fold(text):
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).casefold().split())


COUNTRIES = None  # filled lazily: pycountry's tables take a moment to load
EXTRA_PLACES = {
    "russia": "Russia",
    "united states": "United States",
    "usa": "United States",
    "united kingdom": "United Kingdom",
    "uk": "United Kingdom",
    "england": "United Kingdom",
    "scotland": "United Kingdom",
    "wales": "United Kingdom",
    "northern ireland": "United Kingdom",
    "south korea": "South Korea",
    "republic of korea": "South Korea",
    "north korea": "North Korea",
    "iran": "Iran",
    "syria": "Syria",
    "vietnam": "Vietnam",
    "laos": "Laos",
    "bolivia": "Bolivia",
    "venezuela": "Venezuela",
    "tanzania": "Tanzania",
    "moldova": "Moldova",
    "czech republic": "Czechia",
    "the netherlands": "Netherlands",
    "the philippines": "Philippines",
    "vatican city": "Holy See",
    "the bahamas": "Bahamas",
    "ivory coast": "Côte d'Ivoire",
    "turkey": "Türkiye",
    "taiwan": "Taiwan",
    "palestinian territories": "Palestinian Territories",
    "west bank": "West Bank",
    "kosovo": "Kosovo",
}
US_STATES = {
    "alabama",
    "alaska",
    "arizona",
    "arkansas",
    "california",
    "colorado",
    "connecticut",
    "delaware",
    "florida",
    "georgia",
    "hawaii",
    "idaho",
    "illinois",
    "indiana",
    "iowa",
    "kansas",
    "kentucky",
    "louisiana",
    "maine",
    "maryland",
    "massachusetts",
    "michigan",
    "minnesota",
    "mississippi",
    "missouri",
    "montana",
    "nebraska",
    "nevada",
    "new hampshire",
    "new jersey",
    "new mexico",
    "new york",
    "north carolina",
    "north dakota",
    "ohio",
    "oklahoma",
    "oregon",
    "pennsylvania",
    "rhode island",
    "south carolina",
    "south dakota",
    "tennessee",
    "texas",
    "utah",
    "vermont",
    "virginia",
    "washington",
    "west virginia",
    "wisconsin",
    "wyoming",
    "puerto rico",
    "guam",
    "al",
    "ak",
    "az",
    "ar",
    "ca",
    "co",
    "ct",
    "de",
    "fl",
    "ga",
    "hi",
    "id",
    "il",
    "in",
    "ia",
    "ks",
    "ky",
    "la",
    "me",
    "md",
    "ma",
    "mi",
    "mn",
    "ms",
    "mo",
    "mt",
    "ne",
    "nv",
    "nh",
    "nj",
    "nm",
    "ny",
    "nc",
    "nd",
    "oh",
    "ok",
    "or",
    "pa",
    "ri",
    "sc",
    "sd",
    "tn",
    "tx",
    "ut",
    "vt",
    "va",
    "wa",
    "wv",
    "wi",
    "wy",
    "pr",
}
REMOTE_VENUES = re.compile(r"^(?:via |by )?(?:tele|video|virtual|phone|telephon)[\w\s]*$", re.I)


def country_name(text):
    """The country a place name denotes ("Russia", "Belgium"), or None."""
    global COUNTRIES
    if COUNTRIES is None:
        COUNTRIES = _countries()
    folded = _fold(text).rstrip(".")
    if folded in EXTRA_PLACES:
        return EXTRA_PLACES[folded]
    country = COUNTRIES.get(folded)
    if country is None:
        return None
    return getattr(country, "common_name", None) or country.name


# --- small text helpers ------------------------------------------------------------------


def words(text):
    return WORD_RE.findall(text)


def _is_blank(line):
    return not line.strip()


def _tokens(name):
    return _fold(name).replace(".", " ").split()


def _title_case(label):
    """`MR NEUMARKER` -> `Mr Neumarker`, keeping words printed in mixed case (`McDONOUGH`)."""

    def fix(word):
        if word.isupper() or word.islower():
            return re.sub(r"[^\W\d_]+", lambda m: m.group(0).capitalize(), word)
        return word

    return " ".join(fix(word) for word in label.split())


def _sentences(text):
    return re.split(r"(?<=[.!?])\s+", text.strip())


def parse_date(text):
    """The first calendar date written in the text, or None."""
    for pattern in DATE_PATTERNS:
        match = pattern.search(text)
        if not match:
            continue
        groups = match.groupdict()
        month = int(groups["monthnum"]) if groups.get("monthnum") else MONTHS[groups["month"].lower()]
        try:
            return dt.date(int(groups["year"]), month, int(groups["day"]))
        except ValueError:
            continue
    return None


# --- labels -------------------------------------------------------------------------------

# A label starts a line: optional list number (a source that wrapped a turn in <ol><li>),
# then the label and a colon; journalists' `Q` needs no colon in White House transcripts.
LABEL_RE = re.compile(
    r"^(?P<label>(?:\d{1,3}\.\s*)?(?:\[[^\]\n]{2,60}\]|[^\W\d_][^:\n()]{0,70}?(?:\s*\([^()\n]{1,60}\)){0,2}))"
    r"\s*:(?=\s|\(|$)(?P<rest>.*)$"
)
Q_RE = re.compile(r"^(?P<label>Q)(?:[.:]|(?=\s))(?P<rest>(?:\s.*)?)$")
HONORIFICS = {"mr", "ms", "mrs", "miss", "dr", "sir", "dame", "madam", "lord"}


def _label_core(label):
    """The label without a leading list number or trailing notes: `1. SAUERBREY` -> `SAUERBREY`,
    `Mr. Nebenzia (Russian Federation) (spoke in Russian)` -> `Mr. Nebenzia`."""
    return re.sub(r"(?:\s*\([^()]*\))+$", "", re.sub(r"^\d{1,3}\.\s*", "", label)).strip()


def _label_notes(label):
    """The parenthesised notes after a label: a country or organisation, or a language note."""
    return re.findall(r"\(([^()]*)\)", label[len(re.sub(r"(?:\s*\([^()]*\))+$", "", label)) :])


@functools.lru_cache(maxsize=4096)
def _label_key(label):
    folded = unicodedata.normalize("NFKD", _label_core(label))
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w\s-]", " ", folded.upper()).split())


@functools.lru_cache(maxsize=4096)
def _looks_like_label(label):
    core = _label_core(label)
    if not core or len(core) > 70:
        return False
    if core.startswith("[") and core.endswith("]"):
        return True
    key = _label_key(core)
    if not key or key in NOT_SPEAKER_LABELS or any(ch.isdigit() for ch in key):
        return False
    parts = core.split()
    if len(parts) > 7:
        return False
    letters = [c for c in core if c.isalpha()]
    if not letters:
        return False
    if not re.fullmatch(r"[^\W\d_][\w.’'\- ]*", core):
        return False
    lower_words = [p for p in parts if p[0].islower()]
    if all(c.isupper() for c in letters if c.upper() != c.lower() or c.isupper()):
        return True
    # Surnames with inner capitals (`McDONOUGH`) in an otherwise upper-case label.
    if all(p.isupper() or re.fullmatch(r"(?:Mc|Mac|De|Le|La|O’|O')[A-Z\-’']+", p) for p in parts):
        return True
    # Mixed case: `Moderator:`, `Mr. Gonzalez:`, `Assistant Secretary Nichols:`.
    if lower_words:
        return False
    first = _fold(parts[0]).rstrip(".")
    if len(parts) == 1:
        return key in JOURNALIST_LABELS | MODERATOR_LABELS | AUDIENCE_LABELS | JOURNALIST_WORDS | MODERATOR_WORDS
    if first == "the":  # `The President:` in UN verbatim records
        return _fold(parts[1]).rstrip(".") in ROLE_WORDS
    return first in HONORIFICS or first in ROLE_WORDS


def match_label(line):
    """(label, rest of the line) when the line opens a speaker's turn, else None."""
    stripped = line.strip()
    if not stripped or (stripped[0] != "Q" and ":" not in stripped[:90]):
        return None
    match = Q_RE.match(stripped)
    if match:
        return match.group("label"), match.group("rest")
    match = LABEL_RE.match(stripped)
    if match and _looks_like_label(match.group("label")):
        return match.group("label").strip(), match.group("rest")
    return None


# --- structure: lines, paragraphs, header and trailer ---------------------------------------


@dataclass
class _Paragraph:
    lines: list  # (line number, text)

    @property
    def first_line(self):
        return self.lines[0][0]

    @property
    def last_line(self):
        return self.lines[-1][0]

    def text(self, reflow):
        if not reflow:
            return "\n".join(text.strip() for _, text in self.lines)
        out = ""
        for _, text in self.lines:
            piece = text.strip()
            if not out:
                out = piece
            elif re.search(r"[^\W\d_]-$", out) and piece[:1].isalpha():
                out += piece  # a word hyphenated at the end of a printed line
            else:
                out += " " + piece
        return out


def _normalise(text):
    warnings = []
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    if "\x00" in text:
        raise ParseError(
            "contains NUL bytes: a binary file, not a transcript", line=text.count("\n", 0, text.index("\x00")) + 1
        )
    cleaned = re.sub(r"[\x01-\x08\x0b\x0e-\x1f\x7f]", " ", text)
    if cleaned != text:
        warnings.append("control characters replaced by spaces")
    return cleaned, warnings


def _is_hard_wrapped(lines):
    """True when paragraphs are broken into printed lines (PDF and OCR text), not one line each."""
    filled = [line for line in lines if line.strip()]
    if len(filled) < 8:
        return False
    continued = sum(1 for a, b in zip(lines, lines[1:], strict=False) if a.strip() and b.strip())
    lengths = sorted(len(line) for line in filled)
    median = lengths[len(lengths) // 2]
    return continued > 0.6 * len(filled) and median <= 100


def _paragraphs(lines, start, end, reflow):
    """Blank-line separated paragraphs of lines[start:end]; in hard-wrapped text a new paragraph
    also starts at an indent, a numbered paragraph, or after a short line ending a sentence."""
    paragraphs = []
    current = []
    width = max((len(line.rstrip()) for line in lines[start:end]), default=0)
    for index in range(start, end):
        line = lines[index]
        if _is_blank(line):
            if current:
                paragraphs.append(_Paragraph(current))
                current = []
            continue
        if current and reflow:
            previous = current[-1][1].rstrip()
            if (
                line[:1].isspace()
                or re.match(r"^\d{1,3}\.\s", line)
                or (re.search(r"[.!?:”\"’)]$", previous) and len(previous) < 0.75 * width)
            ):
                paragraphs.append(_Paragraph(current))
                current = []
        current.append((index + 1, line))
    if current:
        paragraphs.append(_Paragraph(current))
    return paragraphs


def _is_header_line(line):
    line = line.strip()
    if not line:
        return True
    if len(line) > 300 or line.endswith(","):
        return False
    n_words = len(line.split())
    if n_words > 40:
        return False
    return not (re.search(r"[.!?]”?$", line) and n_words > 12 and not parse_date(line))


def _is_trailer_line(line):
    line = line.strip()
    return any(pattern.match(line) for pattern in TRAILER_RES)


# --- header fields -------------------------------------------------------------------------


@dataclass
class _Header:
    title: str = ""
    date: dt.date | None = None
    time: str = ""
    city: str = ""
    country: str = ""
    venue: str = ""
    collection: str = ""
    people: list = field(default_factory=list)  # [(name, role)]


def _split_place(line):
    """(city, country) for `Moscow, Russia`, `Washington, D.C.`, `Lima, Peru`; None otherwise."""
    parts = [part.strip() for part in line.split(",")]
    if len(parts) < 2 or not all(parts):
        country = country_name(line)
        return ("", country) if country else None
    tail = parts[-1]
    country = country_name(tail)
    if country is None and _fold(tail).rstrip(".") in US_STATES | {"d.c", "dc"}:
        country = "United States"
    if country is None:
        return None
    city = ", ".join(parts[:-1])
    if _fold(tail).rstrip(".") in US_STATES | {"d.c", "dc"}:
        city = line.strip()
    if len(city.split()) > 6:
        return None
    return city, country


def _is_role_text(text):
    return any(token.strip(".,") in ROLE_WORDS - HONORIFICS for token in _tokens(text)) or bool(
        re.search(r"\b(?:spokesperson|official|representative|minister|secretary)\b", text, re.I)
    )


NAME_TOKEN = r"(?:[A-Z][\w’'\-]*\.?|[A-Z]\.|(?:de|da|van|von|der|al|el|bin|la|le|do|dos|du)(?=\s))"
PERSON_NAME_RE = re.compile(rf"^{NAME_TOKEN}(?:\s+{NAME_TOKEN}){{1,5}}$")


def _looks_like_person(text):
    text = text.strip()
    if not PERSON_NAME_RE.match(text):
        return False
    tokens = [t.strip(".").lower() for t in text.split() if len(t.strip(".")) > 1]
    venue_words = {
        "room",
        "office",
        "center",
        "centre",
        "house",
        "hall",
        "hotel",
        "building",
        "embassy",
        "ministry",
        "palace",
        "residence",
        "museum",
        "airport",
        "base",
        "headquarters",
        "guesthouse",
        "conference",
        "press",
        "media",
        "hub",
        "club",
        "university",
        "school",
        "park",
        "library",
    }
    return not (set(tokens) & (venue_words | TITLE_STOPWORDS)) and not _is_role_text(text)


def _split_leading_roles(name):
    """`Ambassador Bonnie Denise Jenkins` -> ("Ambassador", "Bonnie Denise Jenkins")."""
    parts = name.split()
    leading = 0
    while leading < len(parts) - 1 and _fold_word(parts[leading]) in ROLE_WORDS:
        leading += 1
    return " ".join(parts[:leading]), " ".join(parts[leading:])


def _continues_title(title, line):
    """A title printed over two lines: both in capitals (older releases), or the first ends
    mid-phrase ("Remarks With", "Joint Press Availability –")."""
    if title.isupper() and line.isupper():
        return True
    last = title.split()[-1] if title.split() else ""
    return _fold(last) in {"and", "of", "the", "with", "on", "at", "for", "by", "in", "to", "a"} or last in {
        "–",
        "—",
        "-",
    }


def _parse_header(lines):
    """Fields from the header block: title, people with roles, place, venue, date, time."""
    header = _Header()
    content, paragraph_of = [], []
    paragraph = 0
    for line in lines:
        if line.strip():
            content.append(line.strip())
            paragraph_of.append(paragraph)
        else:
            paragraph += 1
    skip = set()
    title_index = None
    for index, line in enumerate(content):
        for pattern, collection in ISSUER_LINES:
            if pattern.match(line):
                skip.add(index)
                header.collection = header.collection or collection
                header.date = header.date or parse_date(line)
        if index in skip or title_index is not None:
            continue
        leftover = re.sub(r"[\w.]*\d[\w.]*|" + _MONTH, "", line, flags=re.I)
        if parse_date(line) and len(leftover.split()) <= 2:
            skip.add(index)  # a date line above the title
            header.date = header.date or parse_date(line)
        else:
            title_index = index
    rest = []
    if title_index is not None:
        title = [content[title_index]]
        # A title printed over several lines (older releases, in capitals) continues in its paragraph.
        following = title_index + 1
        while (
            following < len(content)
            and paragraph_of[following] == paragraph_of[title_index]
            and _continues_title(" ".join(title), content[following])
            and not parse_date(content[following])
            and not TIME_RE.search(content[following])
            and not _split_place(content[following])
            and "," not in content[following]
        ):
            title.append(content[following])
            following += 1
        header.title = " ".join(title)
        header.date = header.date or parse_date(header.title)
        rest = [(i, line) for i, line in enumerate(content) if i >= following and i not in skip]
    consumed = set()
    for position, (index, line) in enumerate(rest):
        if index in consumed:
            continue
        following = rest[position + 1][1] if position + 1 < len(rest) else ""
        date = parse_date(line)
        time = TIME_RE.search(line)
        if date and len(line.split()) <= 12:
            header.date = header.date or date
            if time and not header.time:
                header.time = time.group(0)
            continue
        if time and TIME_LINE_RE.match(line.strip()):
            header.time = header.time or line.strip()
            continue
        if "," in line:
            name, _, role = line.partition(",")
            honorific, name = _split_leading_roles(name)
            if _looks_like_person(name) and _is_role_text(role):
                header.people.append((name, f"{honorific}, {role.strip()}" if honorific else role.strip()))
                continue
        if _looks_like_person(line) and following and _is_role_text(following) and not _split_place(following):
            header.people.append((line, following))
            consumed.add(rest[position + 1][0])
            continue
        place = _split_place(line)
        if place and not header.country:
            header.city, header.country = place
            continue
        if len(line) <= 120 and not header.venue:
            # An all-caps line can carry venue and place: `THE FOREIGN PRESS CENTER, WASHINGTON, D.C.`
            parts = [part.strip() for part in line.split(",")]
            for cut in range(1, len(parts)):
                place = _split_place(", ".join(parts[cut:]))
                if place:
                    header.venue = ", ".join(parts[:cut])
                    if not header.country:
                        header.city, header.country = place
                    break
            else:
                header.venue = line
    return header


ORG_WORDS = {
    "department",
    "official",
    "officials",
    "administration",
    "bureau",
    "office",
    "council",
    "commission",
    "agency",
    "committee",
    "house",
    "states",
    "united",
    "nations",
    "organization",
    "organisation",
    "union",
    "ministry",
    "government",
    "coalition",
    "force",
    "forces",
    "team",
    "advisers",
    "advisors",
    "communications",
    "affairs",
    "policy",
    "staff",
    "services",
}
NAME_PARTICLES = {
    "of",
    "the",
    "for",
    "de",
    "da",
    "del",
    "della",
    "di",
    "bin",
    "al",
    "el",
    "van",
    "von",
    "la",
    "le",
    "du",
    "dos",
    "der",
}


def _fold_word(token):
    return _fold(token).strip(".")


def _is_role_trigger(token):
    word = _fold_word(token)
    return word in ROLE_WORDS and word not in {
        "first",
        "national",
        "state",
        "press",
        "security",
        "general",
        "high",
        "his",
        "her",
        "affairs",
        "external",
        "foreign",
        "under",
        "vice",
        "deputy",
        "senior",
        "acting",
        "special",
        "principal",
        "executive",
        "chief",
        "head",
    }


def _title_people(title):
    """People named in a title after a role: [(name, role, is_counterpart)].

    `Remarks With Russian Foreign Minister Sergey Lavrov` -> Sergey Lavrov, a counterpart: named
    after "with", or with a nationality before the role, or "of <Country>" after the name.
    """
    tokens = re.findall(r"[\w’'.\-]+|[,|–—:;()]", title)
    people = []
    index = 0
    while index < len(tokens):
        if not _is_role_trigger(tokens[index]):
            index += 1
            continue
        start = index
        while start > 0 and _fold_word(tokens[start - 1]) in ROLE_WORDS:
            start -= 1
        adjective = ""
        if start > 0 and tokens[start - 1][:1].isupper():
            word = _fold_word(tokens[start - 1])
            demonym = re.search(r"(?:an|ian|ese|ish|i|ic|ch|sh)$", word) and not tokens[start - 1].isupper()
            if word not in TITLE_STOPWORDS | ROLE_WORDS | ORG_WORDS and (demonym or country_name(tokens[start - 1])):
                adjective = tokens[start - 1]
        run = []
        end = index
        possessive = False
        while end < len(tokens):
            token = tokens[end]
            word = _fold_word(token)
            if token[:1].isupper() and word not in TITLE_STOPWORDS:
                run.append(token)
                if re.search(r"[’']s$", token):
                    possessive = True  # "President Biden’s Executive Order": a mention, not a speaker
                    break
            elif word in NAME_PARTICLES and end + 1 < len(tokens) and tokens[end + 1][:1].isupper():
                run.append(token)
            else:
                break
            end += 1
        # "President López Obrador of Mexico": the country is not part of the name
        of_country = False
        for cut, token in enumerate(run):
            if _fold_word(token) == "of" and cut > 0:
                remainder = [t for t in run[cut + 1 :] if _fold_word(t) != "the"]
                if remainder and country_name(" ".join(remainder)):
                    run, of_country = run[:cut], True
                    break
        leading = 0
        while leading < len(run) and _fold_word(run[leading]) in ROLE_WORDS:
            leading += 1
        rest = run[leading:]
        name = []
        if any(_fold_word(token) in {"of", "the", "for"} for token in rest):
            # a long role phrase ("Chair of the Council of Economic Advisers Jared Bernstein"):
            # the name trails it, after a role or organisation word, never right after "of"/"for"
            for token in reversed(rest):
                word = _fold_word(token)
                if word in {"of", "the", "for"}:
                    name = []
                    break
                if word in ROLE_WORDS or word in ORG_WORDS:
                    break
                name.insert(0, token)
            keep = 3 if len(name) >= 3 and re.fullmatch(r"[A-Z]\.", name[-2]) else 2
            name = name[-keep:]
        else:
            for token in rest[:5]:
                if _fold_word(token) in ORG_WORDS | ROLE_WORDS:
                    break
                name.append(token)
        index = max(end, index + 1)
        if not name or possessive:
            continue
        role_words = [t for t in tokens[start:index] if _fold_word(t) in ROLE_WORDS]
        role = " ".join(role_words)
        after = " ".join(tokens[end : end + 3])
        before = " ".join(tokens[max(0, start - 3) : start]).lower()
        counterpart = bool(
            adjective or of_country or re.match(r"^of (?:the )?[A-Z]", after) or re.search(r"\bwith\b", before)
        )
        if len(name) == 1:
            name = role_words[-2:] + name if role_words else name
        name, role = " ".join(name), (adjective + " " + role).strip()
        if name.isupper():
            name, role = _title_case(name), _title_case(role)  # older releases print titles in capitals
        people.append((name, role, counterpart))
    return people


# --- speakers ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Person:
    name: str
    title: str
    role: str  # principal or counterpart


def _surname_tokens(label):
    tokens = _label_key(label).lower().split()
    while tokens and tokens[0] in ROLE_WORDS | {"the"}:
        tokens = tokens[1:]
    return tokens


def _same_name(wanted, tokens):
    """Whether label or name tokens `wanted` denote the full name `tokens` (surname, or first and last)."""
    if not wanted or not tokens or wanted[-1] != tokens[-1]:
        if len(wanted) == 1 and wanted[0] in tokens[1:]:
            return True  # a compound surname printed in part: `LÓPEZ` for López Obrador
        return tokens[-len(wanted) :] == wanted if wanted and len(wanted) <= len(tokens) else False
    if len(wanted) == 1 or len(tokens) == 1:
        return True
    return (
        wanted[0] == tokens[0]
        or tokens[-len(wanted) :] == wanted
        or wanted[0][:1] == tokens[0][:1]
        and len(wanted[0]) == 1
    )


def _match_person(label, people):
    """The header or title person whose name ends with the label's surname, if exactly one."""
    wanted = [t.replace("’", "'") for t in _surname_tokens(label)]
    if not wanted:
        return None
    found = [p for p in people if _same_name(wanted, [t.replace("’", "'") for t in _surname_tokens(p.name)])]
    names = {person.name for person in found}
    return found[0] if len(names) == 1 else None


def _resolve_label(label, people, organisation_hint=""):
    """A SpeakerRef for a printed label, using the people the header and title name."""
    key = _label_key(label)
    core = _label_core(label)
    label_words = set(key.split())
    if key in JOURNALIST_LABELS or label_words & JOURNALIST_WORDS:
        return SpeakerRef(UNIDENTIFIED_JOURNALIST, "journalist", scope="event")
    if key in MODERATOR_LABELS or label_words & MODERATOR_WORDS:
        return SpeakerRef(_title_case(core), "moderator", scope="event")
    if key in AUDIENCE_LABELS or label_words & AUDIENCE_WORDS:
        return SpeakerRef(_title_case(core), "audience", scope="event")
    if core.startswith("["):
        return SpeakerRef(core.strip("[]").strip().capitalize() or core, "role", scope="event")
    notes = [note for note in _label_notes(label) if not LANGUAGE_NOTE_RE.match(f"({note})")]
    organisation_hint = organisation_hint or (notes[0] if notes else "")
    if key == "A":  # question-and-answer interviews: `Q:` / `A:`
        principals = [p for p in people if p.role == "principal"]
        if len(principals) == 1:
            return SpeakerRef(principals[0].name, "person", title=principals[0].title)
        return SpeakerRef("Answer", "role", scope="event", resolved=False)
    person = _match_person(label, people)
    if person:
        return SpeakerRef(person.name, "person", title=person.title, organisation=organisation_hint)
    surname = _surname_tokens(label)
    lowered = key.lower().split()
    if "official" in lowered or "officials" in lowered or not surname:
        if lowered[:1] == ["the"] and len(lowered) >= 2:
            # `THE PRESIDENT`: one person only if the header or title names exactly one such.
            role_word = lowered[-1]
            holders = {p.name for p in people if role_word in _tokens(p.title)}
            if len(holders) == 1:
                holder = next(p for p in people if p.name in holders)
                return SpeakerRef(holder.name, "person", title=holder.title)
            return SpeakerRef(_title_case(core), "role", scope="event", resolved=False)
        return SpeakerRef(_title_case(core), "role", scope="event")
    if any(
        word
        in {"spokesperson", "interpreter", "translator", "aide", "staff", "participant", "speaker", "narrator", "voice"}
        for word in lowered
    ):
        return SpeakerRef(_title_case(core), "role", scope="event")
    return SpeakerRef(_title_case(core), "person", organisation=organisation_hint, label_only=True)


INTRO_RE = re.compile(
    r"\b(?:from|to|is|of|by)\s+(?P<name>[A-Z][\w’'\-]+(?:\s+[A-Z][\w’'.\-]+){1,3}?)\s+"
    r"(?:from|of|with|at)\s+(?P<outlet>(?:the\s+)?[A-Z][\w’'&.\-]*(?:\s+(?:[A-Z&][\w’'&.\-]*|of|and|the)){0,5})"
)


def _introduced_journalist(text):
    """`The first question will be from Arshad Mohammed from Reuters.` -> (name, outlet)."""
    # an introduction closes the turn: its last sentences are enough
    for sentence in reversed(_sentences(text[-600:])[-3:]):
        if not re.search(r"\bquestion|\bline of\b|\bgo to\b|\bturn to\b", sentence, re.I):
            continue
        match = INTRO_RE.search(sentence)
        if match:
            outlet = re.sub(r"\s+(?:of|and|the)$", "", match.group("outlet").rstrip(".,;"))
            return match.group("name"), outlet
    return None


# --- the door ------------------------------------------------------------------------------


def _metadata_date(metadata):
    value = metadata.get("date") or ""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(value)):
        return dt.date.fromisoformat(value), int(value[:4])
    if re.fullmatch(r"\d{4}", str(value)):
        return None, int(value)
    published = metadata.get("published")
    if published:
        try:
            stamp = email.utils.parsedate_to_datetime(published)
        except (TypeError, ValueError):
            stamp = None
        if stamp:
            return stamp.date(), stamp.year
        if re.match(r"\d{4}-\d{2}-\d{2}", str(published)):
            day = dt.date.fromisoformat(str(published)[:10])
            return day, day.year
    return None, None


def _collection(metadata, header):
    url = metadata.get("url") or ""
    host = urlparse(url).hostname or ""
    for domain, name in COLLECTIONS_BY_DOMAIN.items():
        if host == domain or host.endswith("." + domain):
            return name
    if "whitehouse" in host.split(".")[0]:
        return "The White House"  # the archived sites of past administrations (bidenwhitehouse.archives.gov)
    return COLLECTIONS_BY_SOURCE.get(metadata.get("source", ""), "") or header.collection


def _event_kind(title, metadata, has_counterpart, has_questions, un_file):
    if un_file or metadata.get("source") == "ungd":
        return "speech"
    for pattern, kind in KIND_BY_TITLE:
        if pattern.search(title):
            if kind == "joint_press" and not has_counterpart and re.search(r"press conference", title, re.I):
                return "press_briefing"
            return kind
    if WEAK_INTERVIEW_RE.search(title) and not has_counterpart:
        return "interview"
    category = metadata.get("category", "")
    if category in KIND_BY_CATEGORY:
        return KIND_BY_CATEGORY[category]
    if category == "special-briefing":
        return "press_briefing"
    return "other" if has_questions else "remarks"


def _check_is_text(text):
    if not WORD_RE.search(text):
        raise ParseError("no words: the file is empty or has no text")
    opening = text.lstrip()[:200].lower()
    if opening.startswith(("<!doctype", "<html", "<?xml")) or (
        opening.startswith("<") and len(re.findall(r"<[a-z/][^>]*>", text[:5000], re.I)) > 10
    ):
        raise ParseError("HTML or XML markup, not a plain-text transcript", line=1)


def _trailer_start(lines, first_label, has_labels):
    """Index of the first line of the closing marks at the very end (END and a time, PRN:,
    # # #, footnotes, "(The briefing was concluded …)"), or len(lines) when there are none."""
    start = len(lines)
    for index in range(len(lines) - 1, -1, -1):
        if _is_blank(lines[index]) or _is_trailer_line(lines[index]):
            if index <= first_label and has_labels:
                break
            start = index
            continue
        break
    while start < len(lines) and _is_blank(lines[start]):
        start += 1
    if not any(_is_trailer_line(line) for line in lines[start:]):
        start = len(lines)
    return start


def _header_end(paragraphs, first_label, has_labels, reflow):
    """Index of the line after the header: the short lines before the first label (or, in a
    text without labels, before its prose)."""
    end = 0
    for paragraph in paragraphs:
        if paragraph.first_line - 1 >= first_label:
            break
        raw = [text for _, text in paragraph.lines]
        if (reflow and len(raw) > 1) or not all(_is_header_line(line) for line in raw):
            break
        if not has_labels and paragraph is paragraphs[-1]:
            break  # a text without labels keeps at least its last paragraph as speech
        end = paragraph.last_line
    return end


@dataclass(frozen=True)
class _Identity:
    title: str
    date: dt.date | None
    year: int | None
    un_country: str  # the country of a UN General Debate statement
    un_file: bool


def _identity(header, metadata, filename):
    """Title and date: as the text states them, else from metadata, else from the file name."""
    name = filename.rsplit("/", 1)[-1] if filename else ""
    un_match = UN_FILENAME_RE.match(name)
    title = header.title or metadata.get("title") or ""
    date, year = header.date, header.date.year if header.date else None
    if date is None:
        date, year = _metadata_date(metadata)
    if date is None and year is None and un_match:
        year = int(un_match.group("year"))
    if date is None and year is None and (match := FILENAME_DATE_RE.match(name)):
        with contextlib.suppress(ValueError):
            date = dt.date(*(int(group) for group in match.groups()))
            year = date.year
    un_country = ""
    iso3 = metadata.get("iso3") or (un_match.group("iso3") if un_match else "")
    if iso3 and (un_match or metadata.get("source") == "ungd"):
        country = pycountry.countries.get(alpha_3=iso3)
        un_country = (getattr(country, "common_name", None) or country.name) if country else iso3
        if not title:
            session = metadata.get("session") or (un_match.group("session") if un_match else "")
            title = f"Statement by {un_country} to the UN General Assembly General Debate"
            title += f", session {session}" if session else ""
            title += f" ({year})" if year else ""
    return _Identity(title or name or "Untitled transcript", date, year, un_country, bool(un_match))


def _people(header, metadata):
    """People the header and title name: principals, and counterparts named in the title."""
    people = [_Person(name, role, "principal") for name, role in header.people]
    for name, role, counterpart in _title_people(header.title):
        existing = _match_person(name, people)
        if existing:
            if counterpart and existing.role == "principal" and len(people) > 1:
                people[people.index(existing)] = dataclasses.replace(existing, role="counterpart")
            continue
        people.append(_Person(name, role, "counterpart" if counterpart and people else "principal"))
    if not people and metadata.get("creator"):
        name, _, role = metadata["creator"].partition(",")
        if _looks_like_person(name):
            people.append(_Person(name.strip(), role.strip(), "principal"))
    return people


@dataclass
class _Segment:
    """The text of one turn before it is attributed."""

    label: str | None
    line: int
    parts: list = field(default_factory=list)
    stage: bool = False
    continues: bool = False  # the speech of the previous speaker, after a stage direction


def _segments(paragraphs, labels, reflow):
    """Split the body into turns at labels; a parenthesised paragraph such as "(Cross-talk.)"
    is a stage direction of its own, after which the same speaker goes on."""
    segments = []
    current = None

    def flush():
        if current and (current.label is not None or current.parts):
            segments.append(current)

    for paragraph in paragraphs:
        # labels normally start paragraphs, but not always: split a paragraph at label lines
        chunks = []
        for number, line in paragraph.lines:
            label = labels.get(number - 1)
            if label or not chunks:
                chunks.append((number, label, []))
            chunks[-1][2].append((number, label[1] if label else line))
        for number, label, chunk_lines in chunks:
            chunk_text = _Paragraph(chunk_lines).text(reflow)
            if label:
                flush()
                current = _Segment(label[0], number, [chunk_text] if chunk_text.strip() else [])
            elif STAGE_DIRECTION_RE.match(chunk_text.strip()) and not LANGUAGE_NOTE_RE.match(chunk_text.strip()):
                flush()
                segments.append(_Segment(None, number, [chunk_text], stage=True))
                current = _Segment(None, number, continues=True)
            else:
                if current is None:
                    current = _Segment(None, number)
                if not current.parts and current.continues:
                    current.line = number
                current.parts.append(chunk_text)
    flush()
    return segments


def _language_note(text, label):
    note = LANGUAGE_NOTE_RE.match(text.strip())
    if not note and label:
        note = next((m for n in _label_notes(label) if (m := LANGUAGE_NOTE_RE.match(f"({n})"))), None)
    return note.group(0) if note else ""


def _attribute(segments, people, default_speaker):
    """ParsedTurns: speakers resolved, kinds given, answers linked to their questions, and a
    question attributed to the journalist the turn before introduced."""
    turns = []
    last_speaker = None
    open_question = None
    introduced = None  # (name, outlet, key of the introducer's label)
    resolved = {}
    for segment in segments:
        label = segment.label
        text = "\n\n".join(segment.parts)
        if segment.stage:
            kind, speaker = "stage_direction", None
        else:
            if label is not None:
                if label not in resolved:
                    resolved[label] = _resolve_label(label, people)
                speaker = resolved[label]
            elif segment.continues and last_speaker is not None:
                speaker = last_speaker
            else:
                speaker = default_speaker
            kind = "statement"
            if speaker and speaker.kind == "journalist":
                kind = "question"
                if introduced:
                    # Only the question right after the introduction is surely theirs.
                    speaker = SpeakerRef(introduced[0], "journalist", organisation=introduced[1])
                    introduced = None
            elif speaker and speaker.kind == "moderator":
                kind = "moderator"
            elif open_question is not None:
                kind = "answer"
            if kind == "moderator" or (introduced and label is not None and _label_key(label) == introduced[2]):
                introduced = None
            if kind != "question" and (found := _introduced_journalist(text)):
                introduced = (found[0], found[1], _label_key(label or ""))
            last_speaker = speaker
        sequence = len(turns) + 1
        turns.append(
            ParsedTurn(
                sequence=sequence,
                label=label,
                speaker=speaker,
                kind=kind,
                text=text,
                line=segment.line,
                language_note=_language_note(text, label),
                in_reply_to=open_question if kind == "answer" else None,
            )
        )
        if kind == "question":
            open_question = sequence
        elif kind == "moderator":
            open_question = None
    return turns


def _participants(people, un_speaker, turns):
    participants = []
    seen = set()
    for person in people:
        if person.name not in seen:
            seen.add(person.name)
            participants.append(Participant(SpeakerRef(person.name, "person", title=person.title), person.role))
    if un_speaker:
        participants.append(Participant(un_speaker, "principal"))
    for turn in turns:
        if turn.kind == "moderator" and turn.speaker and turn.speaker.name not in seen:
            seen.add(turn.speaker.name)
            participants.append(Participant(turn.speaker, "moderator"))
    return participants


def parse_transcript(text, *, metadata=None, filename=""):
    """Parse one transcript. Raises ParseError when it cannot be stored faithfully."""
    metadata = metadata or {}
    text, warnings = _normalise(text)
    _check_is_text(text)
    lines = text.split("\n")
    reflow = _is_hard_wrapped(lines)
    labels = {index: found for index, line in enumerate(lines) if (found := match_label(line))}
    first_label = min(labels, default=len(lines))

    trailer_start = _trailer_start(lines, first_label, bool(labels))
    paragraphs = _paragraphs(lines, 0, trailer_start, reflow)
    header_end = _header_end(paragraphs, first_label, bool(labels), reflow)
    header = _parse_header(lines[:header_end])
    if not labels and header_end and not header.title:
        header_end, header = 0, _Header()
    identity = _identity(header, metadata, filename)
    people = _people(header, metadata)

    segments = _segments([p for p in paragraphs if p.first_line > header_end], labels, reflow)
    if not segments:
        raise ParseError("no recognisable transcript: nothing after the header", line=header_end or 1)
    if not labels and not any(PROSE_RE.search(part) for segment in segments for part in segment.parts):
        raise ParseError("no recognisable structure: no speaker labels and no sentence of prose", line=segments[0].line)

    un_speaker = None
    if identity.un_country:
        country = identity.un_country
        un_speaker = SpeakerRef(
            f"Representative of {country}", "role", title="Head of delegation", organisation=country
        )
    principal = next((p for p in people if p.role == "principal"), None)
    default_speaker = un_speaker  # who speaks an unlabelled turn: in a text without labels, its principal
    if default_speaker is None and principal is not None and not labels:
        default_speaker = SpeakerRef(principal.name, "person", title=principal.title)
    turns = _attribute(segments, people, default_speaker)
    participants = _participants(people, un_speaker, turns)

    trailer_text = "\n".join(lines[trailer_start:]).strip("\n")
    prn = re.search(r"^PRN:\s*(\S.*?)\s*$", trailer_text, re.M)
    has_counterpart = any(p.role == "counterpart" for p in participants)
    has_questions = any(t.kind == "question" for t in turns)
    transcript = Transcript(
        title=identity.title.strip(),
        kind=_event_kind(identity.title, metadata, has_counterpart, has_questions, identity.un_file),
        date=identity.date,
        year=identity.year,
        time=header.time,
        city=header.city,
        country=header.country,
        venue=header.venue,
        collection=_collection(metadata, header)
        or ("UN General Assembly, General Debate" if identity.un_file else "")
        or ("U.S. Department of State" if prn else ""),
        source_url=metadata.get("url") or "",
        source_ref=prn.group(1) if prn else "",
        header_text="\n".join(lines[:header_end]).strip("\n"),
        trailer_text=trailer_text,
        participants=tuple(participants),
        turns=tuple(turns),
        warnings=tuple(warnings),
    )
    check_complete(text, transcript)
    return transcript


def check_complete(text, transcript):
    """Raise ParseError at the first source line whose words the transcript would not store."""
    stored = words(transcript.stored_text())
    if stored == words(text):
        return
    source = [(m.group(0), m.start()) for m in WORD_RE.finditer(text)]
    for index, (word, offset) in enumerate(source):
        if index >= len(stored) or stored[index] != word:
            line = text.count("\n", 0, offset) + 1
            raise ParseError(f"the word {word!r} would be lost", line=line)
    if len(stored) > len(source):
        raise ParseError("the parse holds words that are not in the source")


def share_names(transcripts):
    """Give labels printed without a full name (`MS PORTER`) the full name that other transcripts
    of the same collection in this batch give the same label ("Jalina Porter"), when exactly one."""
    names = {}
    for transcript in transcripts:
        for turn in transcript.turns:
            ref = turn.speaker
            if turn.label and ref and ref.kind == "person" and not ref.label_only:
                names.setdefault((transcript.collection, _label_key(turn.label)), {}).setdefault(ref.name, ref)
    shared = []
    for transcript in transcripts:
        turns = []
        for turn in transcript.turns:
            ref = turn.speaker
            if turn.label and ref and ref.label_only:
                known = names.get((transcript.collection, _label_key(turn.label)), {})
                if len(known) == 1:
                    turn = dataclasses.replace(turn, speaker=next(iter(known.values())))
            turns.append(turn)
        shared.append(dataclasses.replace(transcript, turns=tuple(turns)))
    return shared
