"""Shared fixtures: the corpus and its index, the reference event, and a clean search index per test;
and what a run without slow tests leaves out (a module it need not import, property examples).
Plain helpers live in tests/support/; nothing imports this module."""

import gc
import json
import os
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from hypothesis import settings

from tests.support import CORPUS_DIR, REFERENCE

# Modules whose every test is slow. They cost their import when collected, even in runs that
# leave slow tests out: test_api_schema loads schemathesis and the API schema (3 s a worker).
ONLY_SLOW_TESTS = {"test_api_schema.py"}


def pytest_configure(config):
    # Property tests that name no number of examples try 400, and 100 in a run without slow tests.
    settings.register_profile("full", max_examples=400)
    settings.register_profile("everyday", max_examples=100)
    if not config.getoption("hypothesis_profile"):
        settings.load_profile("full" if _selects_slow_tests(config.getoption("markexpr")) else "everyday")


def pytest_collection_finish(session):
    # What is alive once the tests are collected (Django, the test modules, the items) lives to
    # the end: frozen, the collector's full collections no longer walk it again and again (a
    # tenth of the everyday run).
    gc.collect()
    gc.freeze()


def pytest_ignore_collect(collection_path, config):
    if collection_path.name in ONLY_SLOW_TESTS and not _selects_slow_tests(config.getoption("markexpr")):
        return True
    return None


def _selects_slow_tests(markexpr):
    """Whether `-m markexpr` keeps a test marked slow (evaluated as pytest's -m does)."""
    if not markexpr:
        return True
    from _pytest.mark.expression import Expression

    return Expression.compile(markexpr).evaluate(lambda name, **kwargs: name == "slow")


@pytest.fixture(scope="session")
def corpus_dir():
    if not (CORPUS_DIR / "INDEX.jsonl").is_file():
        pytest.fail(f"the corpus is missing at {CORPUS_DIR}")
    return CORPUS_DIR


@pytest.fixture(scope="session")
def corpus_index(corpus_dir):
    with open(corpus_dir / "INDEX.jsonl", encoding="utf-8") as lines:
        return {entry["file"]: entry for entry in map(json.loads, lines)}


@pytest.fixture
def reference_event(db, index_queued):
    """The reference transcript, ingested and indexed."""
    from django.core.management import call_command

    from archive.models import Event

    call_command("ingest", str(REFERENCE), "--no-index", verbosity=0)
    index_queued()
    return Event.objects.get()


# The documents an empty index was given -> a copy of the index they made.
_indexes = {}


@pytest.fixture
def index_queued(tmp_path_factory):
    """search.drain() for fixtures that make the same archive for many tests. Writing the index
    was most of the cost of some hundred tests: when the index is empty, it is written once for
    the documents the queued changes make, and copied for the next test whose changes make the
    very same documents (SQLite rolls a test's keys back; on PostgreSQL they differ, and each
    test writes its own)."""
    from archive import search
    from archive.models import IndexTask

    def drain():
        live, versions = _index_paths()
        if any(versions.rglob("*.seg")):  # not empty: its documents are not in the key
            return search.drain()
        documents, deleted, events = search._documents(list(IndexTask.objects.all()))
        key = tuple(sorted(repr(sorted(document.items())) for document in documents)), tuple(deleted), tuple(events)
        if key in _indexes:
            _restore_index(_indexes[key])
            IndexTask.objects.all().delete()
            search.reset_engine()
        else:
            search.drain()
            _indexes[key] = _copy_index(tmp_path_factory.mktemp("index"))

    return drain


def _index_paths():
    path = Path(django_settings.HAYSTACK_CONNECTIONS["default"]["PATH"])
    return path, path.with_name(path.name + ".versions")


def _copy_index(folder):
    import shutil

    live, versions = _index_paths()
    shutil.copytree(versions, folder / "versions", symlinks=True)
    return folder, os.readlink(live)


def _restore_index(copy):
    import shutil

    folder, target = copy
    live, versions = _index_paths()
    shutil.rmtree(versions, ignore_errors=True)
    shutil.copytree(folder / "versions", versions, symlinks=True)
    if live.is_symlink():
        live.unlink()
    live.symlink_to(target)


@pytest.fixture
def awkward_event(db):
    """An event with nothing but a title, whose turns name no speaker: a first turn holding
    header text (no label), a label kept for archivists, an unattributed question and its answer."""
    from archive import search
    from archive.models import Event, Speaker, Turn

    event = Event.objects.create(title="Remarks Nobody Dated", slug="remarks-nobody-dated", source_key="x.txt")
    kerry, _ = Speaker.objects.get_or_create(slug="john-kerry", defaults={"name": "John Kerry"})
    header = Turn.objects.create(event=event, sequence=1, text="Office of the Spokesperson, zanzibar header")
    label_only = Turn.objects.create(
        event=event, sequence=2, label="THE PRESIDENT", text="Thank you all for zanzibar coming."
    )
    question = Turn.objects.create(
        event=event, sequence=3, label="Q", kind=Turn.Kind.QUESTION, text="What about zanzibar tariffs?"
    )
    Turn.objects.create(
        event=event, sequence=4, label="SECRETARY KERRY", speaker=kerry, kind=Turn.Kind.ANSWER,
        text="Zanzibar tariffs are a matter for later.", in_reply_to=question,
    )  # fmt: skip
    Turn.objects.create(event=event, sequence=5, kind=Turn.Kind.STAGE_DIRECTION, text="(Laughter.)")
    search.enqueue_event(event.pk)
    search.drain()
    return event, [header, label_only, question]


@pytest.fixture(autouse=True)
def empty_search_index():
    """Every test starts from an empty search index: database rows are rolled back between
    tests, so documents left by another test would point at the wrong rows."""
    import shutil

    from archive import search

    path, versions = _index_paths()
    for leftover in (path, versions, path.with_name(path.name + ".building")):
        if leftover.is_symlink() or leftover.is_file():
            leftover.unlink()
        elif leftover.is_dir():
            shutil.rmtree(leftover)
    search.reset_engine()
    from django.core.cache import cache

    cache.clear()  # rendered transcripts of rows another test rolled back
    yield
    search.reset_engine()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """On PostgreSQL, end the sessions that worker threads of the concurrency and live-server
    tests may leave behind, so that the test database can be dropped at the end."""
    yield
    from django.db import connection

    if connection.vendor == "postgresql":
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
