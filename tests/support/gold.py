"""Scoring an ingested archive against the hand-made gold files in tests/gold/files (their format:
tests/gold/README.md). Shared by the slow gold test and bench/attribution.py.

Per gold label the stored turns with that label are scored: found (up to the gold count), and
under the right speaker: the gold person by full name (middle initials, accents and a second
surname aside), the label kept as printed where the gold has no one, a journalist, moderator or
anonymous role of that kind. A turn is *unsupported* when it stands under a full name that is not
the gold person: someone neither the file nor the registry supports.
"""

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field

from archive.parser import UNIDENTIFIED_JOURNALIST, label_key
from archive.parser.text import fold
from archive.parser.vocabulary import ROLE_WORDS
from tests.support import ROOT

GOLD_DIR = ROOT / "tests" / "gold" / "files"
COLLECTIONS = {
    "us-state-dept-2013": "U.S. Department of State",
    "us-state-dept-rss-2021-2022": "U.S. Department of State",
    "whitehouse-briefing-room-2021-2025": "The White House",
    "un-general-debate": "UN General Debate",
}


def gold_files():
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted(GOLD_DIR.glob("*/*.json"))]


def _words(name):
    return [w for w in re.sub(r"[^\w\s-]", " ", fold(name or "")).split() if len(w) > 1 and w not in {"dr", "jr"}]


def same_person(stored, gold):
    """Whether a stored full name names the gold person: equal words, or one name the other with
    a middle name or second surname more ("Dina Boluarte Zegarra", "Antony J. Blinken")."""
    a, b = _words(stored), _words(gold)
    if not a or not b:
        return False
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    return len(short) >= 2 and short[0] == long[0] and all(word in long for word in short)


@dataclass
class StoredTurn:
    label: str
    kind: str  # the turn's kind
    speaker: str | None  # the speaker's name
    speaker_kind: str | None
    text: str


@dataclass
class StoredEvent:
    date: str | None
    year: int | None
    city: str
    country: str
    turns: list


@dataclass
class Tally:
    files: int = 0
    gold_turns: int = 0
    found: int = 0
    extra: int = 0
    right: int = 0
    unsupported: int = 0
    dates: int = 0
    dates_right: int = 0
    stated_dates: int = 0
    stated_dates_right: int = 0
    places: int = 0
    places_right: int = 0
    named_questions: int = 0
    named_questions_right: int = 0
    misses: list = field(default_factory=list)

    def share(self, part, whole):
        return part / whole if whole else 1.0

    def figures(self):
        return {
            "files": self.files,
            "gold_turns": self.gold_turns,
            "turn_recall": round(self.share(self.found, self.gold_turns), 4),
            "extra_turns": self.extra,
            "speaker_accuracy": round(self.share(self.right, self.gold_turns), 4),
            "unsupported_turns": self.unsupported,
            "stated_dates": f"{self.stated_dates_right}/{self.stated_dates}",
            "date_accuracy": round(self.share(self.dates_right, self.dates), 4),
            "stated_places": f"{self.places_right}/{self.places}",
            "place_accuracy": round(self.share(self.places_right, self.places), 4),
            "named_questions": f"{self.named_questions_right}/{self.named_questions}",
        }


def _is_label(name, label):
    """Whether a stored name is only a label: the label itself, or role words and a surname
    ("President Biden", "Ms. Psaki") rather than a full name."""
    if name is None:
        return True
    if label is not None and label_key(name) == label_key(label):
        return True
    words = label_key(name).lower().split()
    while words and words[0] in ROLE_WORDS | {"the"}:
        words = words[1:]
    return len(words) < 2


def _judge(turn, entry, journalists):
    """(right, unsupported) for one stored turn under a gold label entry."""
    kind, person = entry["kind"], entry.get("person")
    name, speaker_kind = turn.speaker, turn.speaker_kind
    full_name = speaker_kind in ("person", "journalist") and name not in (None, UNIDENTIFIED_JOURNALIST)
    full_name = full_name and not _is_label(name, turn.label)
    if person:
        right = speaker_kind in ("person", "journalist", None) and name is not None and same_person(name, person)
        return right, full_name and not right
    if kind == "journalist":
        named = full_name and any(same_person(name, j) or fold(name) == fold(j) for j in journalists)
        return speaker_kind == "journalist", full_name and not named
    if kind in ("moderator", "audience"):
        return speaker_kind == kind, full_name
    if kind == "role" or kind == "interpreter":
        return speaker_kind in ("role", None), full_name
    return not full_name, full_name  # a person the file does not name: the label kept


def _first_words(text):
    return " ".join(text.replace("\u00a0", " ").split()[:8])


def score(stored_by_file, gold=None):
    """{collection: Tally} and a "total" Tally, for {file: StoredEvent}."""
    tallies = defaultdict(Tally)
    for entry in gold or gold_files():
        folder = entry["file"].split("/")[0]
        tallies_here = (tallies[COLLECTIONS.get(folder, folder)], tallies["total"])
        event = stored_by_file.get(entry["file"])
        for tally in tallies_here:
            tally.files += 1
        if event is None:
            for tally in tallies_here:
                tally.misses.append(f"{entry['file']}: not ingested")
            continue
        journalists = [q["journalist"] for q in entry.get("named_questions", ()) if q.get("journalist")]
        by_label = defaultdict(list)
        for turn in event.turns:
            if turn.kind != "stage_direction":
                by_label[turn.label or None].append(turn)
        for label_entry in entry["labels"]:
            label = label_entry["label"]
            turns = by_label.get(label, [])
            wanted = label_entry["turns"] if label is not None else max(len(turns), 1)
            judged = [_judge(turn, label_entry, journalists) for turn in turns[:wanted]]
            for tally in tallies_here:
                tally.gold_turns += wanted
                tally.found += min(len(turns), wanted)
                tally.extra += max(len(turns) - wanted, 0)
                tally.right += sum(right for right, _ in judged)
                tally.unsupported += sum(unsupported for _, unsupported in judged)
            wrong = [turn.speaker for turn, (right, _) in zip(turns, judged, strict=False) if not right]
            if len(turns) != wanted or wrong:
                message = f"{entry['file']}: {label!r} found {len(turns)}/{wanted}"
                if wrong:
                    message += f", {len(wrong)} under {sorted(set(map(str, wrong)))} not {label_entry.get('person')!r}"
                for tally in tallies_here:
                    tally.misses.append(message)
        known = {_first_words(q["first_words"].rstrip(" …")): q["journalist"] for q in entry.get("named_questions", ())
                 if q.get("journalist") and q.get("certain", True)}  # fmt: skip
        for turn in event.turns:
            if turn.kind != "question":
                continue
            for start, journalist in known.items():
                if _first_words(turn.text).startswith(start):
                    right = turn.speaker is not None and fold(journalist) in fold(turn.speaker)
                    for tally in tallies_here:
                        tally.named_questions += 1
                        tally.named_questions_right += right
        gold_date = entry.get("date")
        for tally in tallies_here:
            tally.dates += 1
            right = event.date == gold_date and (gold_date or event.year == entry.get("year"))
            tally.dates_right += bool(right)
            if entry.get("date_source") == "text":
                tally.stated_dates += 1
                tally.stated_dates_right += bool(right)
            if not right:
                tally.misses.append(f"{entry['file']}: date {event.date or event.year} not {gold_date}")
        place = entry.get("place") or {}
        if place.get("stated"):
            right = fold(event.city) == fold(place.get("city") or "") and fold(event.country) == fold(
                place.get("country") or ""
            )
            for tally in tallies_here:
                tally.places += 1
                tally.places_right += right
                if not right:
                    tally.misses.append(
                        f"{entry['file']}: place {event.city!r}, {event.country!r} not {place.get('city')!r}, "
                        f"{place.get('country')!r}"
                    )
    return dict(tallies)


def stored_events():
    """{corpus file: StoredEvent} from the database (for an archive that ingested transcripts/)."""
    from archive.models import Event, Turn

    events = {}
    by_pk = {}
    for event in Event.objects.all():
        by_pk[event.pk] = StoredEvent(
            event.date.isoformat() if event.date else None, event.year, event.city, event.country, []
        )
    for turn in Turn.objects.select_related("speaker").order_by("event", "sequence"):
        speaker = turn.speaker
        by_pk[turn.event_id].turns.append(
            StoredTurn(turn.label or None, turn.kind, speaker.name if speaker else None,
                       speaker.kind if speaker else None, turn.text)
        )  # fmt: skip
    files = {event.pk: event.source_file for event in Event.objects.only("source_file")}
    for entry in gold_files():
        name = entry["file"].split("/")[-1]
        pk = next((pk for pk, file in files.items() if file == name), None)
        if pk is not None:
            events[entry["file"]] = by_pk[pk]
    return events
