"""Shared fixtures: where the real corpus lives, and small factories."""

import json
import os
from pathlib import Path

import pytest
from django.conf import settings

CORPUS_DIR = Path(os.environ.get("ARCHIVE_CORPUS_DIR", settings.BASE_DIR.parent / "shared" / "corpus"))
REFERENCE = settings.BASE_DIR / "transcripts" / "2013-05-07-remarks-with-russian-foreign-minister-sergey-lavrov.txt"


@pytest.fixture(scope="session")
def corpus_dir():
    if not (CORPUS_DIR / "INDEX.jsonl").is_file():
        if os.environ.get("CI"):
            pytest.fail(f"the shared corpus is missing at {CORPUS_DIR}")
        pytest.skip(f"the shared corpus is not at {CORPUS_DIR}")
    return CORPUS_DIR


@pytest.fixture(scope="session")
def corpus_index(corpus_dir):
    with open(corpus_dir / "INDEX.jsonl", encoding="utf-8") as lines:
        return {entry["file"]: entry for entry in map(json.loads, lines)}


@pytest.fixture
def reference_event(db):
    """The reference transcript, ingested (and indexed)."""
    from django.core.management import call_command

    from archive.models import Event

    call_command("ingest", str(REFERENCE), verbosity=0)
    return Event.objects.get()


def read_corpus_file(corpus_dir, relative):
    return (corpus_dir / relative).read_text(encoding="utf-8-sig")


@pytest.fixture(autouse=True)
def empty_search_index():
    """Every test starts from an empty search index: database rows are rolled back between
    tests, so documents left by another test would point at the wrong rows."""
    import shutil

    from archive import search

    path = Path(settings.HAYSTACK_CONNECTIONS["default"]["PATH"])
    for leftover in (path, path.with_name(path.name + ".versions"), path.with_name(path.name + ".building")):
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
