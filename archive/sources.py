"""Reading transcript files and their metadata from disk. Pure Python, no Django.

Owns the questions a file raises before parsing: is it too large, empty, binary, which
encoding, what is its checksum, and which metadata (a sidecar `NAME.json`, or a line of a
JSON-lines index with the schema of the corpus's `INDEX.jsonl`) describes it.
"""

import codecs
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from archive.parser import ParseError

INDEX_NAME = "INDEX.jsonl"


class SourceError(ParseError):
    """A file that cannot be read as a transcript (too large, empty, binary, undecodable)."""


@dataclass(frozen=True)
class SourceFile:
    path: Path
    text: str
    checksum: str
    encoding: str
    warnings: tuple[str, ...] = field(default=())


def _line_of(data, offset):
    return data.count(b"\n", 0, offset) + 1


def decode(data):
    """(text, encoding, warnings): UTF-8 (with or without BOM), UTF-16 with a BOM, else
    Windows-1252 with a warning. Raises SourceError for binary data."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16", ("read as UTF-16 (byte order mark)",)
        except UnicodeDecodeError as error:
            raise SourceError("invalid UTF-16 text", line=_line_of(data, error.start)) from None
    if b"\x00" in data:
        raise SourceError(
            "binary file (contains NUL bytes), not a transcript", line=_line_of(data, data.index(b"\x00"))
        )
    try:
        return data.decode("utf-8-sig"), "utf-8", ()
    except UnicodeDecodeError as error:
        bad_line = _line_of(data, error.start)
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise SourceError(
            "neither UTF-8 nor Windows-1252 text (undecodable byte)", line=_line_of(data, error.start)
        ) from None
    return text, "cp1252", (f"not valid UTF-8 (first bad byte on line {bad_line}); read as Windows-1252",)


def read_source(path, *, max_bytes):
    """Read one transcript file. Raises SourceError with a one-line reason."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as error:
        raise SourceError(f"cannot read: {error.strerror}") from None
    if size > max_bytes:
        raise SourceError(f"file is {size:,} bytes, over the limit of {max_bytes:,} (ARCHIVE_MAX_FILE_BYTES)")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SourceError(f"cannot read: {error.strerror}") from None
    if not data.strip():
        raise SourceError("empty file")
    text, encoding, warnings = decode(data)
    controls = len(re.findall(r"[\x00-\x08\x0e-\x1f\x7f]", text[:20000]))
    if controls > max(8, len(text[:20000]) // 100):
        raise SourceError("binary file (many control characters), not a transcript")
    return SourceFile(path, text, hashlib.sha256(data).hexdigest(), encoding, warnings)


def find_transcripts(paths):
    """Transcript files under the given files and folders (folders: *.txt, recursively), sorted."""
    found = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(
                p for p in sorted(path.rglob("*.txt")) if not any(part.startswith(".") for part in p.parts[-1:])
            )
        else:
            found.append(path)
    seen = set()
    unique = []
    for path in found:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


class MetadataIndex:
    """Metadata per transcript, from JSON-lines indexes and sidecar `NAME.json` files."""

    def __init__(self):
        self.by_path = {}
        self.by_name = {}

    def load(self, index_path):
        """Add every line of a JSON-lines index; each names its transcript in `file`,
        relative to the index's folder. Raises SourceError naming a bad line."""
        index_path = Path(index_path)
        base = index_path.resolve().parent
        try:
            lines = index_path.read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError) as error:
            raise SourceError(f"cannot read metadata index {index_path}: {error}") from None
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
            except json.JSONDecodeError as error:
                raise SourceError(f"{index_path}: invalid JSON ({error.msg})", line=number) from None
            if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
                raise SourceError(f'{index_path}: each line needs a "file" field', line=number)
            self.by_path[(base / entry["file"]).resolve()] = entry
            self.by_name.setdefault(Path(entry["file"]).name, []).append(entry)
        return self

    def for_file(self, path):
        """The metadata of one transcript: its sidecar JSON first, then the indexes."""
        path = Path(path)
        sidecar = path.with_suffix(".json")
        if sidecar.is_file():
            try:
                entry = json.loads(sidecar.read_text(encoding="utf-8-sig"))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
                raise SourceError(f"bad sidecar metadata {sidecar.name}: {error}") from None
            if isinstance(entry, dict):
                return entry
        entry = self.by_path.get(path.resolve())
        if entry is None:
            candidates = self.by_name.get(path.name, [])
            entry = candidates[0] if len(candidates) == 1 else None
        return dict(entry or {})


def source_key(path, metadata):
    """What identifies a document across re-ingests: its URL, or its feed guid, else its file name."""
    return metadata.get("url") or metadata.get("rss_guid") or f"file:{Path(path).name}"
