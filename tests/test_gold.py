"""The whole corpus ingested with the shipped registry, scored against the hand-made gold files
(tests/gold/): the targets of issue 11. bench/attribution.py prints the same figures per collection."""

import pytest
from django.core.management import call_command

from tests.support.gold import score, stored_events

pytestmark = [pytest.mark.django_db, pytest.mark.slow, pytest.mark.one_database]


@pytest.fixture
def tally(corpus_dir):
    call_command("load_registry", verbosity=0)
    call_command("ingest", str(corpus_dir), verbosity=0)
    return score(stored_events())["total"]


def test_attribution_meets_its_targets(tally):
    misses = "\n".join(tally.misses)
    figures = tally.figures()
    assert tally.files >= 30
    assert figures["turn_recall"] >= 0.995, misses
    assert figures["unsupported_turns"] == 0, misses
    assert figures["speaker_accuracy"] >= 0.99, misses
    assert tally.stated_dates_right == tally.stated_dates, misses
    assert figures["place_accuracy"] >= 0.90, misses
