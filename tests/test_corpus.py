"""The whole shared corpus through the real ingest command."""

import pytest
from django.core.management import call_command

from archive.models import Event, Turn
from archive.parser import words

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_whole_corpus_ingests_with_no_failure_and_no_word_lost(corpus_dir, capsys):
    call_command("ingest", str(corpus_dir))
    out = capsys.readouterr().out
    assert "0 failed" in out
    files = sorted(corpus_dir.glob("*/*.txt"))
    assert Event.objects.count() == len(files)
    # Every word of every file is in the stored event, in order.
    for event in Event.objects.all():
        path = next(p for p in files if p.name == event.source_file)
        stored = [event.header_text]
        for turn in event.turns.order_by("sequence"):
            stored += [turn.label, turn.text]
        stored.append(event.trailer_text)
        assert words("\n".join(stored)) == words(path.read_text(encoding="utf-8-sig")), path.name
    resolved = Turn.objects.filter(speaker__isnull=False).count() / Turn.objects.count()
    assert resolved > 0.99
