"""Benchmark: median server time of each public page (issue 5's figures).

    .venv/bin/python bench/pages_bench.py [--repeats 30]

Ingests transcripts/ (the shipped corpus) into a fresh archive, then times each page through Django's test
client (the whole request: URL routing, views, queries, templates), on the reference
transcript and on the corpus's largest event. Writes the "Pages" section of bench/RESULTS.md
and the key "pages" of bench/results.json.
"""

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

from results_file import update_json, write_section

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=ROOT / "transcripts")
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as data_dir:
        os.environ.update({"ARCHIVE_DATA_DIR": data_dir, "DJANGO_SETTINGS_MODULE": "archive.settings"})
        os.environ["ALLOWED_HOSTS"] = "testserver"
        os.environ.pop("DATABASE_URL", None)
        import django

        django.setup()
        from django.core.cache import cache
        from django.core.management import call_command
        from django.db.models import Count
        from django.test import Client

        from archive.models import Event

        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        with open(os.devnull, "w") as quiet:
            call_command("ingest", str(args.corpus), verbosity=0, stdout=quiet)
        reference = Event.objects.get(source_file__startswith="2013-05-07-remarks-with-russian")
        largest = Event.objects.annotate(n=Count("turns")).order_by("-n").first()
        kerry_turn = reference.turns.filter(label="SECRETARY KERRY").first()
        main_speaker = (
            largest.turns.exclude(speaker=None).values_list("speaker__slug").annotate(n=Count("id")).order_by("-n")[0][0]
        )
        only_url = f"{largest.get_absolute_url()}?speaker={main_speaker}"
        pages = {
            "home": "/",
            "events": "/events/",
            "events of a year": "/events/2022/",
            "events: speaker by name, dates, by title": "/events/?speaker=Ned+Price&date_from=2021-06-01&sort=title",
            f"event: reference ({reference.turns.count()} turns)": reference.get_absolute_url(),
            f"event: largest ({largest.n} turns, with its contents)": largest.get_absolute_url(),
            "event: largest, one speaker only": only_url,
            "event download (txt), largest": f"{largest.get_absolute_url()}transcript.txt",
            "speakers": "/speakers/",
            "speaker: John Kerry": kerry_turn.speaker.get_absolute_url(),
            "turn permalink": kerry_turn.get_absolute_url(),
            "search: Syria": "/search/?q=Syria",
            "API event, largest": f"/api/events/{largest.slug}",
            "feed: events": "/feeds/events/",
        }
        pages[f"event: largest, not yet cached ({largest.n} turns, with its contents)"] = largest.get_absolute_url()
        pages["event: largest, one speaker only, not yet cached"] = only_url
        pages["search: Syria, page not yet cached"] = "/search/?q=Syria"
        client = Client()
        figures = {}
        for name, url in pages.items():
            assert client.get(url).status_code == 200, url
            samples = []
            for _ in range(args.repeats):
                if "not yet cached" in name:
                    cache.clear()
                start = time.perf_counter()
                client.get(url)
                samples.append((time.perf_counter() - start) * 1000)
            figures[name] = {"url": url, "median_ms": round(statistics.median(samples), 1)}
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    update_json({"pages": {"machine": machine, "pages": figures}})
    lines = [f"Machine: {machine}. Median of {args.repeats} requests through Django's test client.", ""]
    lines += ["| page | median ms |", "|---|---|"]
    lines += [f"| {name} | {f['median_ms']} |" for name, f in figures.items()]
    lines += [
        "",
        "Event pages are cached whole until the event or one of its speakers changes, and results pages",
        "until the search index changes: the rows without “not yet cached” are served from the cache after",
        "the first request; the “not yet cached” rows clear the cache before each request.",
        "",
        "Goals: ≤ 30 ms for an event page of 300 turns with its table of contents from the cache, ≤ 120 ms",
        "not yet cached.",
    ]
    body = "\n".join(lines)
    write_section("## Pages (`bench/pages_bench.py`)", body)
    print(body)


if __name__ == "__main__":
    main()
