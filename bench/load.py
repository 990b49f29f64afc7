"""Load: wrk against gunicorn with 2 workers on 127.0.0.1 (issue 7's figures).

    .venv/bin/python bench/load.py [--duration 10] [--connections 8]

Serves the whole corpus in transcripts/ from a fresh archive with gunicorn (2 workers, the
repository's gunicorn.conf.py, access log off), warms each URL, then runs Debian's wrk
(`apt-get install wrk`) for each page in turn: the home page, the event page closest to 200
turns, and a search page. Goals: event page >= 300 req/s, search >= 60 req/s, 0 errors.
Writes the "Load" section of bench/RESULTS.md and the key "load" of bench/results.json.
"""

import argparse
import re
import shutil
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from results_file import update_json, write_section
from server import archive

ROOT = Path(__file__).resolve().parent.parent


def run_wrk(url, duration, connections):
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def number(pattern, default="0"):
        found = re.search(pattern, out)
        return found.group(1) if found else default

    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "requests_per_second": float(number(r"Requests/sec:\s+([\d.]+)")),
        "requests": int(number(r"(\d+) requests in")),
        "non_2xx": int(number(r"Non-2xx or 3xx responses: (\d+)")),
        "socket_errors": sum(map(int, socket_errors.groups())) if socket_errors else 0,
        "latency_p50": number(r"(?m)^\s+50%\s+(\S+)"),
        "latency_p99": number(r"(?m)^\s+99%\s+(\S+)"),
        "raw": out,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=ROOT / "transcripts")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--query", default="climate")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    with archive(sorted(args.corpus.glob("*/*.txt")), workers=2) as (url, env):
        database = Path(env["ARCHIVE_DATA_DIR"]) / "archive.sqlite3"
        with sqlite3.connect(database) as db:
            slug, turns = db.execute(
                "SELECT e.slug, count(t.id) AS n FROM archive_event e JOIN archive_turn t ON t.event_id = e.id "
                "GROUP BY e.id ORDER BY abs(count(t.id) - 200), e.id LIMIT 1"
            ).fetchone()
        pages = {
            "home": url + "/",
            f"event ({turns} turns)": f"{url}/events/{slug}/",
            f"search ({args.query})": f"{url}/search/?q={args.query}",
        }
        for page_url in pages.values():
            for _ in range(10):  # each worker renders and caches what it caches
                urllib.request.urlopen(page_url).read()
        results = {}
        for name, page_url in pages.items():
            results[name] = run_wrk(page_url, args.duration, args.connections)
            print(name, {k: v for k, v in results[name].items() if k != "raw"}, flush=True)
            time.sleep(1)
    # The same pages with the cache off (CACHE_URL=dummycache://): every request renders in
    # full and every search runs in Whoosh.
    with archive(sorted(args.corpus.glob("*/*.txt")), workers=2, CACHE_URL="dummycache://") as (url, env):
        for name, path in (
            (f"event ({turns} turns), no cache", f"/events/{slug}/"),
            (f"search ({args.query}), no cache", f"/search/?q={args.query}"),
        ):
            urllib.request.urlopen(url + path).read()
            results[name] = run_wrk(url + path, args.duration, args.connections)
            print(name, {k: v for k, v in results[name].items() if k != "raw"}, flush=True)
            time.sleep(1)

    update_json({"load": {name: {k: v for k, v in r.items() if k != "raw"} for name, r in results.items()}})
    rows = "\n".join(
        f"| {name} | {r['requests_per_second']:.0f} | {r['requests']:,} | {r['non_2xx'] + r['socket_errors']} "
        f"| {r['latency_p50']} | {r['latency_p99']} |"
        for name, r in results.items()
    )
    write_section(
        "## Load",
        f"""
`.venv/bin/python bench/load.py` ({time.strftime("%Y-%m-%d")}): `wrk -t2 -c{args.connections} -d{args.duration}s`
against gunicorn with 2 workers on 127.0.0.1 (same machine: wrk and the workers share its 2 cores),
serving the whole corpus from SQLite and Whoosh. Goals: event page ≥ 300 req/s, search ≥ 60 req/s, 0 errors.
Event pages are kept in the cache until the event or a speaker of it changes, and results pages until the
index changes (per worker, in memory by default), so wrk's repeated URL is served from the cache after
the first request in each worker; the "no cache" rows run the same pages with `CACHE_URL=dummycache://`.

| page | req/s | requests | errors | p50 | p99 |
|---|---|---|---|---|---|
{rows}
""",
    )


if __name__ == "__main__":
    main()
