"""Benchmark: parse speed and a full ingest of the shared corpus (issue 3's figures).

    .venv/bin/python bench/ingest_corpus.py [--corpus transcripts] [--rounds 5]

Measures, and writes to bench/results.json (key "ingest") and prints as Markdown:
  - parse speed in MB/s (parse_transcript with its word check, files already in memory;
    the best of --rounds rounds),
  - wall time and peak memory (max RSS) of `manage.py ingest CORPUS` into an empty data dir
    (with the people registry of fixtures/registry/ loaded first, as bin/serve does),
  - files ingested and failed, turns per layout (corpus folder), share of turns resolved
    to a named or role-only speaker.
"""

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from results_file import update_json, write_section

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_speed(corpus, rounds):
    from archive.parser import parse_transcript

    index = {}
    for line in (corpus / "INDEX.jsonl").read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        index[entry["file"]] = entry
    files = []
    for path in sorted(corpus.glob("*/*.txt")):
        relative = str(path.relative_to(corpus))
        files.append((relative, path.read_bytes().decode("utf-8-sig"), index.get(relative)))
    size = sum((corpus / relative).stat().st_size for relative, _, _ in files)
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for relative, text, metadata in files:
            parse_transcript(text, metadata=metadata, filename=relative)
        best = min(best, time.perf_counter() - start)
    return {
        "files": len(files),
        "megabytes": round(size / 1e6, 2),
        "seconds": round(best, 3),
        "mb_per_s": round(size / 1e6 / best, 2),
    }


def full_ingest(corpus):
    with tempfile.TemporaryDirectory(prefix="archive-bench-") as data_dir:
        env = {**os.environ, "ARCHIVE_DATA_DIR": data_dir, "DJANGO_SETTINGS_MODULE": "archive.settings"}
        env.pop("DATABASE_URL", None)
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
        # as bin/serve does: the people registry first, so that labels resolve through it
        subprocess.run([*manage, "load_registry", "-v0"], env=env, check=True, capture_output=True)
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        start = time.perf_counter()
        result = subprocess.run([*manage, "ingest", str(corpus)], env=env, capture_output=True, text=True)
        wall = time.perf_counter() - start
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        summary = next((line for line in result.stdout.splitlines() if " new, " in line), result.stderr[-500:])
        stats = subprocess.run(
            [*manage, "shell", "-v0", "-c", STATS_SCRIPT], env=env, capture_output=True, text=True, check=True
        ).stdout
    return {
        "exit_code": result.returncode,
        "summary": summary,
        "wall_s": round(wall, 2),
        "peak_rss_mb": round(max(peak_kb, before) / 1024, 1),
        **json.loads(stats),
    }


STATS_SCRIPT = """
import json
from collections import Counter
from archive.models import Turn, Event
layouts = Counter()
resolved = Counter()
by_event = dict(Event.objects.values_list("pk", "collection"))
turns = Turn.objects.values_list("event_id", "speaker_id")
for event_id, speaker_id in turns:
    layouts[by_event[event_id] or "(none)"] += 1
    resolved[by_event[event_id] or "(none)"] += speaker_id is not None
total = sum(layouts.values())
print(json.dumps({
    "events": Event.objects.count(),
    "undated_events": Event.objects.filter(date__isnull=True, year__isnull=True).count(),
    "turns": total,
    "turns_per_collection": dict(layouts),
    "resolved_share": round(sum(resolved.values()) / total, 4) if total else 0,
    "resolved_share_per_collection": {k: round(resolved[k] / v, 4) for k, v in layouts.items()},
    "unresolved_labels": Turn.objects.unresolved().count(),
}))
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=ROOT / "transcripts")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    figures = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "parse": parse_speed(args.corpus, args.rounds),
        "ingest": full_ingest(args.corpus),
    }
    update_json({"ingest": figures})
    parse, ingest = figures["parse"], figures["ingest"]
    speed = f"{parse['mb_per_s']} MB/s ({parse['megabytes']} MB in {parse['seconds']} s)"
    body = f"""
Machine: {figures["machine"]}. Run: {figures["when"]}.

| figure | value | goal |
|---|---|---|
| parse speed (best of {args.rounds}) | {speed} | ≥ 5 MB/s |
| ingest wall time, indexing included | {ingest["wall_s"]} s | ≤ 30 s |
| ingest peak memory (max RSS) | {ingest["peak_rss_mb"]} MB | ≤ 400 MB |
| result | {ingest["summary"]} | 0 failed |
| turns | {ingest["turns"]:,} | |
| turns per collection | {ingest["turns_per_collection"]} | |
| turns resolved to a named or role-only speaker | {ingest["resolved_share"]:.2%} | |
| resolved, per collection | {ingest["resolved_share_per_collection"]} | |
| turns with an unresolved label / undated events | {ingest["unresolved_labels"]} / {ingest["undated_events"]} | |
"""
    write_section("## Ingest (`bench/ingest_corpus.py`)", body)
    print(body)


if __name__ == "__main__":
    main()
