"""Soak: ingest, admin edits and searches overlapping against gunicorn, then 0 index drift.

    .venv/bin/python bench/soak.py [--seconds 60]

Serves 60 corpus transcripts with gunicorn (2 workers) on 127.0.0.1 and, for the given time,
runs at once: an ingest loop (`manage.py ingest --force` of rotating sets of other corpus files,
a separate process each time), two archivists editing turns through the admin's own forms over
HTTP (log in, open a turn, change its text and speaker, save), and four readers searching. Any
HTTP status >= 500, failed request or failed ingest counts as an error. Afterwards
`manage.py check_index` must report 0 drift. Writes the "Soak" section of bench/RESULTS.md.
"""

import argparse
import http.cookiejar
import random
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from results_file import update_json, write_section
from server import ROOT, archive, manage

from tests.support.forms import form_data

WORDS = ["Iran", "climate", "Ukraine", "sanctions", '"human rights"', "Kerry", "negot*", "Gaza OR Israel", "tariffs"]


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.counts = {}
        self.errors = []

    def add(self, name, error=None):
        with self.lock:
            self.counts[name] = self.counts.get(name, 0) + 1
            if error:
                self.errors.append(f"{name}: {error}")


def opener():
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))


def post(browser, url, data):
    body = urllib.parse.urlencode(data, doseq=True).encode()
    return browser.open(urllib.request.Request(url, data=body, headers={"Referer": url}), timeout=60)


def archivist(url, database, stop, tally, seed):
    rng = random.Random(seed)
    browser = opener()
    page = browser.open(url + "/admin/login/", timeout=30).read().decode()
    post(
        browser,
        url + "/admin/login/?next=/admin/",
        {**form_data(page, "login-form"), "username": "soak", "password": "soak-password-1"},
    )
    while not stop.is_set():
        with sqlite3.connect(database, timeout=30) as db:
            turn_ids = [row[0] for row in db.execute("SELECT id FROM archive_turn ORDER BY random() LIMIT 1")]
            speaker_ids = [
                row[0]
                for row in db.execute("SELECT id FROM archive_speaker WHERE event_id IS NULL ORDER BY random() LIMIT 1")
            ]
        if not turn_ids:
            continue
        change = f"{url}/admin/archive/turn/{turn_ids[0]}/change/"
        try:
            page = browser.open(change, timeout=60).read().decode()
            data = form_data(page, "turn_form")
            data["text"] = data.get("text", "") + f" [soak edit {rng.randrange(10**6)}]"
            if speaker_ids:
                data["speaker"] = str(speaker_ids[0])
            response = post(browser, change, data)
            if "/change/" in response.geturl() and "errornote" in response.read().decode():
                tally.add("edit", "the admin refused the form")
            else:
                tally.add("edit")
        except urllib.error.HTTPError as error:
            # a turn deleted by a concurrent re-ingest is a 302/404, not a failure
            tally.add("edit", None if error.code < 500 else f"HTTP {error.code}")
        except Exception as error:
            tally.add("edit", repr(error))


def reader(url, stop, tally, seed):
    rng = random.Random(seed)
    while not stop.is_set():
        query = " ".join(rng.sample(WORDS, rng.randrange(1, 3)))
        try:
            urllib.request.urlopen(f"{url}/search/?{urllib.parse.urlencode({'q': query})}", timeout=60).read()
            tally.add("search")
        except urllib.error.HTTPError as error:
            tally.add("search", f"HTTP {error.code}" if error.code >= 500 else None)
        except Exception as error:
            tally.add("search", repr(error))


def ingester(env, files, stop, tally):
    rng = random.Random(3)
    with tempfile.TemporaryDirectory(prefix="soak-ingest-") as folder:
        while not stop.is_set():
            for path in Path(folder).iterdir():
                path.unlink()
            for path in rng.sample(files, 8):
                (Path(folder) / path.name).write_bytes(path.read_bytes())
            result = subprocess.run(
                [sys.executable, "manage.py", "ingest", "--force", folder],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
            )
            tally.add("ingest run", None if result.returncode == 0 else result.stderr[-500:])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=ROOT / "transcripts")
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    files = sorted(args.corpus.glob("*/*.txt"))
    served, extra = files[::5][:60], [path for path in files if path not in files[::5][:60]]
    tally = Tally()
    with archive(served, workers=2) as (url, env):
        manage(
            env,
            "shell",
            "-c",
            "from django.contrib.auth.models import User; "
            "User.objects.create_superuser('soak', 's@example.org', 'soak-password-1')",
        )
        database = Path(env["ARCHIVE_DATA_DIR"]) / "archive.sqlite3"
        stop = threading.Event()
        threads = [threading.Thread(target=archivist, args=(url, database, stop, tally, n)) for n in range(2)]
        threads += [threading.Thread(target=reader, args=(url, stop, tally, n)) for n in range(4)]
        threads.append(threading.Thread(target=ingester, args=(env, extra, stop, tally)))
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        time.sleep(args.seconds)
        stop.set()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        time.sleep(3)  # the workers' background drains of the last edits
        check = manage(env, "check_index", check=False)
        queued_before = check.stdout.strip().splitlines()[-1] if check.stdout else check.stderr
        drift_zero = check.returncode == 0
    result = {
        "seconds": round(elapsed, 1),
        "counts": tally.counts,
        "errors": len(tally.errors),
        "check_index": queued_before,
        "drift_zero": drift_zero,
    }
    for error in tally.errors[:10]:
        print(error, file=sys.stderr)
    print(result)
    update_json({"soak": result})
    plural = {"search": "searches", "edit": "admin edits", "ingest run": "ingest runs"}
    counts = ", ".join(f"{count:,} {plural.get(name, name)}" for name, count in sorted(tally.counts.items()))
    write_section(
        "## Soak",
        f"""
`.venv/bin/python bench/soak.py --seconds {args.seconds:g}` ({time.strftime("%Y-%m-%d")}): {elapsed:.0f} s against
gunicorn (2 workers, SQLite + Whoosh) on 127.0.0.1 with an ingest loop (`ingest --force` of 8 other corpus
files per run, a process each), 2 archivists editing turns through the admin forms over HTTP, and 4 readers searching.

- Done: {counts}
- Errors (HTTP 5xx, failed requests, failed ingests): {len(tally.errors)}
- `manage.py check_index` afterwards: {queued_before} ({"0 drift" if drift_zero else "DRIFT"})
""",
    )
    return 0 if drift_zero and not tally.errors else 1


if __name__ == "__main__":
    sys.exit(main())
