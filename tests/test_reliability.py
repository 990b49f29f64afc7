"""Fast versions of the reliability runs (the long ones are in bench/): damaged transcripts,
hostile queries, and an ingest killed with SIGKILL in the middle."""

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from django.conf import settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from archive.ingest import NEW, UPDATED, ingest_files
from archive.models import Event
from archive.parser import parse_transcript
from archive.sources import read_source
from tests.support import REFERENCE
from tests.support.mutations import mutate, source_words, stored_words
from tests.support.queries import HOSTILE, hostile_request

pytestmark = pytest.mark.slow


@pytest.mark.django_db
def test_hostile_queries_never_get_a_500(client, reference_event):
    rng = random.Random(7)
    requests = [{"q": query} for query in HOSTILE] + [hostile_request(rng) for _ in range(300)]
    statuses = {}
    for params in requests:
        status = client.get("/search/", params).status_code
        statuses.setdefault(status, []).append(params)
    assert set(statuses) <= {200, 400}, {status: found[:3] for status, found in statuses.items()}


@pytest.mark.django_db
@hypothesis_settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(query=st.text(max_size=80), page=st.text(max_size=8))
def test_any_query_text_gets_a_page(client, query, page):
    assert client.get("/search/", {"q": query, "page": page}).status_code in (200, 400)


@pytest.fixture(scope="module")
def corpus_sample(corpus_dir):
    files = sorted(corpus_dir.glob("*/*.txt"))
    return [files[i] for i in range(0, len(files), max(1, len(files) // 12))]


@pytest.mark.django_db
@hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_damaged_transcripts_ingest_or_get_a_clear_error(corpus_sample, tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("damaged")
    original = data.draw(st.sampled_from(corpus_sample))
    rng = data.draw(st.randoms(use_true_random=False))
    damaged = folder / original.name
    damaged.write_bytes(mutate(original.read_bytes(), rng))
    report = ingest_files([damaged])  # raises nothing
    if report.failures:
        (failure,) = report.failures
        assert failure.message and failure.path == damaged
        return
    ((_, outcome),) = report.outcomes
    assert outcome.status in (NEW, UPDATED, "unchanged")
    text = read_source(damaged, max_bytes=settings.ARCHIVE_MAX_FILE_BYTES).text
    assert stored_words(outcome.event) == source_words(text)  # no word lost


# --- an ingest killed in the middle ---------------------------------------------------------


def manage(*args, env):
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_an_ingest_killed_with_sigkill_leaves_no_half_written_event(corpus_dir, tmp_path):
    folder = tmp_path / "transcripts"
    folder.mkdir()
    files = sorted(corpus_dir.glob("*/*.txt"))[:60]
    for path in files:
        (folder / path.name).write_bytes(path.read_bytes())
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "SEARCH_URL")}
    env.update(ARCHIVE_DATA_DIR=str(tmp_path / "data"), DJANGO_SETTINGS_MODULE="archive.settings")
    assert manage("migrate", "--noinput", "-v0", env=env).wait(timeout=120) == 0
    database = tmp_path / "data" / "archive.sqlite3"

    def events_written():
        with sqlite3.connect(database, timeout=30) as db:
            return db.execute("SELECT count(*) FROM archive_event").fetchone()[0]

    ingest = manage("ingest", str(folder), env=env)
    deadline = time.monotonic() + 120
    while events_written() < 5 and time.monotonic() < deadline and ingest.poll() is None:
        time.sleep(0.02)
    os.kill(ingest.pid, signal.SIGKILL)
    ingest.wait()
    written = events_written()
    assert 0 < written < len(files), "the kill came while the ingest was writing"

    # Every event in the database is whole: all the turns its file has.
    with sqlite3.connect(database) as db:
        rows = db.execute(
            "SELECT e.source_file, count(t.id) FROM archive_event e "
            "LEFT JOIN archive_turn t ON t.event_id = e.id GROUP BY e.id"
        ).fetchall()
    for source_file, turn_count in rows:
        source = read_source(folder / source_file, max_bytes=settings.ARCHIVE_MAX_FILE_BYTES)
        assert turn_count == len(parse_transcript(source.text, filename=source_file).turns), source_file

    again = manage("ingest", str(folder), env=env)
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    assert f"{len(files) - written} new" in out and "0 failed" in out
    check = manage("check_index", env=env)
    out, err = check.communicate(timeout=120)
    assert check.returncode == 0, out + err
    assert "Drift: 0" in out


def test_the_reference_transcript_damaged_at_every_cut_point_class(db, tmp_path):
    """Cuts inside a UTF-8 sequence, a label, and the header of the reference transcript."""
    data = REFERENCE.read_bytes()
    cuts = [1, 2, data.index(b"Moscow") + 3, data.index(b"SECRETARY KERRY") + 5, len(data) - 1]
    text = data.decode("utf-8")
    first_multibyte = next(i for i, ch in enumerate(text) if len(ch.encode()) > 1)
    cuts.append(len(text[:first_multibyte].encode()) + 1)
    for n, cut in enumerate(cuts):
        path = tmp_path / f"cut-{n}.txt"
        path.write_bytes(data[:cut])
    report = ingest_files(sorted(tmp_path.glob("*.txt")))
    assert len(report.outcomes) + len(report.failures) == len(cuts)
    for _, outcome in report.outcomes:
        event = Event.objects.get(pk=outcome.event.pk)
        path = tmp_path / event.source_file
        assert stored_words(event) == source_words(read_source(path, max_bytes=10**7).text)
