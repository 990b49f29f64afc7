"""The header: title, people with roles, place, venue, date and time from the lines before the
first turn; then what the metadata and file name add (identity), the publisher and the kind."""

import contextlib
import datetime as dt
import email.utils
import re
from dataclasses import dataclass, field
from urllib.parse import urlparse

import pycountry

from archive.parser.names import is_role_text, looks_like_person, split_leading_roles
from archive.parser.places import (
    country_name,
    country_of_city,
    is_city,
    is_venue_name,
    normal_city,
    split_place,
)
from archive.parser.text import MONTH_RE, TIME_LINE_RE, TIME_RE, fold, parse_date, title_case
from archive.parser.vocabulary import (
    COLLECTIONS_BY_DOMAIN,
    COLLECTIONS_BY_SOURCE,
    CONTINUING_WORDS,
    ISSUER_LINES,
    KIND_BY_CATEGORY,
    KIND_BY_TITLE,
    NOT_VENUES,
    WASHINGTON_VENUES,
)

FILENAME_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
# UN General Debate corpus files are named ISO3_SESSION_YEAR.txt.
UN_FILENAME_RE = re.compile(r"^(?P<iso3>[A-Z]{3})_(?P<session>\d{1,3})_(?P<year>\d{4})\.txt$")
# "Secretary Blinken with Zakka Jacob of CNN-News18": an interview, unless the title names a counterpart.
WEAK_INTERVIEW_RE = re.compile(r"\bwith [A-Z][\w.’'-]+(?: [A-Z][\w.’'-]+)* (?:of|on) [A-Z]")


@dataclass
class Header:
    title: str = ""
    date: dt.date | None = None
    time: str = ""
    city: str = ""
    country: str = ""
    venue: str = ""
    collection: str = ""
    people: list = field(default_factory=list)  # [(name, role)]


def _is_date_line(line):
    """A line that is a date and little else ("Tuesday, May 3, 2022")."""
    leftover = MONTH_RE.sub("", re.sub(r"[\w./]*\d[\w./]*", "", line))
    return bool(parse_date(line)) and len(leftover.split()) <= 2


def _name_case(name):
    """A name printed in capitals (older releases) in title case, inner capitals kept: `MIKE McFAUL`."""
    return title_case(name) if sum(c.isupper() for c in name) > 0.7 * sum(c.isalpha() for c in name) else name


def _continues_title(title, line):
    """A title printed over two lines: both in capitals (older releases), or the first ends
    mid-phrase ("Remarks With", "Joint Press Availability –")."""
    if title.isupper() and line.isupper():
        return True
    last = title.split()[-1] if title.split() else ""
    return fold(last) in CONTINUING_WORDS or last in {"–", "—", "-"}


def parse_header(lines):
    """Fields from the header block: title, people with roles, place, venue, date, time."""
    header = Header()
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
    release_date = None  # "For Immediate Release  December 14, 2011": the event's date wins over it
    for index, line in enumerate(content):
        for pattern, collection in ISSUER_LINES:
            if pattern.match(line):
                skip.add(index)
                header.collection = header.collection or collection
                release_date = release_date or parse_date(line)
        if index in skip or title_index is not None:
            continue
        if not re.search(r"[^\W\d_]", line):
            skip.add(index)  # a rule line (`______`) above the title
            continue
        if _is_date_line(line):
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
            and not _is_date_line(content[following])
            and not TIME_RE.search(content[following])
            and not split_place(content[following])
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
            # `Name, Role`, or several (`ROBERT GIBBS, PRESS SECRETARY; MIKE McFAUL, SENIOR DIRECTOR ...;`)
            found = []
            for part in filter(None, (part.strip() for part in line.split(";"))):
                name, _, role = part.partition(",")
                honorific, name = split_leading_roles(name)
                if not (looks_like_person(name) and is_role_text(role)):
                    found = []
                    break
                role = role.strip().rstrip(",;")
                found.append((_name_case(name), _name_case(f"{honorific}, {role}" if honorific else role)))
            if found:
                header.people += found
                continue
        if looks_like_person(line) and following and is_role_text(following) and not split_place(following):
            header.people.append((_name_case(line), _name_case(following)))
            consumed.add(rest[position + 1][0])
            continue
        place = split_place(line)
        if place is not None and not (header.country or header.city):
            header.city, header.country = place
            if is_venue_name(header.city):  # `Tomb Field, New York`: a venue, in a state
                header.venue, header.city = header.venue or header.city, ""
            continue
        if len(line) <= 120 and not header.venue:
            venue, city, country = _venue_and_place(line.rstrip(",;").strip())
            header.venue = venue
            if (city or country) and not (header.city or header.country):
                header.city, header.country = city, country
    header.date = header.date or release_date
    if not (header.city or header.country) and fold(header.venue) in WASHINGTON_ROOMS:
        header.city, header.country = "Washington, D.C.", "United States"
    if header.city and not header.country:
        header.country = country_of_city(header.city) or ""
    return header


WASHINGTON_ROOMS = frozenset(fold(room.replace("'", "’")) for room in WASHINGTON_VENUES) | frozenset(
    fold(room) for room in WASHINGTON_VENUES
)


def _venue_and_place(line):
    """(venue, city, country) from a header line that is no date, time, person or plain place:
    `Oval Office`; `THE FOREIGN PRESS CENTER, WASHINGTON, D.C.`; `Schloss Elmau Germany`;
    `Aboard Air Force One` (a plane: no city); `Jerusalem` (a city alone). Never a rule line, a
    document type (`PRESS BRIEFING`), a press office (`Office of Communications`), a teleconference
    or a line naming a person by role."""
    if any(pattern.search(line) for pattern in NOT_VENUES):
        return "", "", ""
    aboard = re.match(r"^(?:aboard|on board)\s+(?P<craft>.+)$", line, re.I)
    if aboard:
        return aboard.group("craft"), "", ""
    parts = [part.strip() for part in line.split(",")]
    for cut in range(1, len(parts)):
        place = split_place(", ".join(parts[cut:]))
        if place:
            return ", ".join(parts[:cut]), *place
    words = line.split()
    for size in (3, 2, 1):
        if len(words) > size and (country := country_name(" ".join(words[-size:]))):
            return " ".join(words[:-size]), "", country
    if not is_venue_name(line):
        if is_city(line):
            return "", normal_city(line), country_of_city(line) or ""
        if is_role_text(line):
            return "", "", ""
    return line, "", ""


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


@dataclass(frozen=True)
class Identity:
    title: str
    date: dt.date | None
    year: int | None
    un_country: str  # the country of a UN General Debate statement
    un_file: bool


def identity(header, metadata, filename):
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
    return Identity(title or name or "Untitled transcript", date, year, un_country, bool(un_match))


def collection(metadata, header):
    """Who published the transcript: from its URL, the metadata's source, or the header's boilerplate."""
    host = urlparse(metadata.get("url") or "").hostname or ""
    for domain, name in COLLECTIONS_BY_DOMAIN.items():
        if host == domain or host.endswith("." + domain):
            return name
    if "whitehouse" in host.split(".")[0]:
        return "The White House"  # the archived sites of past administrations (bidenwhitehouse.archives.gov)
    return COLLECTIONS_BY_SOURCE.get(metadata.get("source", ""), "") or header.collection


def event_kind(title, metadata, has_counterpart, has_questions, un_file):
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
    return "other" if has_questions else "remarks"
