"""Reliability: hostile and random queries through the search view; none may answer 500.

    .venv/bin/python bench/hostile_queries.py [--count 10000] [--seed 1]

Ingests 40 corpus files into a fresh archive, then sends --count requests through Django's
test client to /search/: the known-hostile queries of tests/test_reliability.py combined at
random with each other and with real words and hostile filter parameters, half of them mixed
with random Unicode (control characters, surrogates' neighbours, right-to-left marks). Writes
the "Reliability: hostile queries" section of bench/RESULTS.md.
"""

import argparse
import collections
import os
import random
import sys
import tempfile
import time
from pathlib import Path

from results_file import update_json, write_section

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def random_text(rng):
    alphabet = [chr(rng.randrange(0, 0x3000)) for _ in range(40)] + list("\"'()*?:-+^~[]{}\\/ ")
    return "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 60))).replace("\ud800", "")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=ROOT / "transcripts")
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-queries-") as data_dir:
        os.environ.update(
            {"ARCHIVE_DATA_DIR": data_dir, "DJANGO_SETTINGS_MODULE": "archive.settings", "ALLOWED_HOSTS": "testserver"}
        )
        os.environ.pop("DATABASE_URL", None)
        import django

        django.setup()
        from django.core.management import call_command
        from django.test import Client

        from tests.support.queries import hostile_request

        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)  # pages link hashed names
        files = sorted(args.corpus.glob("*/*.txt"))
        call_command("ingest", *map(str, files[:: max(1, len(files) // 40)]), verbosity=0)
        client = Client(raise_request_exception=False)
        rng = random.Random(args.seed)
        statuses = collections.Counter()
        failures = []
        started = time.perf_counter()
        for n in range(args.count):
            params = hostile_request(rng)
            if n % 2:
                params["q"] = rng.choice([random_text(rng), params["q"] + random_text(rng)])
            status = client.get("/search/", params).status_code
            statuses[status] += 1
            if status >= 500:
                failures.append(params)
        elapsed = time.perf_counter() - started

    for params in failures[:10]:
        print("500:", params, file=sys.stderr)
    result = {
        "requests": args.count,
        "statuses": dict(statuses),
        "status_500": len(failures),
        "seconds": round(elapsed, 1),
    }
    print(result)
    update_json({"hostile_queries": result})
    spread = ", ".join(f"{count:,} × {status}" for status, count in sorted(statuses.items()))
    write_section(
        "## Reliability: hostile queries",
        f"""
`.venv/bin/python bench/hostile_queries.py --count {args.count} --seed {args.seed}` ({time.strftime("%Y-%m-%d")}):
{args.count:,} hostile or random queries (with hostile filter parameters) through the search view.

- Responses: {spread}
- Status 500: {len(failures)}
- Wall time: {elapsed:.0f} s ({elapsed / args.count * 1000:.1f} ms per request)
""",
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
