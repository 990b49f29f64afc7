"""The query language of the search box, read into a small tree that each engine compiles.

Pure Python (no Django, no engine). What readers type:

- words, all required; words joined by a hyphen or an apostrophe (`Jean-Pierre`, `al-Qaida`)
  stand together, as a phrase does; `"exact phrase"`;
- `OR` between words (it binds tighter than the implied AND: `Iran OR Iraq nuclear` is
  `(Iran OR Iraq) AND nuclear`), `NOT word` or `-word`, `AND`, parentheses; operators count
  only in capitals, so "and", "or" and "not" are ordinary words;
- `prefix*` (at least MIN_PREFIX letters), `[from TO to]` and `{from TO to}` ranges;
- `speaker:`, `year:`, `place:` and `kind:` before a word, phrase, prefix, range or group.

Control characters are taken out (not the query with them), the query is cut at the longest
length allowed, and anything that cannot be read as syntax is read as words. Each repair
adds a message for the reader.
"""

import re
from dataclasses import dataclass, field

MIN_PREFIX = 3
FIELDS = {"speaker": "speaker", "year": "year", "place": "place", "kind": "kind"}
TEXT = "text"

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_RANGE = re.compile(r"([\[{])\s*([^\s\[\]{}()\"]+)\s+TO\s+([^\s\[\]{}()\"]+)\s*([\]}])")
_BOOST_OR_FUZZ = re.compile(r"[~^][\d.]*$")
_FIELD = re.compile(r"([A-Za-z_]+):")


@dataclass(frozen=True)
class Words:
    """One word, or words that must stand together in this order (a quoted phrase, or words
    joined by hyphens or apostrophes): the engine's analyzer splits them as it splits the text."""

    text: str
    field: str = TEXT


@dataclass(frozen=True)
class Prefix:
    text: str
    field: str = TEXT


@dataclass(frozen=True)
class Range:
    start: str
    end: str
    include_start: bool = True
    include_end: bool = True
    field: str = TEXT


@dataclass(frozen=True)
class All:
    parts: tuple


@dataclass(frozen=True)
class Any:
    parts: tuple


@dataclass(frozen=True)
class Not:
    part: object


@dataclass(frozen=True)
class Query:
    """A query as read: `text` is what is searched (cleaned), `tree` None means every turn."""

    text: str
    tree: object = None
    messages: tuple = field(default=())

    @property
    def browse(self):
        return not self.text


def parse(text, max_length=2000):
    """Read what a reader typed into a Query; never raises."""
    messages = []
    text = text or ""
    if _CONTROL.search(text):
        messages.append("Control characters in the query were taken out.")
    text = " ".join(_CONTROL.sub(" ", text).split())
    if len(text) > max_length:
        messages.append(
            f"Your query has {len(text):,} characters; only its first {max_length:,} were searched."
        )
        cut = text[:max_length]
        text = cut.rsplit(" ", 1)[0] if " " in cut and not text[max_length].isspace() else cut
        text = text.rstrip()
    if text.count('"') % 2:
        last = text.rfind('"')
        text = " ".join((text[:last] + " " + text[last + 1 :]).split())
        messages.append("An unmatched quotation mark was ignored.")
    if not text:
        return Query("", None, tuple(messages))
    tokens = _tokens(text, messages)
    tree = _Parser(tokens, messages).parse()
    return Query(text, tree, tuple(dict.fromkeys(messages)))


# --- tokens ---------------------------------------------------------------------------------

# kinds: "(" ")" "AND" "OR" "NOT" "+" "field" "words" "phrase" "prefix" "range"


def _tokens(text, messages):
    tokens = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char.isspace():
            i += 1
        elif char in "()":
            tokens.append((char, char))
            i += 1
        elif char == '"':
            end = text.index('"', i + 1)
            tokens.append(("phrase", text[i + 1 : end]))
            i = end + 1
        elif char in "[{" and (match := _RANGE.match(text, i)):
            opening, start, end, closing = match.groups()
            tokens.append(("range", (start, end, opening == "[", closing == "]")))
            i = match.end()
        elif char in "-+!" and i + 1 < n and not text[i + 1].isspace():
            tokens.append(("NOT" if char in "-!" else "+", char))
            i += 1
        elif (match := _FIELD.match(text, i)) and match.group(1).lower() in FIELDS:
            tokens.append(("field", FIELDS[match.group(1).lower()]))
            i = match.end()
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in '()"':
                j += 1
            _word_token(text[i:j], tokens, messages)
            i = j
    return tokens


def _word_token(word, tokens, messages):
    operator = {"AND": "AND", "&&": "AND", "OR": "OR", "||": "OR", "NOT": "NOT"}.get(word)
    if operator:
        tokens.append((operator, word))
        return
    word = _BOOST_OR_FUZZ.sub("", word)
    if word.endswith("*") and word.strip("*"):
        stem = word.strip("*")
        if len(stem) >= MIN_PREFIX and not re.search(r"\W", stem):
            tokens.append(("prefix", stem))
            return
        messages.append(
            f"“{word}”: a word ending in * needs at least {MIN_PREFIX} letters before the *; "
            f"it was searched as the word “{stem}”."
        )
        word = stem
    if word:
        tokens.append(("words", word))


# --- grammar --------------------------------------------------------------------------------


class _Parser:
    """and := or (['AND'] or)* ; or := unary ('OR' unary)* ; unary := ('NOT'|'-') unary | '+' unary
    | atom ; atom := '(' and ')' | field ':' atom | words | phrase | prefix | range."""

    def __init__(self, tokens, messages):
        self.tokens = tokens
        self.at = 0
        self.messages = messages
        self.depth = 0

    def peek(self):
        return self.tokens[self.at][0] if self.at < len(self.tokens) else None

    def take(self):
        token = self.tokens[self.at]
        self.at += 1
        return token

    def parse(self):
        tree = self.all_of()
        while self.at < len(self.tokens):  # a stray ")" ends all_of early: read on past it
            self.take()
            self.messages.append("A closing bracket without an opening one was ignored.")
            rest = self.all_of()
            tree = _join(All, [tree, rest])
        return tree

    def all_of(self):
        parts = []
        while self.peek() not in (None, ")"):
            if self.peek() == "AND":
                self.take()
                continue
            node = self.any_of()
            if node is not None:
                parts.append(node)
        return _join(All, parts)

    def any_of(self):
        parts = [self.unary()]
        while self.peek() == "OR":
            self.take()
            parts.append(self.unary())
        return _join(Any, parts)

    def unary(self):
        kind = self.peek()
        if kind == "NOT":
            self.take()
            part = self.unary()
            if isinstance(part, Not):
                return part.part  # "--Iran", "NOT -Iran"
            return Not(part) if part is not None else None
        if kind == "+":
            self.take()
            return self.unary()
        return self.atom(TEXT)

    def atom(self, field_name):
        kind = self.peek()
        if kind is None or kind == ")":
            return None
        kind, value = self.take()
        if kind == "(":
            self.depth += 1
            node = self.all_of() if field_name == TEXT else self._fielded_group(field_name)
            if self.peek() == ")":
                self.take()
            self.depth -= 1
            return node
        if kind == "field":
            if self.peek() in (None, ")", "AND", "OR"):
                return None
            return self.atom(value)
        if kind in ("words", "phrase"):
            return Words(value, field_name) if value.strip() else None
        if kind == "prefix":
            return Prefix(value, field_name)
        if kind == "range":
            start, end, include_start, include_end = value
            return Range(start, end, include_start, include_end, field_name)
        return None  # an operator where a word should stand: "OR OR", a lone "AND"

    def _fielded_group(self, field_name):
        parts = []
        while self.peek() not in (None, ")"):
            kind = self.peek()
            if kind in ("AND", "OR", "NOT", "+", "field", "("):
                self.take()
                continue
            node = self.atom(field_name)
            if node is not None:
                parts.append(node)
        return _join(All, parts)


def _join(kind, parts):
    parts = [part for part in parts if part is not None]
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    flat = []
    for part in parts:
        flat.extend(part.parts if isinstance(part, kind) else [part])
    flat = list(dict.fromkeys(flat))  # "Iran Iran" is "Iran"
    return kind(tuple(flat)) if len(flat) > 1 else flat[0]


def describe(tree):
    """The tree in the query syntax, with explicit brackets (for messages and tests)."""
    if tree is None:
        return ""
    if isinstance(tree, Words):
        body = f'"{tree.text}"' if " " in tree.text else tree.text
    elif isinstance(tree, Prefix):
        body = f"{tree.text}*"
    elif isinstance(tree, Range):
        body = f"{'[' if tree.include_start else '{'}{tree.start} TO {tree.end}{']' if tree.include_end else '}'}"
    elif isinstance(tree, Not):
        return f"NOT {describe(tree.part)}"
    else:
        joint = " AND " if isinstance(tree, All) else " OR "
        return "(" + joint.join(describe(part) for part in tree.parts) + ")"
    return f"{tree.field}:{body}" if tree.field != TEXT else body
