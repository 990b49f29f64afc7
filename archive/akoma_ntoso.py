"""Akoma Ntoso 3.0 (OASIS LegalDocML) `debate` documents: an event out, a transcript in.

Pure Python with lxml, no Django: `to_akn(event, turns, participations)` writes an event as XML,
and `from_akn(data)` reads such a document back as the parser's `Transcript`, which the one write
path (`archive.ingest.ingest_transcript`) stores like any ingested file.

What goes where (the AKN debate vocabulary; SayIt's format for transcripts):
- `<meta>`: FRBR identification (work, expression, manifestation: the date of the event, its
  kind as FRBRsubtype, its title as FRBRname), `<references>` with one `TLCPerson` per speaker
  (and per label the archive could not tie to anyone, marked unresolved), and a `<proprietary>`
  block with the event's facts as the archive keeps them.
- `<preface>`: the header as printed, a `<p>` per paragraph and `<eol/>` per line break, the
  title and date marked `docTitle` and `docDate` where they appear verbatim.
- `<debateBody>`: one `debateSection` holding a `speech` (statement; `as="#moderator"` for a
  moderator's turn), `question` or `answer` per turn, each with `by="#speaker"`, the printed
  label in `<from>` and its paragraphs; stage directions as `<narrative>`.
- `<conclusions>`: the trailer as printed.

Facts AKN has no element for (a speaker's kind, an answer's question, a language note) are
attributes in the archive's own namespace (`dra:`), which AKN allows on every element. A
document from elsewhere without them still imports: speakers from `TLCPerson`/`from`, kinds
from the element names, answers tied to the question before them.
"""

import dataclasses
import datetime as dt
import re

import pycountry
from lxml import etree

from archive.parser import ParsedTurn, ParseError, Participant, SpeakerRef, Transcript

AKN_NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
DRA_NS = "urn:x-diplomatic-remarks-archive:akn:1"
NSMAP = {None: AKN_NS, "dra": DRA_NS}
# Earlier drafts of the vocabulary (SayIt writes 2.0), and none at all: read, never written.
READ_NAMESPACES = (
    AKN_NS,
    "http://www.akomantoso.org/2.0",
    "http://docs.oasis-open.org/legaldocml/ns/akn/3.0/WD17",
    None,
)
ARCHIVE_NAME = "Diplomatic Remarks Archive"

TURN_ELEMENTS = {"statement": "speech", "moderator": "speech", "question": "question", "answer": "answer"}
SPEECH_ELEMENTS = {"speech", "question", "answer", "other"}
STAGE_ELEMENTS = {"narrative", "scene", "summary"}
EVENT_FACTS = ("kind", "time", "city", "country", "venue", "collection", "source_url", "source_ref", "source_key")
# Characters XML 1.0 cannot carry (form feeds and other controls of old PDF extractions).
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _akn(tag):
    return f"{{{AKN_NS}}}{tag}"


def _dra(name):
    return f"{{{DRA_NS}}}{name}"


def _xml_text(text):
    return XML_ILLEGAL.sub("", text or "")


def _id(text):
    """An eId: lower-case letters, digits and hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


# --- writing ------------------------------------------------------------------------------


def _add_text(parent, text, marks=()):
    """text as `<p>` paragraphs (blank-line separated) with `<eol/>` at line breaks; each of
    marks, (tag, attributes, verbatim words), is wrapped around its first occurrence."""
    for paragraph in text.split("\n\n"):
        p = etree.SubElement(parent, _akn("p"))
        _add_inline(p, paragraph, marks)


def _add_inline(element, text, marks=()):
    for tag, attributes, words in marks:
        if words and words in text:
            before, _, after = text.partition(words)
            _add_inline(element, before)
            mark = etree.SubElement(element, _akn(tag), attributes)
            mark.text = words
            _add_inline(element, after, marks)
            return
    lines = text.split("\n")
    last = element[-1] if len(element) else None
    for index, line in enumerate(lines):
        if index:
            last = etree.SubElement(element, _akn("eol"))
        if last is None:
            element.text = (element.text or "") + line
        else:
            last.tail = (last.tail or "") + line


class _People:
    """TLCPerson entries: one per speaker, one per label tied to no one."""

    def __init__(self, references):
        self.references = references
        self.ids = {}

    def ref(self, speaker, label=""):
        key = ("speaker", speaker.pk) if speaker is not None else ("label", label)
        if key not in self.ids:
            self.ids[key] = self._add(speaker, label)
        return "#" + self.ids[key]

    def _add(self, speaker, label):
        if speaker is not None:
            eid, name = speaker.slug, speaker.name
            facts = {"kind": speaker.kind, "title": speaker.title, "organisation": speaker.organisation}
            facts["scope"] = "event" if speaker.event_id else ""
        else:
            eid, name = f"unresolved-{_id(label)}" if label else "unattributed", label or "Unattributed"
            facts = {"unresolved": "true"}
        element = etree.SubElement(
            self.references, _akn("TLCPerson"), eId=eid, href=f"/ontology/person/{eid}", showAs=_xml_text(name)
        )
        for name, value in facts.items():
            if value:
                element.set(_dra(name), _xml_text(value))
        return eid


def _frbr(parent, level, uri, date, date_name, author, extra=()):
    element = etree.SubElement(parent, _akn(level))
    this = uri + ("/!main.xml" if level == "FRBRManifestation" else "/!main")
    etree.SubElement(element, _akn("FRBRthis"), value=this)
    etree.SubElement(element, _akn("FRBRuri"), value=uri + (".akn" if level == "FRBRManifestation" else ""))
    etree.SubElement(element, _akn("FRBRdate"), date=date, name=date_name)
    etree.SubElement(element, _akn("FRBRauthor"), href=author)
    for tag, attributes in extra:
        etree.SubElement(element, _akn(tag), attributes)
    return element


def _country_code(country):
    """The ISO 3166-1 code of the country the event took place in (AKN's FRBRcountry)."""
    if not country:
        return "xx"  # ISO 3166's code for "unknown"
    try:
        return pycountry.countries.lookup(country).alpha_2.lower()
    except LookupError:
        pass
    try:  # common English names ("Russia", "South Korea")
        return pycountry.countries.search_fuzzy(country)[0].alpha_2.lower()
    except LookupError:
        return "xx"


def to_akn(event, turns, participations, *, url="", generated=None):
    """The event as an Akoma Ntoso 3.0 debate document (UTF-8 bytes). turns in order, with
    speaker and in_reply_to loaded; participations with speaker loaded."""
    generated = generated or dt.date.today()
    if event.date:
        date, date_name = event.date.isoformat(), "delivery"
    elif event.year:
        date, date_name = f"{event.year:04d}-01-01", "year"  # FRBRdate must be a whole date
    else:
        date, date_name = generated.isoformat(), "undated"
    country = _country_code(event.country)
    work = f"/akn/{country}/debate/{date}/{event.slug}"

    root = etree.Element(_akn("akomaNtoso"), nsmap=NSMAP)
    debate = etree.SubElement(root, _akn("debate"), name=_id(event.kind))
    meta = etree.SubElement(debate, _akn("meta"))
    identification = etree.SubElement(meta, _akn("identification"), source="#archive")
    author = "#publisher" if event.collection else "#archive"
    work_extra = [("FRBRcountry", {"value": country}), ("FRBRsubtype", {"value": event.kind})]
    work_extra.append(("FRBRname", {"value": _xml_text(event.title)}))
    _frbr(identification, "FRBRWork", work, date, date_name, author, work_extra)
    english = [("FRBRlanguage", {"language": "eng"})]
    _frbr(identification, "FRBRExpression", work + "/eng@", date, date_name, author, english)
    _frbr(identification, "FRBRManifestation", work + "/eng@", generated.isoformat(), "generation", "#archive")
    references = etree.SubElement(meta, _akn("references"), source="#archive")
    etree.SubElement(
        references, _akn("TLCOrganization"), eId="archive", href="/ontology/organization/archive", showAs=ARCHIVE_NAME
    )
    if event.collection:
        etree.SubElement(
            references,
            _akn("TLCOrganization"),
            eId="publisher",
            href=f"/ontology/organization/{_id(event.collection)}",
            showAs=_xml_text(event.collection),
        )
    if any(turn.kind == "moderator" for turn in turns):
        moderator = {"eId": "moderator", "href": "/ontology/role/moderator", "showAs": "Moderator"}
        etree.SubElement(references, _akn("TLCRole"), moderator)
    people = _People(references)

    proprietary = etree.SubElement(meta, _akn("proprietary"), source="#archive")
    facts = etree.SubElement(proprietary, _dra("event"), title=_xml_text(event.title), slug=event.slug)
    if event.date:
        facts.set("date", event.date.isoformat())
    if event.year:
        facts.set("year", str(event.year))
    for name in EVENT_FACTS:
        if value := getattr(event, name):
            facts.set(name, _xml_text(value))
    if url:
        facts.set("url", url)
    for participation in participations:
        element = etree.SubElement(
            proprietary, _dra("participant"), by=people.ref(participation.speaker), role=participation.role
        )
        if participation.title:
            element.set("title", _xml_text(participation.title))

    if event.header_text:
        preface = etree.SubElement(debate, _akn("preface"))
        marks = [("docTitle", {}, event.title)]
        if date := event.date:
            marks.append(("docDate", {"date": date.isoformat()}, f"{date:%B} {date.day}, {date.year}"))
        _add_text(preface, _xml_text(event.header_text), marks)

    body = etree.SubElement(debate, _akn("debateBody"))
    section = etree.SubElement(body, _akn("debateSection"), eId="dbsect_1", name="transcript")
    eids = {}
    for turn in turns:
        if turn.kind == "stage_direction":
            eid = f"dbsect_1__narrative_{turn.sequence}"
            element = etree.SubElement(section, _akn("narrative"), eId=eid)
            _add_inline(element, _xml_text(turn.text))
        else:
            tag = TURN_ELEMENTS.get(turn.kind, "speech")
            eid = f"dbsect_1__{tag}_{turn.sequence}"
            element = etree.SubElement(section, _akn(tag), eId=eid, by=people.ref(turn.speaker, turn.label))
            if turn.kind == "moderator":
                element.set("as", "#moderator")
            if turn.label:
                etree.SubElement(element, _akn("from")).text = _xml_text(turn.label)
            _add_text(element, _xml_text(turn.text))
        eids[turn.pk] = eid
        element.set("GUID", f"turn-{turn.public_id}")
        if turn.in_reply_to_id and turn.in_reply_to_id in eids:
            element.set(_dra("replyTo"), "#" + eids[turn.in_reply_to_id])
        if turn.language_note:
            element.set(_dra("languageNote"), _xml_text(turn.language_note))

    if event.trailer_text:
        _add_text(etree.SubElement(debate, _akn("conclusions")), _xml_text(event.trailer_text))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# --- reading ------------------------------------------------------------------------------


def _local(element):
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _children(element, *names):
    return [child for child in element if _local(child) in names]


def _first(element, path):
    """The first descendant along path (local names), or None."""
    for name in path.split("/"):
        found = _children(element, name) if element is not None else []
        element = found[0] if found else None
    return element


def _inline_text(element):
    """The words of an inline element as printed: `<eol/>` is a line break, markup is dropped."""
    parts = [element.text or ""]
    for child in element:
        if _local(child) in ("eol", "br"):
            parts.append("\n")
        elif isinstance(child.tag, str) and _local(child) not in ("noteRef", "authorialNote"):
            parts.append(_inline_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _block_text(element):
    """Paragraph blocks separated by a blank line; a heading starts its own paragraph."""
    return "\n\n".join(_inline_text(child) for child in element if _local(child) not in ("from", "num"))


def _speakers(meta):
    """{"#eId": SpeakerRef} from the references, with the archive's own facts where present."""
    speakers = {}
    for references in _children(meta, "references"):
        for person in _children(references, "TLCPerson", "TLCRole", "TLCOrganization"):
            eid = person.get("eId") or person.get("id")
            if not eid or eid in ("archive", "publisher"):
                continue
            name = person.get("showAs") or eid
            unresolved = person.get(_dra("unresolved")) == "true"
            kind = person.get(_dra("kind")) or ("role" if unresolved or _local(person) == "TLCRole" else "person")
            scope = "event" if unresolved else (person.get(_dra("scope")) or "archive")
            speakers["#" + eid] = SpeakerRef(
                name,
                kind,
                title=person.get(_dra("title"), ""),
                organisation=person.get(_dra("organisation"), ""),
                scope=scope,
                resolved=not unresolved,
            )
    return speakers


def _date_facts(meta, facts):
    if facts is not None and (facts.get("date") or facts.get("year")):
        date = dt.date.fromisoformat(facts.get("date")) if facts.get("date") else None
        return date, int(facts.get("year")) if facts.get("year") else (date.year if date else None)
    frbr_date = _first(meta, "identification/FRBRWork/FRBRdate")
    if frbr_date is None or frbr_date.get("name") == "undated":
        return None, None
    try:
        date = dt.date.fromisoformat(frbr_date.get("date", "")[:10])
    except ValueError:
        return None, None
    return (None, date.year) if frbr_date.get("name") == "year" else (date, date.year)


@dataclasses.dataclass(frozen=True)
class Debate:
    transcript: Transcript
    source_key: str  # what identifies the event across imports: the archive's own key, else the FRBR work


def from_akn(data):
    """The debate document's event as a `Transcript` (in a `Debate`). Raises ParseError for
    anything that is not a well-formed Akoma Ntoso debate."""
    try:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False))
    except etree.XMLSyntaxError as error:
        raise ParseError(f"not well-formed XML: {error.msg}", line=error.lineno) from None
    if _local(root) != "akomaNtoso" or etree.QName(root).namespace not in READ_NAMESPACES:
        raise ParseError("not an Akoma Ntoso document (the root must be akomaNtoso in the AKN namespace)")
    debate = _first(root, "debate")
    if debate is None:
        raise ParseError("not an Akoma Ntoso debate: no <debate> element")
    meta = _first(debate, "meta")
    body = _first(debate, "debateBody")
    if meta is None or body is None:
        raise ParseError("an Akoma Ntoso debate needs <meta> and <debateBody>")

    speakers = _speakers(meta)
    proprietary = next(iter(_children(meta, "proprietary")), None)
    facts = _first(proprietary, "event") if proprietary is not None else None
    preface = _first(debate, "preface")
    conclusions = _first(debate, "conclusions")
    header_text = _block_text(preface) if preface is not None else ""
    title = (facts.get("title") if facts is not None else None) or _frbr_value(meta, "FRBRname")
    if not title and preface is not None:
        doc_title = next(preface.iter(_akn("docTitle")), None)
        title = _inline_text(doc_title) if doc_title is not None else header_text.strip().split("\n")[0]
    date, year = _date_facts(meta, facts)
    fact = {name: (facts.get(name, "") if facts is not None else "") for name in EVENT_FACTS}
    fact["kind"] = fact["kind"] or _frbr_value(meta, "FRBRsubtype") or "other"

    turns = []
    questions = {}
    last_question = None
    for element in body.iter():
        name = _local(element)
        if name in SPEECH_ELEMENTS:
            by = element.get("by", "")
            speaker = speakers.get(by)
            label_element = _first(element, "from")
            label = _inline_text(label_element).strip() if label_element is not None else None
            if speaker is None and label:
                speaker = SpeakerRef(label, "role", scope="event", resolved=False)
            if speaker is not None and not speaker.resolved and not label:
                speaker = None  # nothing printed to resolve later: no one is made up for it
            kind = {"question": "question", "answer": "answer"}.get(name, "statement")
            if name == "speech" and element.get("as") == "#moderator":
                kind = "moderator"
            reply_to = None
            if kind == "answer":
                reply_to = questions.get(element.get(_dra("replyTo"), ""), last_question)
            sequence = len(turns) + 1
            turns.append(
                ParsedTurn(
                    sequence=sequence,
                    label=label or None,
                    speaker=speaker,
                    kind=kind,
                    text=_block_text(element),
                    line=element.sourceline or 0,
                    language_note=element.get(_dra("languageNote"), ""),
                    in_reply_to=reply_to,
                )
            )
            if kind == "question":
                questions["#" + (element.get("eId") or element.get("id") or "")] = last_question = sequence
        elif name in STAGE_ELEMENTS or (name == "heading" and _local(element.getparent()) == "debateSection"):
            text = _inline_text(element) if name != "summary" else _block_text(element)
            turns.append(ParsedTurn(len(turns) + 1, None, None, "stage_direction", text, element.sourceline or 0))
    turns = [turn for turn in turns if turn.text.strip() or turn.label]
    if not turns:
        raise ParseError("the debate has no speeches")
    turns = _renumbered(turns)

    participants = []
    if proprietary is not None:
        for participant in _children(proprietary, "participant"):
            if (speaker := speakers.get(participant.get("by", ""))) is not None:
                speaker = dataclasses.replace(speaker, title=participant.get("title", ""))  # as the event printed it
                participants.append(Participant(speaker, participant.get("role") or "participant"))
    transcript = Transcript(
        title=(title or "Untitled debate").strip(),
        kind=fact["kind"],
        date=date,
        year=year,
        time=fact["time"],
        city=fact["city"],
        country=fact["country"],
        venue=fact["venue"],
        collection=fact["collection"],
        source_url=fact["source_url"],
        source_ref=fact["source_ref"],
        header_text=header_text,
        trailer_text=_block_text(conclusions) if conclusions is not None else "",
        participants=tuple(participants),
        turns=tuple(turns),
    )
    work = _first(meta, "identification/FRBRWork/FRBRuri")
    source_key = fact["source_key"] or (f"akn:{work.get('value')}" if work is not None and work.get("value") else "")
    return Debate(transcript, source_key)


def _frbr_value(meta, tag):
    element = _first(meta, f"identification/FRBRWork/{tag}")
    return element.get("value", "") if element is not None else ""


def _renumbered(turns):
    """Sequences 1, 2, 3… after empty turns were dropped, replies pointing at the new numbers."""
    numbers = {turn.sequence: index for index, turn in enumerate(turns, 1)}
    return [
        dataclasses.replace(turn, sequence=numbers[turn.sequence], in_reply_to=numbers.get(turn.in_reply_to))
        for turn in turns
    ]
