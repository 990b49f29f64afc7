"""Benchmark: ranking quality on a judged set of queries (issue 13).

    .venv/bin/python bench/ranking.py [--data-dir DIR] [--unjudged] [--short-words 0 20 30 40]

Ingests transcripts/ (the shipped corpus) into a fresh archive (or reuses the one in --data-dir),
then for each query of bench/ranking_judgments.json ranks the turns with Whoosh's BM25F as it
is (short_words 0: the ranking before) and with the project's ranking (the length prior of
archive.search.whoosh_search at ARCHIVE_SEARCH_SHORT_TURN_WORDS), and reports nDCG@10 against
the judgments.

The judgments were made by reading each turn ranked in the top 10 by any ranking compared:
2 = the turn says something about the query's subject (explains, states a position, gives
facts); 1 = it bears on it in part (a specific question about it, a substantive turn on a
neighbouring matter that touches it); 0 = it only names the words, or is about something else.
A turn is named by its transcript file and its number in it (`FILE#SEQUENCE`). --unjudged lists
the top-10 turns not judged yet, with their text, for judging.

Writes the "Ranking" section of bench/RESULTS.md and the key "ranking" of bench/results.json.
"""

import argparse
import html
import json
import math
import os
import re
import statistics
import sys
import tempfile
from pathlib import Path

from results_file import update_json, write_section

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
JUDGMENTS = Path(__file__).resolve().parent / "ranking_judgments.json"
TOP = 10


def setup(data_dir, corpus):
    os.environ["ARCHIVE_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "archive.settings"
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("SEARCH_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    from archive.models import Turn

    call_command("migrate", verbosity=0)
    if not Turn.objects.exists():
        call_command("ingest", str(corpus), verbosity=0)


def key(turn):
    return f"{turn.event.source_file}#{turn.sequence}"


def ranked(query, short_words):
    """The top turns for query, with their snippets."""
    from django.test import override_settings

    from archive import search

    with override_settings(ARCHIVE_SEARCH_SHORT_TURN_WORDS=short_words):
        return [(hit.turn, str(hit.snippet)) for hit in search.search_turns(query).hits[:TOP]]


def shown(turn, snippet):
    """A turn to judge: who, what kind, how long, its beginning and the passages that match."""
    marked = re.sub(r"</?mark>", "|", html.unescape(snippet))
    words = len(turn.text.split())
    text = " ".join(f"{turn.text[:240]}  …  {marked[:500]}".split())
    return f"{turn.speaker or turn.label} ({turn.kind}, {words} words): {text}"


def ndcg(keys, grades):
    gains = [2 ** grades.get(k, 0) - 1 for k in keys]
    dcg = sum(gain / math.log2(rank + 2) for rank, gain in enumerate(gains))
    ideal = sorted((2**grade - 1 for grade in grades.values()), reverse=True)[:TOP]
    best = sum(gain / math.log2(rank + 2) for rank, gain in enumerate(ideal))
    return dcg / best if best else 0.0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=ROOT / "transcripts")
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--unjudged", action="store_true", help="print the top turns not judged yet")
    parser.add_argument("--short-words", type=int, nargs="*", default=[], help="other length priors to compare")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-ranking-") as scratch:
        data_dir = args.data_dir or Path(scratch)
        data_dir.mkdir(parents=True, exist_ok=True)
        setup(data_dir, args.corpus)
        from django.conf import settings

        judged = json.loads(JUDGMENTS.read_text(encoding="utf-8"))["queries"]
        chosen = settings.ARCHIVE_SEARCH_SHORT_TURN_WORDS
        variants = {"before (BM25F)": 0, f"project (short turns < {chosen} words)": chosen}
        variants |= {f"short turns < {n} words": n for n in args.short_words if n not in variants.values()}
        scores = {name: [] for name in variants}
        questions = {name: 0 for name in variants}
        listed_count = {name: 0 for name in variants}
        missing, listed = 0, set()
        for entry in judged:
            grades = entry["judged"]
            for name, short_words in variants.items():
                hits = ranked(entry["query"], short_words)
                keys = [key(turn) for turn, _ in hits]
                scores[name].append(ndcg(keys, grades))
                questions[name] += sum(turn.kind == "question" for turn, _ in hits)
                listed_count[name] += len(hits)
                for (turn, snippet), k in zip(hits, keys, strict=True):
                    if k not in grades:
                        missing += 1
                        if args.unjudged and (entry["query"], k) not in listed:
                            listed.add((entry["query"], k))
                            print(f"{entry['query']} | {k} | {shown(turn, snippet)}")
        means = {name: round(statistics.mean(values), 4) for name, values in scores.items()}
        question_share = {name: round(questions[name] / max(1, listed_count[name]), 3) for name in variants}
        results = {
            "queries": len(judged),
            "judgments": sum(len(entry["judged"]) for entry in judged),
            "unjudged_in_top10": missing,
            "ndcg_at_10": means,
            "questions_in_top10": question_share,
            "per_query": {
                entry["query"]: {name: round(scores[name][i], 3) for name in variants}
                for i, entry in enumerate(judged)
            },
        }
        if args.unjudged:
            print(json.dumps({name: [means[name], question_share[name]] for name in variants}, indent=1))
            return
        update_json({"ranking": results})
        lines = [
            f"{results['queries']} queries, {results['judgments']} judged turns ({missing} of the top-10 "
            "turns unjudged, counted as 0). Judgments in `bench/ranking_judgments.json`.",
            "",
            "| ranking | mean nDCG@10 | questions among the top 10 |",
            "|---|---|---|",
        ]
        lines += [f"| {name} | {value} | {question_share[name]:.0%} |" for name, value in means.items()]
        lines += ["", "| query | " + " | ".join(variants) + " |", "|---|" + "---|" * len(variants)]
        for query, row in results["per_query"].items():
            lines.append(f"| {query} | " + " | ".join(str(value) for value in row.values()) + " |")
        write_section("## Ranking (`bench/ranking.py`)", "\n".join(lines))
        print("\n".join(lines))


if __name__ == "__main__":
    main()
