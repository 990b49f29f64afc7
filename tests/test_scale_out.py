"""The scale-out path without its servers: SEARCH_URL selects haystack's Elasticsearch 7 backend
with the right connection and mapping, no code outside the search seam knows the engine, and a
database dump restores into an empty database from which the index rebuilds."""

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from archive import search
from archive.models import Event, Speaker, SpeakerAlias, Turn

BASE_DIR = Path(settings.BASE_DIR)

PROBE = """
import json
from haystack import connections
from archive import search
from archive.search_indexes import TurnIndex
options = connections["default"].options
backend = connections["default"].get_backend()
unified = connections["default"].get_unified_index()
content_field, mapping = backend.build_schema(unified.all_searchfields())
print(json.dumps({
    "options": {key: options[key] for key in ("ENGINE", "URL", "INDEX_NAME", "TIMEOUT") if key in options},
    "engine": type(search.engine()).__name__,
    "content_field": content_field,
    "mapping": {name: mapping[name] for name in ("text", "speaker", "speaker_slug", "kind", "event", "year", "date")},
}, default=repr))
"""


def probe(search_url, tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(SEARCH_URL=search_url, ARCHIVE_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="archive.settings")
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v0", "-c", PROBE],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.slow  # starts Django in a new process per probe
@pytest.mark.one_database
def test_search_url_selects_elasticsearch_7(tmp_path):
    found = probe("elasticsearch7://archive:secret@search.internal:9200/diplomatic-remarks?TIMEOUT=20", tmp_path)
    assert found["options"] == {
        "ENGINE": "haystack.backends.elasticsearch7_backend.Elasticsearch7SearchEngine",
        "URL": "http://archive:secret@search.internal:9200",
        "INDEX_NAME": "diplomatic-remarks",
        "TIMEOUT": 20,
    }
    assert found["engine"] == "HaystackEngine"  # the generic path, no Whoosh code
    mapping = found["mapping"]
    assert found["content_field"] == "text"
    assert mapping["text"] == {"type": "text", "analyzer": "snowball"}  # stemmed, like Whoosh's
    for name in ("speaker_slug", "kind", "event", "year"):
        assert mapping[name] == {"type": "keyword"}, name  # exact filters and facets
    assert mapping["date"]["type"] == "date"


@pytest.mark.slow  # starts Django in a new process per probe
@pytest.mark.one_database
def test_https_elasticsearch_and_the_whoosh_default(tmp_path):
    found = probe("elasticsearch7s://search.example.org:9243/archive", tmp_path)
    assert found["options"]["URL"] == "https://search.example.org:9243"
    whoosh = probe(f"whoosh://{tmp_path / 'index'}", tmp_path)
    assert whoosh["options"]["ENGINE"] == "haystack.backends.whoosh_backend.WhooshEngine"
    assert whoosh["engine"] == "WhooshEngine"


def imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def test_only_the_search_seam_knows_the_engine():
    """Whoosh only in the whoosh_* modules of archive/search/; haystack only in archive/search/
    and in search_indexes.py (haystack's declaration of the documents)."""
    archive = BASE_DIR / "archive"
    for path in sorted(archive.rglob("*.py")):
        relative = path.relative_to(archive).as_posix()
        modules = set(imports(path))
        if not relative.startswith("search/whoosh_"):
            assert not {m for m in modules if m.startswith("whoosh") or m.endswith("whoosh_backend")}, relative
        if not relative.startswith("search/") and relative != "search_indexes.py":
            assert not {m for m in modules if m.startswith("haystack")}, relative
    # The one place that chooses the Whoosh path, by the configured engine, is marked.
    seam = (archive / "search" / "__init__.py").read_text(encoding="utf-8")
    assert seam.count("from archive.search.whoosh_engine import") == 1


# --- backup and restore -------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_dump_restores_into_an_empty_database_and_the_index_rebuilds(tmp_path, reference_event):
    call_command("create_archivists_group", verbosity=0)
    counts = {model: model.objects.count() for model in (Event, Turn, Speaker, SpeakerAlias)}
    history = Turn.history.count()
    public_ids = set(Turn.objects.values_list("public_id", flat=True))
    dump = tmp_path / "archive.json.gz"
    call_command("backup", str(dump), verbosity=0)
    assert dump.stat().st_size > 1000

    call_command("flush", interactive=False, verbosity=0)
    assert Turn.objects.count() == 0
    call_command("restore", str(dump), verbosity=0)

    assert {model: model.objects.count() for model in counts} == counts
    assert Turn.history.count() == history
    assert set(Turn.objects.values_list("public_id", flat=True)) == public_ids
    search.rebuild()
    assert search.check().total == 0
    assert search.search_turns("nyet").total == 1
    if connection.vendor == "postgresql":  # sequences were reset: new rows do not collide
        Speaker.objects.create(name="After restore", slug="after-restore")
