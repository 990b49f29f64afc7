"""Citations of turns and events.

One CSL-JSON item per turn or event is the data (`turn_item`, `event_item`): what citation
managers import, and what every other form is written from: Chicago (notes-bibliography), APA and
MLA as HTML, and BibTeX. Nothing here touches the database beyond the rows it is given, and no
form restates a fact that is not in the item, so the page, the download and a CSL processor
agree (tests/test_citations.py renders the item with citeproc-py and compares).

Names: a named person is split into family and given names (nameparser); a role-only speaker
("Senior State Department Official"), a speaker of one event (a moderator, an unidentified
journalist) and a label not tied to anyone are cited as printed, never turned into a person.
"""

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from nameparser import HumanName

SITE_NAME = "Diplomatic Remarks Archive"
FORMATS = {"bib": "BibTeX", "json": "CSL-JSON"}
CONTENT_TYPES = {"bib": "application/x-bibtex; charset=utf-8", "json": "application/vnd.citationstyles.csl+json"}

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]  # fmt: skip
MLA_MONTHS = ["Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."]


# --- the item -------------------------------------------------------------------------------


def person_name(name):
    """A CSL name for a named person: family and given names (and a suffix such as Jr.)."""
    parsed = HumanName(name)
    given = " ".join(part for part in (parsed.first, parsed.middle) if part)
    if not parsed.last or not given:
        return {"literal": name}
    csl = {"family": parsed.last, "given": given}
    if parsed.suffix:
        csl["suffix"] = parsed.suffix
    return csl


def speaker_name(speaker, label=""):
    """The CSL name of whoever spoke: a person split into parts, anyone else as printed."""
    if speaker is None:
        return {"literal": label} if label else None
    if speaker.kind in ("person", "journalist") and speaker.event_id is None:
        return person_name(speaker.name)
    return {"literal": speaker.name}


def _date_parts(date, year=None):
    if date:
        return {"date-parts": [[date.year, date.month, date.day]]}
    if year:
        return {"date-parts": [[year]]}
    return None


def _item(key, event, authors, url, accessed, note=""):
    kind = event.get_kind_display() if event.kind != event.Kind.OTHER else ""
    place = ", ".join(part for part in (event.venue, event.place) if part)
    item = {
        "id": key,
        "type": "speech",
        "title": event.title,
        "author": [author for author in authors if author],
        "genre": kind,
        "event-place": place,
        "issued": _date_parts(event.date, event.year),
        "publisher": event.collection,
        "container-title": SITE_NAME,
        "URL": url,
        "accessed": _date_parts(accessed),
        "note": note,
    }
    return {name: value for name, value in item.items() if value}


def turn_item(turn, url, accessed):
    """The CSL-JSON item of one turn (its speaker as author, its event's facts)."""
    author = None if turn.kind == turn.Kind.STAGE_DIRECTION else speaker_name(turn.speaker, turn.label)
    note = f"Turn {turn.sequence} ({turn.get_kind_display().lower()})"
    return _item(f"turn-{turn.public_id}", turn.event, [author], url, accessed, note)


def event_item(event, participations, url, accessed):
    """The CSL-JSON item of a whole event: its principals and counterparts as authors."""
    speakers = [p.speaker for p in participations if p.role in ("principal", "counterpart")]
    return _item(f"event-{event.slug}", event, [speaker_name(s) for s in speakers], url, accessed)


# --- text styles (HTML) ---------------------------------------------------------------------


def _date(item, name):
    parts = item.get(name, {}).get("date-parts", [[]])[0]
    return parts + [None] * (3 - len(parts))


def _long_date(item, name, mla=False):
    """`May 7, 2013` (MLA: `7 May 2013`), or the year alone."""
    year, month, day = _date(item, name)
    if month and day:
        return f"{day} {MLA_MONTHS[month - 1]} {year}" if mla else f"{MONTHS[month - 1]} {day}, {year}"
    return str(year) if year else ""


def _inverted(name):
    if "literal" in name:
        return name["literal"]
    return ", ".join(part for part in (name["family"], name["given"], name.get("suffix")) if part)


def _direct(name):
    if "literal" in name:
        return name["literal"]
    direct = f"{name['given']} {name['family']}"
    return f"{direct}, {name['suffix']}" if name.get("suffix") else direct


def _and_list(names, conjunction="and"):
    """a; a, and b; a, b, and c (the serial comma before the last, as Chicago and MLA have it)."""
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + f", {conjunction} " + names[-1]


def _chicago_authors(names):
    if not names:
        return ""
    return _and_list([_inverted(names[0])] + [_direct(name) for name in names[1:]])


def _join(separator, parts):
    return separator.join(part for part in parts if part)


def chicago(item):
    """Chicago notes-bibliography entry: Author. “Title.” Kind, place, date. Publisher. Site.
    Accessed date. URL."""
    authors = _chicago_authors(item.get("author", [])).rstrip(".")  # "Jr." ends the sentence itself
    head = _join(". ", [escape(authors), f"“{escape(item['title'])}.”"])
    middle = _join(
        ", ", [escape(item.get("genre", "")), escape(item.get("event-place", "")), _long_date(item, "issued")]
    )
    accessed = _long_date(item, "accessed")
    tail = _join(
        ". ",
        [
            escape(item.get("publisher", "")),
            escape(item["container-title"]),
            f"Accessed {accessed}" if accessed else "",
            escape(item.get("URL", "")),
        ],
    )
    return mark_safe(head + (f" {middle}." if middle else "") + f" {tail}.")  # noqa: S308 - parts escaped


def _initials(given):
    """`John` → `J.`; `Jean-Yves` → `J.-Y.`; `Mohammad Javad` → `M. J.`"""
    return " ".join("-".join(f"{piece[0]}." for piece in word.split("-") if piece) for word in given.split())


def _apa_name(name):
    if "literal" in name:
        return name["literal"]
    return _join(", ", [name["family"], _initials(name["given"]), name.get("suffix", "")])


def apa(item):
    """APA (7th edition) reference: Author, A. (Year, Month Day). <i>Title</i> [Kind, place].
    Publisher. Site. Retrieved date, from URL"""
    names = [_apa_name(name) for name in item.get("author", [])]
    authors = names[0] if len(names) == 1 else (", ".join(names[:-1]) + ", & " + names[-1] if names else "")
    year, month, day = _date(item, "issued")
    when = f"({year}, {MONTHS[month - 1]} {day})" if month and day else (f"({year})" if year else "(n.d.)")
    described = _join(", ", [item.get("genre", ""), item.get("event-place", "")])
    title = format_html("<i>{}</i>{}", item["title"], f" [{described}]" if described else "")
    opening = f"{escape(authors)} {when}. {title}." if authors else f"{title}. {when}."
    accessed = _long_date(item, "accessed")
    rest = _join(" ", [f"{escape(item['publisher'])}." if item.get("publisher") else "", f"{escape(SITE_NAME)}."])
    retrieved = f" Retrieved {accessed}, from {escape(item['URL'])}" if accessed else f" {escape(item['URL'])}"
    return mark_safe(f"{opening} {rest}{retrieved}")  # noqa: S308 - parts escaped


def mla(item):
    """MLA (9th edition) entry: Author. “Title.” Kind, Publisher, date, place. <i>Site</i>, URL.
    Accessed date."""
    names = item.get("author", [])
    if len(names) > 2:
        authors = f"{_inverted(names[0])}, et al"
    else:
        authors = _and_list([_inverted(names[0])] + [_direct(name) for name in names[1:]]) if names else ""
    head = _join(". ", [escape(authors.rstrip(".")), f"“{escape(item['title'])}.”"])
    facts = _join(
        ", ",
        [escape(item.get(key, "")) for key in ("genre", "publisher")]
        + [_long_date(item, "issued", mla=True), escape(item.get("event-place", ""))],
    )
    url = re.sub(r"^https?://", "", item.get("URL", ""))
    site = format_html("<i>{}</i>, {}.", item["container-title"], url)
    accessed = _long_date(item, "accessed", mla=True)
    return mark_safe(  # noqa: S308 - parts escaped
        head + (f" {facts}." if facts else "") + f" {site}" + (f" Accessed {accessed}." if accessed else "")
    )


# --- BibTeX ---------------------------------------------------------------------------------

_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&", "$": r"\$", "#": r"\#",
    "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}  # fmt: skip


def _bibtex_escape(text):
    return "".join(_BIBTEX_SPECIAL.get(character, character) for character in text)


def _bibtex_name(name):
    if "literal" in name:
        return "{" + _bibtex_escape(name["literal"]) + "}"  # braces: a name not to be split
    return _bibtex_escape(_join(", ", [name["family"], name.get("suffix", ""), name["given"]]))


def _ascii(text):
    decomposed = unicodedata.normalize("NFKD", text)
    return re.sub(r"[^a-z0-9]", "", "".join(c for c in decomposed if not unicodedata.combining(c)).lower())


def bibtex_key(item):
    names = item.get("author", [])
    who = _ascii(names[0].get("family") or names[0].get("literal", "")) if names else ""
    year = _date(item, "issued")[0] or "nd"
    return f"{who or 'anon'}{year}-{item['id']}"


def bibtex(item):
    """A BibTeX @misc entry (with biblatex's urldate and date where the date is known)."""
    year, month, day = _date(item, "issued")
    accessed = dt.date(*_date(item, "accessed")) if item.get("accessed") else None
    fields = [
        ("author", " and ".join(_bibtex_name(name) for name in item.get("author", []))),
        ("title", "{" + _bibtex_escape(item["title"]) + "}"),  # as printed: no case changes
        ("howpublished", _bibtex_escape(_join(", ", [item.get("genre", ""), item.get("event-place", "")]))),
        ("organization", _bibtex_escape(item.get("publisher", ""))),
        ("year", str(year) if year else ""),
        ("month", str(month) if month else ""),
        ("date", f"{year:04d}-{month:02d}-{day:02d}" if day else ""),
        ("url", item.get("URL", "")),
        ("urldate", accessed.isoformat() if accessed else ""),
        ("note", _bibtex_escape(_join(". ", [SITE_NAME, item.get("note", "")]))),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    return f"@misc{{{bibtex_key(item)},\n{body}\n}}\n"


# --- everything for a page ------------------------------------------------------------------


@dataclass(frozen=True)
class Citation:
    item: dict
    chicago: SafeString
    apa: SafeString
    mla: SafeString
    bibtex: str
    downloads: str  # the URL prefix of the downloads: + "bib" or "json"

    @property
    def accessed(self):
        return _long_date(self.item, "accessed")


def citation(item, downloads):
    return Citation(item, chicago(item), apa(item), mla(item), bibtex(item), downloads)


def for_turn(request, turn):
    """The citation of a turn as of today, with its absolute permalink."""
    url = request.build_absolute_uri(turn.get_absolute_url())
    item = turn_item(turn, url, timezone.localdate())
    return citation(item, reverse("archive:cite_turn", args=[turn.public_id]).removesuffix("/") + ".")


def for_event(request, event, participations):
    url = request.build_absolute_uri(event.get_absolute_url())
    item = event_item(event, participations, url, timezone.localdate())
    return citation(item, reverse("archive:cite_event", args=[event.slug]).removesuffix("/") + ".")
