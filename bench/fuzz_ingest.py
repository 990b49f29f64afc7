"""Reliability: thousands of damaged real transcripts through the whole ingest path.

    .venv/bin/python bench/fuzz_ingest.py [--count 10000] [--seed 1]

Each file of transcripts/ is damaged by one to three random mutations (tests/support/mutations.py:
random cuts, other encodings, control characters, huge lines, shuffled or repeated parts,
random bytes, empty files) and ingested into a fresh archive, in batches, with the search
index left out (it is not what is tested here). Every file must either be ingested with every
word of its decoded text stored, in order, or be reported with a clear error; anything else
(an exception escaping ingest, a word lost) is counted as a crash or a loss. Writes the
"Reliability: damaged transcripts" section of bench/RESULTS.md.
"""

import argparse
import collections
import os
import random
import sys
import tempfile
import time
import traceback
from pathlib import Path

from results_file import update_json, write_section

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

EMPTIED = [
    "archive_participation",
    "archive_turn",
    "archive_speakeralias",
    "archive_speaker",
    "archive_event",
    "archive_historicalparticipation",
    "archive_historicalturn",
    "archive_historicalspeakeralias",
    "archive_historicalspeaker",
    "archive_historicalevent",
    "archive_indextask",
]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=ROOT / "transcripts")
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-fuzz-") as data_dir:
        os.environ.update({"ARCHIVE_DATA_DIR": data_dir, "DJANGO_SETTINGS_MODULE": "archive.settings"})
        os.environ.pop("DATABASE_URL", None)
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection

        from archive.ingest import ingest_files
        from archive.sources import read_source
        from tests.support.mutations import mutate, source_words, stored_words

        call_command("migrate", verbosity=0)
        originals = sorted(args.corpus.glob("*/*.txt"))
        rng = random.Random(args.seed)
        tally = collections.Counter()
        errors = collections.Counter()
        crashes, losses = [], []
        started = time.perf_counter()
        folder = Path(data_dir) / "damaged"
        done = 0
        while done < args.count:
            folder.mkdir(exist_ok=True)
            for path in folder.iterdir():
                path.unlink()
            size = min(args.batch, args.count - done)
            for n in range(size):
                original = rng.choice(originals)
                (folder / f"{done + n:05d}-{original.name}").write_bytes(mutate(original.read_bytes(), rng))
            try:
                report = ingest_files([folder], update_index=False)
            except Exception:
                crashes.append(traceback.format_exc())
                tally["crashed batches"] += 1
                done += size
                continue
            for failure in report.failures:
                tally["clear error"] += 1
                errors[failure.message.split(":")[0][:60]] += 1
                if not failure.message:
                    crashes.append(f"{failure.path}: empty message")
            for path, outcome in report.outcomes:
                tally["ingested"] += 1
                text = read_source(path, max_bytes=settings.ARCHIVE_MAX_FILE_BYTES).text
                if stored_words(outcome.event) != source_words(text):
                    losses.append(path.name)
            # Keep the database small: the next batch starts empty (raw deletes: no history of them).
            with connection.cursor() as cursor:
                for table in EMPTIED:
                    cursor.execute(f"DELETE FROM {table}")
            done += size
            print(f"{done} files: {dict(tally)}, {len(crashes)} crashes, {len(losses)} losses", flush=True)
        elapsed = time.perf_counter() - started

    for crash in crashes[:5]:
        print(crash, file=sys.stderr)
    result = {
        "files": args.count,
        "seed": args.seed,
        "ingested": tally["ingested"],
        "clear_errors": tally["clear error"],
        "crashes": len(crashes),
        "words_lost_in": len(losses),
        "seconds": round(elapsed, 1),
        "top_errors": errors.most_common(8),
    }
    update_json({"fuzz_ingest": result})
    top = "\n".join(f"  - {count} × {message}" for message, count in errors.most_common(8))
    write_section(
        "## Reliability: damaged transcripts",
        f"""
`.venv/bin/python bench/fuzz_ingest.py --count {args.count} --seed {args.seed}` ({time.strftime("%Y-%m-%d")}):
{args.count:,} damaged copies of corpus files (tests/mutations.py) through the whole ingest path.

- Ingested: {tally["ingested"]:,}, every word of each stored in order: {tally["ingested"] - len(losses):,}
  (words lost in {len(losses)})
- Reported with a clear error and skipped: {tally["clear error"]:,}
- Crashes (an exception escaping ingest, or an error without a message): {len(crashes)}
- Wall time: {elapsed:.0f} s
- Most frequent errors:
{top}
""",
    )
    print(result)
    return 1 if crashes or losses else 0


if __name__ == "__main__":
    sys.exit(main())
