"""Benchmark: search index build and query latency at archive scale (issues 4 and 13).

    .venv/bin/python bench/search_bench.py [--sizes 10000 100000] [--repeats 5]
    nice .venv/bin/python bench/search_bench.py --sizes 1000000 --repeats 2 --no-reference \
        --data-dir /var/tmp/bench-1m    # the million-turn run, without the reference engines

For each size it builds an archive by replicating the real corpus (transcripts/, a copy of
../shared/corpus) with shifted dates and new titles into a fresh SQLite database (or reuses the
one in --data-dir), then measures side by side:

  build   the project's full build (`archive.search.rebuild`: database read, document
          preparation, Whoosh writing, swap) against raw Whoosh writing the same documents
          (prepared beforehand) into the same schema with the same writer settings; the word-pair
          field alone (its own build: what it adds); and the index's size on disk;
  search  p50/p95 latency of a fixed query mix (rare word, common word, two-word AND, phrase,
          speaker filter, date range), every query with four facets and highlighted snippets
          of the 20 hits shown:
            page          the whole search page (Django test client) with every cache off: the
                          page and results cache is cleared before each request;
            page_cached   the same pages asked again with the cache on (the cached row, apart);
            project       the project's search function (archive.search.search_turns);
            raw_whoosh    Whoosh's own search (search_page with grouped facets and highlights)
                          over an index with haystack's own schema (positions, no word pairs):
                          Whoosh as haystack sets it up;
            fts5          SQLite FTS5 (porter stemming, snippet(), facet counts by GROUP BY) as the
                          embedded floor.
          Kept between requests, as a running server keeps them: open index files, and what the
          engine derives from an index segment once (per-document lengths, facet codes, dates,
          the memo of word stems); no result of any query.

Writes bench/RESULTS.md (the "Search" section) and bench/results.json (key "search").
"""

import argparse
import dataclasses
import datetime as dt
import json
import os
import platform
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from results_file import update_json, write_section

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(data_dir):
    os.environ["ARCHIVE_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "archive.settings"
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("SEARCH_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # pages link hashed static names


def parsed_corpus(corpus):
    from archive.parser import parse_transcript
    from archive.sources import MetadataIndex, read_source

    index = MetadataIndex().load(corpus / "INDEX.jsonl")
    transcripts = []
    for path in sorted(corpus.glob("*/*.txt")):
        source = read_source(path, max_bytes=10**8)
        transcripts.append(parse_transcript(source.text, metadata=index.for_file(path), filename=path.name))
    return transcripts


def build_archive(transcripts, turns_wanted):
    """Replicate the corpus, with dates shifted by whole years, until the archive holds turns_wanted turns."""
    from archive import ingest
    from archive.models import Turn

    copy = 0
    while Turn.objects.count() < turns_wanted:
        for n, transcript in enumerate(transcripts):
            if Turn.objects.count() >= turns_wanted:
                break
            date = transcript.date
            if date:
                try:
                    date = date.replace(year=date.year - copy)
                except ValueError:
                    date = date.replace(year=date.year - copy, day=28)
            year = date.year if date else (transcript.year - copy if transcript.year else None)
            title = transcript.title if copy == 0 else f"{transcript.title} (copy {copy})"
            replica = dataclasses.replace(transcript, date=date, year=year, title=title)
            ingest.ingest_transcript(replica, source_key=f"bench:{copy}:{n}", checksum=f"{copy}:{n}")
        copy += 1
    return Turn.objects.count()


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def summarise(samples):
    ms = [s * 1000 for s in samples]
    return {"p50_ms": round(statistics.median(ms), 1), "p95_ms": round(percentile(ms, 95), 1), "n": len(ms)}


def query_mix(searcher):
    """Fixed queries of six kinds; words chosen from the index deterministically."""
    from archive.models import Speaker

    reader = searcher.reader()
    rng = random.Random(7)
    rare = sorted(
        text
        for text, info in ((t.decode(), i) for t, i in reader.iter_field("spell_text"))
        if text.isalpha() and len(text) > 6
    )
    rare = [word for word in rng.sample(rare, min(400, len(rare))) if 2 <= searcher.doc_frequency("text", word) <= 12][
        :5
    ]
    common = ["people", "president", "united", "security", "think"]
    pairs = ["iran nuclear", "russia sanctions", "climate change", "china taiwan", "ukraine support"]
    phrases = ['"human rights"', '"united states"', '"secretary of state"', '"press briefing"', '"national security"']
    speakers = list(
        Speaker.objects.filter(event__isnull=True, kind="person").order_by("name").values_list("slug", flat=True)
    )
    speaker_queries = [("ukraine", rng.choice(speakers)) for _ in range(5)]
    dates = [("russia", dt.date(2021 - k, 1, 1), dt.date(2022 - k, 6, 30)) for k in range(5)]
    mix = []
    mix += [{"kind": "rare", "q": word} for word in rare]
    mix += [{"kind": "common", "q": word} for word in common]
    mix += [{"kind": "and", "q": pair} for pair in pairs]
    mix += [{"kind": "phrase", "q": phrase} for phrase in phrases]
    mix += [{"kind": "speaker", "q": word, "speaker": slug} for word, slug in speaker_queries]
    mix += [{"kind": "dates", "q": word, "date_from": start, "date_to": end} for word, start, end in dates]
    return mix


def raw_whoosh_search(searcher, parser, item):
    from whoosh import highlight, sorting
    from whoosh import query as wq

    conditions = []
    if item.get("speaker"):
        conditions.append(wq.Term("speaker_slug", item["speaker"]))
    if item.get("date_from"):
        conditions.append(
            wq.DateRange(
                "date",
                dt.datetime.combine(item["date_from"], dt.time.min),
                dt.datetime.combine(item["date_to"], dt.time.max),
            )
        )
    facets = {
        name: sorting.FieldFacet(name, maptype=sorting.Count)
        for name in ("speaker_slug", "year", "event_kind", "place")
    }
    page = searcher.search_page(
        parser.parse(item["q"]),
        1,
        pagelen=20,
        filter=wq.And(conditions) if conditions else None,
        mask=wq.Term("django_ct", "archive.event"),
        groupedby=facets,
    )
    page.results.fragmenter = highlight.ContextFragmenter(maxchars=300, surround=60)
    page.results.formatter = highlight.HtmlFormatter(tagname="mark")
    for name in facets:
        page.results.groups(name)
    return [hit.highlights("text") for hit in page]


def fts5_setup(db_path):
    from django.db import connection

    from archive.models import Turn

    fts = sqlite3.connect(db_path)
    fts.execute("CREATE VIRTUAL TABLE fts USING fts5(text, tokenize='porter unicode61')")
    fts.execute(
        "CREATE TABLE meta (rowid INTEGER PRIMARY KEY, speaker TEXT, year TEXT, kind TEXT, place TEXT, date TEXT)"
    )
    rows = Turn.objects.published().values_list(
        "pk",
        "text",
        "speaker__name",
        "speaker__slug",
        "event__title",
        "event__year",
        "event__kind",
        "event__country",
        "event__date",
    )
    start = time.perf_counter()
    for chunk_start in range(0, rows.count(), 5000):
        chunk = list(rows.order_by("pk")[chunk_start : chunk_start + 5000])
        fts.executemany(
            "INSERT INTO fts(rowid, text) VALUES (?, ?)",
            [(pk, "\n".join(filter(None, (text, name, title)))) for pk, text, name, _, title, *_ in chunk],
        )
        fts.executemany(
            "INSERT INTO meta VALUES (?, ?, ?, ?, ?, ?)",
            [(pk, slug, str(year), kind, country, str(date)) for pk, _, _, slug, _, year, kind, country, date in chunk],
        )
    fts.commit()
    connection.close()
    return fts, time.perf_counter() - start


def fts5_search(fts, item):
    words = item["q"]
    where, params = ["fts MATCH ?"], [words]
    if item.get("speaker"):
        where.append("meta.speaker = ?")
        params.append(item["speaker"])
    if item.get("date_from"):
        where.append("meta.date BETWEEN ? AND ?")
        params += [str(item["date_from"]), str(item["date_to"])]
    clause = " AND ".join(where)
    hits = fts.execute(
        "SELECT fts.rowid, snippet(fts, 0, '<mark>', '</mark>', ' … ', 30) "
        f"FROM fts JOIN meta ON meta.rowid = fts.rowid WHERE {clause} ORDER BY rank LIMIT 20",
        params,
    ).fetchall()
    for column in ("speaker", "year", "kind", "place"):
        fts.execute(
            f"SELECT meta.{column}, count(*) FROM fts JOIN meta ON meta.rowid = fts.rowid WHERE {clause} "
            f"GROUP BY meta.{column} ORDER BY 2 DESC LIMIT 15",
            params,
        ).fetchall()
    return hits


def directory_mb(folder):
    return round(sum(f.stat().st_size for f in Path(folder).rglob("*") if f.is_file()) / 2**20, 1)


def raw_build(schema, documents, options):
    """Seconds for raw Whoosh to write documents into a fresh index of schema, with Whoosh's own
    analysis, pool and codec (none of archive/search/whoosh_writing.py); (seconds, folder)."""
    from whoosh import index as whoosh_index

    from archive.search import whoosh_writing

    options = {key: value for key, value in options.items() if key != "codec"}
    folder = Path(tempfile.mkdtemp(prefix="raw-whoosh-"))
    index = whoosh_index.create_in(str(folder), schema)
    with whoosh_writing.whoosh_alone():
        start = time.perf_counter()
        writer = index.writer(**options)
        for document in documents:
            writer.add_document(**document)
        writer.commit()
        seconds = time.perf_counter() - start
    return seconds, folder


def haystack_schema():
    """The schema haystack's Whoosh backend builds for the documents (positions, no word pairs)."""
    from haystack import connections

    backend = connections["default"].get_backend()
    return backend.build_schema(connections["default"].get_unified_index().all_searchfields())[1]


def filters_of(item):
    from archive.search import SearchFilters

    return SearchFilters(speaker=item.get("speaker", ""), date_from=item.get("date_from"), date_to=item.get("date_to"))


def measure(size, transcripts, repeats, reference=True):
    from django.core.cache import cache
    from django.test import Client
    from whoosh import fields as whoosh_fields
    from whoosh import index as whoosh_index
    from whoosh import qparser

    from archive import search
    from archive.models import Event, IndexTask, Turn
    from archive.search.whoosh_search import BIGRAMS

    turns = Turn.objects.count() if Turn.objects.count() >= size else build_archive(transcripts, size)
    IndexTask.objects.all().delete()
    engine = search.engine()
    engine.ensure()
    figures = {"turns": turns, "events": Event.objects.count()}

    # Build: the project, then raw Whoosh on the same documents.
    start = time.perf_counter()
    search.rebuild()
    figures["build_project_s"] = round(time.perf_counter() - start, 2)
    figures["index_mb"] = directory_mb(engine.live_folder())
    options = engine.build_options()  # the same writer settings as the project
    if reference:
        turn_index, event_index = search._indexes()
        documents = [engine.prepare(event_index, e) for e in event_index.index_queryset()]
        documents += [engine.prepare(turn_index, t) for t in turn_index.index_queryset().iterator(chunk_size=2000)]
        seconds, folder = raw_build(engine.schema(), documents, options)
        figures["build_raw_whoosh_s"] = round(seconds, 2)
        figures["build_vs_raw_whoosh"] = round(figures["build_project_s"] / figures["build_raw_whoosh_s"], 3)
        shutil.rmtree(folder)
        pairs_schema = whoosh_fields.Schema(id=whoosh_fields.ID(stored=True), **{BIGRAMS: engine.schema()[BIGRAMS]})
        pairs = ({"id": d["id"], BIGRAMS: d[BIGRAMS]} for d in documents if BIGRAMS in d)
        seconds, folder = raw_build(pairs_schema, pairs, options)
        figures["build_word_pairs_alone_s"] = round(seconds, 2)
        figures["word_pairs_mb"] = directory_mb(folder)
        shutil.rmtree(folder)
        for document in documents:
            document.pop(BIGRAMS, None)
        seconds, haystack_folder = raw_build(haystack_schema(), documents, options)
        figures["build_haystack_schema_s"] = round(seconds, 2)
        figures["haystack_schema_mb"] = directory_mb(haystack_folder)
        del documents
    if os.environ.get("BENCH_BUILD_ONLY"):
        return figures

    # Queries.
    mix = query_mix(engine.searcher())
    client = Client()

    def page_params(item):
        params = {"q": item["q"]}
        if item.get("speaker"):
            params["speaker"] = item["speaker"]
        if item.get("date_from"):
            params["date_from"] = item["date_from"].isoformat()
            params["date_to"] = item["date_to"].isoformat()
        return params

    def uncached_page(item):
        cache.clear()
        return client.get("/search/", page_params(item))

    runners = {
        "page": uncached_page,
        "page_cached": lambda item: client.get("/search/", page_params(item)),
        "project": lambda item: search.search_turns(item["q"], filters_of(item)),
    }
    if reference:
        raw_searcher = whoosh_index.open_dir(str(haystack_folder)).searcher()
        parser = qparser.QueryParser("text", raw_searcher.schema, group=qparser.AndGroup)
        fts, fts_build = fts5_setup(":memory:")
        figures["build_fts5_s"] = round(fts_build, 2)
        runners["raw_whoosh"] = lambda item: raw_whoosh_search(raw_searcher, parser, item)
        runners["fts5"] = lambda item: fts5_search(fts, item)
    for item in mix:  # warm every path once (open files, caches), as a running server would be
        for run in runners.values():
            run(item)
        assert uncached_page(item).status_code == 200
    samples = {name: [] for name in runners}
    by_kind = {name: {} for name in runners}
    for _ in range(repeats):
        for item in mix:
            for name, run in runners.items():
                start = time.perf_counter()
                run(item)
                elapsed = time.perf_counter() - start
                samples[name].append(elapsed)
                by_kind[name].setdefault(item["kind"], []).append(elapsed)
    figures["latency"] = {name: summarise(values) for name, values in samples.items()}
    figures["latency_by_kind_p95_ms"] = {
        name: {kind: summarise(values)["p95_ms"] for kind, values in kinds.items()} for name, kinds in by_kind.items()
    }
    figures["latency_by_kind_p50_ms"] = {
        name: {kind: summarise(values)["p50_ms"] for kind, values in kinds.items()} for name, kinds in by_kind.items()
    }
    figures["queries"] = [{k: str(v) for k, v in item.items()} for item in mix]
    if reference:
        shutil.rmtree(haystack_folder)
    return figures


def write_results(results):
    sizes = results["sizes"]
    ordered = [f for _, f in sorted(sizes.items(), key=lambda kv: int(kv[0]))]
    small, big = ordered[0], ordered[-1]
    paths = [name for name in ("page", "page_cached", "project", "raw_whoosh", "fts5") if name in big["latency"]]
    key = "search_without_reference" if "fts5" not in big["latency"] else "search"
    summary = {key: results, f"{key}_page_p95_ms_largest": big["latency"]["page"]["p95_ms"]}
    if len(ordered) > 1:
        summary["build_growth"] = round(big["build_project_s"] / small["build_project_s"], 2)
    if key != "search":
        summary = {key: {**results, **{k: v for k, v in summary.items() if k != key}}}
    if "fts5" in big["latency"]:
        summary["page_vs_fts5_p95"] = round(big["latency"]["page"]["p95_ms"] / big["latency"]["fts5"]["p95_ms"], 2)
        summary["build_vs_raw_whoosh"] = big["build_vs_raw_whoosh"]
    data = update_json(summary)

    lines = [
        f"Machine: {results['machine']}. Run: {results['when']}. Command: `{results['command']}`.",
        "",
        "| turns | build: project | raw Whoosh, same fields | ratio (≤ 1.2) | word pairs alone | index | "
        "haystack's schema: build, size | FTS5 build |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for f in ordered:
        lines.append(
            f"| {f['turns']:,} | {f['build_project_s']} s | {f.get('build_raw_whoosh_s', '–')} s "
            f"| {f.get('build_vs_raw_whoosh', '–')} | {f.get('build_word_pairs_alone_s', '–')} s, "
            f"{f.get('word_pairs_mb', '–')} MB | {f['index_mb']} MB "
            f"| {f.get('build_haystack_schema_s', '–')} s, {f.get('haystack_schema_mb', '–')} MB "
            f"| {f.get('build_fts5_s', '–')} s |"
        )
    if "build_growth" in data and len(ordered) > 1:
        lines += ["", f"Build growth, {big['turns']:,} over {small['turns']:,} turns: {summary['build_growth']}× "
                  "(target ≤ 11×)."]
    lines += [
        "",
        "p50 / p95 in ms. `page`: the search page with every cache off; `page_cached`: the same pages from the "
        "results cache.",
        "",
        "| turns | " + " | ".join(paths) + " |",
        "|---|" + "---|" * len(paths),
    ]
    for f in ordered:
        cells = [f"{f['latency'][name]['p50_ms']} / {f['latency'][name]['p95_ms']}" for name in paths]
        lines.append(f"| {f['turns']:,} | " + " | ".join(cells) + " |")
    kinds = list(big["latency_by_kind_p95_ms"]["page"])
    lines += [
        "",
        f"p50 / p95 by query kind (ms) at {big['turns']:,} turns:",
        "",
        "| path | " + " | ".join(kinds) + " |",
        "|---|" + "---|" * len(kinds),
    ]
    for name in paths:
        p50, p95 = big["latency_by_kind_p50_ms"][name], big["latency_by_kind_p95_ms"][name]
        lines.append(f"| {name} | " + " | ".join(f"{p50[kind]} / {p95[kind]}" for kind in kinds) + " |")
    page = big["latency"]["page"]["p95_ms"]
    phrases = big["latency_by_kind_p95_ms"]["page"]["phrase"]
    targets = [f"page p95 {page} ms (≤ 100)", f"phrases p95 {phrases} ms (≤ 200)"]
    if "page_vs_fts5_p95" in summary:
        targets.append(f"page/FTS5 p95 {summary['page_vs_fts5_p95']}× (≤ 1.0)")
        targets.append(f"build/raw Whoosh {big['build_vs_raw_whoosh']}× (≤ 1.2)")
    lines += ["", f"Targets at {big['turns']:,} turns: " + ", ".join(targets) + "."]
    body = "\n".join(lines)
    write_section(results.get("heading", "## Search (`bench/search_bench.py`)"), body)
    print(body)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=ROOT / "transcripts")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-reference", action="store_true", help="leave out raw Whoosh and FTS5 (the 1M run)")
    parser.add_argument("--data-dir", type=Path, help="keep the archive here (and reuse the one there)")
    args = parser.parse_args()
    results = {
        "command": " ".join(["bench/search_bench.py", *sys.argv[1:]]),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.platform()}",
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "sizes": {},
    }
    import subprocess

    if args.no_reference:
        results["heading"] = f"## Search at {max(args.sizes):,} turns (`bench/search_bench.py --no-reference`)"
    for size in args.sizes:
        # One process per size, so that each starts from a fresh database and fresh caches.
        command = [sys.executable, __file__, "--one", str(size), "--corpus", str(args.corpus)]
        command += ["--repeats", str(args.repeats)]
        if args.no_reference:
            command.append("--no-reference")
        if args.data_dir:
            command += ["--data-dir", str(args.data_dir / str(size))]
        out = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True).stdout
        results["sizes"][str(size)] = json.loads(out.strip().splitlines()[-1])
        print(f"{size}: {results['sizes'][str(size)]['latency']}", file=sys.stderr)
    write_results(results)


def one(size, corpus, repeats, reference, data_dir):
    with tempfile.TemporaryDirectory(prefix=f"bench-{size}-") as scratch:
        folder = data_dir or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        setup_django(folder)
        figures = measure(size, parsed_corpus(corpus), repeats, reference=reference)
        print(json.dumps(figures, default=str))


if __name__ == "__main__":
    if "--one" in sys.argv:
        parser = argparse.ArgumentParser()
        parser.add_argument("--one", type=int)
        parser.add_argument("--corpus", type=Path)
        parser.add_argument("--repeats", type=int)
        parser.add_argument("--no-reference", action="store_true")
        parser.add_argument("--data-dir", type=Path)
        arguments = parser.parse_args()
        one(arguments.one, arguments.corpus, arguments.repeats, not arguments.no_reference, arguments.data_dir)
    else:
        main()
