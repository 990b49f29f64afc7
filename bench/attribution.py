"""Benchmark: attribution against the hand-made gold files (issue 11's figures).

    .venv/bin/python bench/attribution.py [--corpus transcripts] [--show-misses]

Loads the shipped people registry (fixtures/registry/) and ingests the whole corpus into a fresh
archive in a temporary folder, exactly as `bin/serve` does, then scores the stored turns against
tests/gold/files (tests/support/gold.py): per collection, turn recall, speaker accuracy, turns
attributed to someone neither the file nor the registry supports, date and place accuracy, and
reporters named before their questions. Writes bench/RESULTS.md (the "Attribution" section) and
bench/results.json (key "attribution").
"""

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

from results_file import update_json, write_section

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def ingest_with_registry(corpus, data_dir):
    os.environ["ARCHIVE_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "archive.settings"
    os.environ["ARCHIVE_INDEX_IN_BACKGROUND"] = "false"
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("SEARCH_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    with open(os.devnull, "w") as quiet:
        call_command("load_registry", verbosity=0, stdout=quiet)
        call_command("ingest", str(corpus), verbosity=0, stdout=quiet)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=ROOT / "transcripts")
    parser.add_argument("--show-misses", action="store_true", help="Print every miss (file, label, what was stored).")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="archive-attribution-") as data_dir:
        seconds = ingest_with_registry(args.corpus, data_dir)
        from tests.support.gold import score, stored_events

        tallies = score(stored_events())
    figures = {name: tally.figures() for name, tally in tallies.items()}
    update_json({
        "attribution": {
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
            "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "registry_load_and_ingest_s": round(seconds, 1),
            "collections": figures,
        }
    })  # fmt: skip
    rows = "\n".join(
        f"| {name} | {f['files']} | {f['gold_turns']:,} | {f['turn_recall']:.2%} | {f['speaker_accuracy']:.2%} "
        f"| {f['unsupported_turns']} | {f['stated_dates']} | {f['date_accuracy']:.2%} "
        f"| {f['stated_places']} "
        f"| {f['place_accuracy']:.2%} | {f['named_questions']} |"
        for name, f in sorted(figures.items(), key=lambda item: (item[0] == "total", item[0]))
    )
    body = f"""
Gold: {figures["total"]["files"]} transcripts read by hand (tests/gold/). Registry loaded, then the whole corpus
ingested ({seconds:.1f} s). Run: {time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}.

| collection | files | labelled turns | turns found | right speaker | unsupported | stated dates \
| all dates | stated places | places right | named reporters |
|---|---|---|---|---|---|---|---|---|---|---|
{rows}

Targets: ≥ 99.5 % of turns found, ≥ 99 % under the right person, 0 unsupported, every stated date, ≥ 90 % of
stated places. "Unsupported": a turn stored under a full name that neither the file nor the registry gives
for it. "Named reporters": questions whose reporter the moderator named just before, attributed to them.
"""
    write_section("## Attribution (`bench/attribution.py`)", body)
    print(body)
    if args.show_misses:
        print("\n".join(tallies["total"].misses))


if __name__ == "__main__":
    main()
