"""Damaged versions of real transcripts, for the reliability tests and bench/fuzz_ingest.py:
random cuts, other encodings, control characters, huge lines, shuffled and repeated parts."""

import re

from archive.parser import words

CONTROL = ["\x00", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\u200b", "\u2028", "\u2029", "\ufeff", "\ufffd"]


def _cut_end(data, rng):
    return data[: rng.randrange(len(data) + 1)]  # may split a UTF-8 sequence


def _cut_middle(data, rng):
    start = rng.randrange(len(data) + 1)
    return data[:start] + data[start + rng.randrange(1, 4000) :]


def _reencode(data, rng):
    text = data.decode("utf-8", errors="replace")
    encoding = rng.choice(["utf-16", "utf-8-sig", "cp1252", "latin-1", "utf-16-le"])
    return text.encode(encoding, errors="replace")


def _control_characters(data, rng):
    text = data.decode("utf-8", errors="replace")
    for _ in range(rng.randrange(1, 30)):
        at = rng.randrange(len(text) + 1)
        text = text[:at] + rng.choice(CONTROL) * rng.randrange(1, 4) + text[at:]
    return text.encode("utf-8")


def _one_huge_line(data, rng):
    return re.sub(rb"\r?\n", b" ", data)


def _insert_huge_line(data, rng):
    lines = data.split(b"\n")
    at = rng.randrange(len(lines) + 1)
    huge = b" ".join([rng.choice(lines) or b"word"] * rng.randrange(200, 3000))[:400_000]
    return b"\n".join(lines[:at] + [huge] + lines[at:])


def _shuffle_paragraphs(data, rng):
    paragraphs = data.split(b"\n\n")
    rng.shuffle(paragraphs)
    return b"\n\n".join(paragraphs)


def _repeat_part(data, rng):
    start = rng.randrange(len(data) + 1)
    part = data[start : start + rng.randrange(1, 5000)]
    return data[:start] + part * rng.randrange(2, 5) + data[start:]


def _random_bytes(data, rng):
    at = rng.randrange(len(data) + 1)
    return data[:at] + rng.randbytes(rng.randrange(1, 200)) + data[at:]


def _line_endings(data, rng):
    return data.replace(b"\n", rng.choice([b"\r\n", b"\r", b"\n\n", b"\n \n"]))


def _empty(data, rng):
    return rng.choice([b"", b"\n\n", b"   ", b"\xef\xbb\xbf"])


MUTATIONS = [
    _cut_end,
    _cut_middle,
    _reencode,
    _control_characters,
    _one_huge_line,
    _insert_huge_line,
    _shuffle_paragraphs,
    _repeat_part,
    _random_bytes,
    _line_endings,
    _empty,
]


def mutate(data, rng):
    """data (a transcript's bytes) damaged by one to three random mutations."""
    for mutation in rng.sample(MUTATIONS, rng.randrange(1, 4)):
        data = mutation(data, rng)
        if not data:
            break
    return data


def stored_words(event):
    """Every word the archive holds for an event, in order: header, labels and turns, trailer."""
    parts = [event.header_text]
    for turn in event.turns.order_by("sequence"):
        parts += [turn.label, turn.text]
    parts.append(event.trailer_text)
    return words("\n".join(parts))


def source_words(text):
    return words(re.sub(r"[\x00-\x08\x0b\x0e-\x1f\x7f]", " ", text.lstrip("\ufeff")))
