"""No leaks between files: a file's speakers depend only on that file, its metadata, the registry
and archivists' confirmed aliases, so ingesting the same files in any order, one at a time or all
at once, gives every turn the same speaker."""

import json
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.ingest import ingest_files
from archive.models import Turn
from tests.support import CORPUS_DIR
from tests.support.registry import SMALL_REGISTRY

pytestmark = pytest.mark.django_db

# Files that share labels: MR PRICE with and without his name in the header, THE PRESIDENT, MS. PSAKI
# at the State Department in 2013 and at the White House, and an undated copy of a White House file.
SAMPLE = [
    "us-state-dept-rss-2021-2022/2021-06-02-department-press-briefing-june-2-2021.txt",
    "us-state-dept-rss-2021-2022/2021-06-28-secretary-antony-j-blinken-and-italian-foreign-minister-luigi-di-maio.txt",
    "us-state-dept-2013/2013-05-07-remarks-with-russian-foreign-minister-sergey-lavrov.txt",
    "whitehouse-briefing-room-2021-2025/2021-06-22-press-briefing-by-press-secretary-jen-psaki-june-22-2021.txt",
    "whitehouse-briefing-room-2021-2025/2024-11-26-remarks-by-president-biden-announcing-cessation-of-hostilities-between-israel-and-hezboll.txt",
    "whitehouse-briefing-room-2021-2025/2021-03-19-press-gaggle-by-principal-deputy-press-secretary-karine-jean-pierre-aboard-air-force-one.txt",
]


@pytest.fixture
def files(tmp_path):
    """The sample, each with its metadata beside it; the last one twice, once without a date."""
    index = {json.loads(line)["file"]: json.loads(line) for line in (CORPUS_DIR / "INDEX.jsonl").open()}
    paths = []
    for relative in SAMPLE:
        target = tmp_path / relative.split("/")[1]
        shutil.copy(CORPUS_DIR / relative, target)
        target.with_suffix(".json").write_text(json.dumps(index[relative]), encoding="utf-8")
        paths.append(target)
    undated = tmp_path / "undated-remarks-by-president-biden.txt"
    shutil.copy(CORPUS_DIR / SAMPLE[4], undated)
    paths.append(undated)
    return paths


@pytest.fixture
def registry(tmp_path):
    from django.core.management import call_command

    path = tmp_path / "registry.json"
    path.write_text(json.dumps(SMALL_REGISTRY), encoding="utf-8")
    call_command("load_registry", str(path), verbosity=0)


def identities():
    """(file, sequence) -> who speaks: the registry person, or the speaker's kind and name (and
    whether it belongs to that event only)."""
    found = {}
    for turn in Turn.objects.select_related("event", "speaker__person"):
        speaker = turn.speaker
        if speaker is None:
            who = None
        elif speaker.person is not None:
            who = ("registry", speaker.person.popolo_id)
        else:
            who = (speaker.kind, speaker.name.lower(), speaker.event_id is not None)
        found[(turn.event.source_file, turn.sequence)] = who
    return found


def ingest_in_order(paths, one_at_a_time):
    from django.db import transaction

    with transaction.atomic():
        if one_at_a_time:
            for path in paths:
                ingest_files([path], update_index=False)
        else:
            ingest_files(paths, update_index=False)
        found = identities()
        transaction.set_rollback(True)
    return found


def test_forward_and_backward_one_at_a_time_and_all_at_once_agree(files, registry):
    together = ingest_in_order(files, one_at_a_time=False)
    assert ingest_in_order(files, one_at_a_time=True) == together
    assert ingest_in_order(list(reversed(files)), one_at_a_time=True) == together
    undated = {who for (file, _), who in together.items() if file.startswith("undated-")}
    assert ("registry", "joe-biden") not in undated  # no date: THE PRESIDENT keeps the label
    psaki_2013 = {who for (file, _), who in together.items() if file.startswith("2013-05-07")}
    assert ("registry", "jen-psaki") in psaki_2013  # MS. PSAKI at the State Department in 2013


@pytest.mark.slow
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=st.permutations(range(len(SAMPLE) + 1)), one_at_a_time=st.booleans())
def test_any_order_gives_the_same_speakers(files, registry, order, one_at_a_time):
    baseline = ingest_in_order(files, one_at_a_time=False)
    assert ingest_in_order([files[i] for i in order], one_at_a_time) == baseline
