"""Helpers shared by the tests and the benchmarks in bench/: where the corpus and the reference
transcript are, damaged transcripts, hostile queries, rendered forms, throwaway gunicorn
servers, a browser and the third-party checkers (checkers.py). Plain modules, no fixtures:
conftest.py holds the fixtures, and nothing imports it."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The real transcripts the archive ships with (the shared corpus, copied into the repository).
CORPUS_DIR = Path(os.environ.get("ARCHIVE_CORPUS_DIR", ROOT / "transcripts"))
# The reference transcript the archive was designed from (Kerry and Lavrov, Moscow, 2013).
REFERENCE = ROOT / "transcripts" / "us-state-dept-2013" / (
    "2013-05-07-remarks-with-russian-foreign-minister-sergey-lavrov.txt"
)

# Words of the reference transcript as a reader might paste them into the quote finder (changed a little).
REFERENCE_QUOTE = (
    "encouraging the stated intentions of the Syrian government and opposition groups to find a political solution"
)


def read_corpus_file(corpus_dir, relative):
    return (corpus_dir / relative).read_text(encoding="utf-8-sig")


def corpus_files(corpus_dir=CORPUS_DIR):
    """Every transcript of the corpus, in a stable order."""
    return sorted(corpus_dir.glob("*/*.txt"))
