"""What every search engine offers archive.search (the `SearchEngine` protocol), and what the
engines share: document ids, the busy-index error, and what one search found."""

from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol

from archive.search.budget import Budget
from archive.search.filters import SearchFilters
from archive.search.query import Query

TURN_CT = "archive.turn"
EVENT_CT = "archive.event"


class IndexBusy(Exception):
    """The index cannot take writes right now (another writer holds it, or the engine is down);
    the work stays queued and is retried."""


def turn_doc_id(pk):
    return f"{TURN_CT}.{pk}"


def event_doc_id(pk):
    return f"{EVENT_CT}.{pk}"


@dataclass
class Found:
    """One page of what a search found."""

    hits: list  # (turn pk, the engine's own hit object, passed back to snippet())
    total: int
    facets: dict  # index field -> [(value, count)], most first
    messages: list = field(default_factory=list)
    partial: bool = False  # the time budget ran out: hits and counts cover part of the archive


class SearchEngine(Protocol):
    """A search engine behind archive.search. Two implement it: WhooshEngine (embedded, the
    default) and HaystackEngine (any other haystack backend: Elasticsearch, Solr).

    Trends count a query's matches per year from the year facet every search makes (per month:
    the hits of one year, grouped in the database). Month counts in the engine would be one more
    tally beside the facets (Whoosh: codes made from each segment's dates; Elasticsearch: a
    date_histogram aggregation)."""

    name: str

    # --- reading ------------------------------------------------------------------------

    def ensure(self) -> None:
        """Make the index usable (create an empty one on first use)."""

    def version(self) -> str | None:
        """Changes whenever the index does; None when the engine cannot tell (nothing is cached)."""

    def health(self) -> int:
        """The number of documents; raises when the index cannot be searched."""

    def search(
        self, query: Query, filters: SearchFilters, *, sort: str, start: int, count: int, budget: Budget
    ) -> Found:
        """Turns matching query and filters: hits start..start+count in sort order ("relevance",
        "newest", "oldest"), the total, and counts of each facet field over all matches. Stops
        at the budget's deadline with what it found (Found.partial)."""

    def snippet(self, query: Query, hit: Any, text: str) -> str:
        """HTML: the passages of text (a turn's words) where the query's words and phrases stand,
        marked; the text itself escaped."""

    def suggest(self, query: Query) -> str | None:
        """The query with unknown words replaced by known ones, or None."""

    def quote_candidates(
        self, words: list[str], limit: int, rare_words: int = 10, budget: int | None = None
    ) -> list[int]:
        """Turns most likely to hold a quotation of these words, given in its order (those holding
        most of its rarest words, best first), for the alignment in archive.quotes; budget: the
        most postings to read."""

    def more_like(self, turn_pk: int, text: str, top: int) -> list[int]:
        """Turns like this one, most alike first."""

    def stored_documents(self) -> dict[str, dict]:
        """{document id: stored fields} of every document, for check()."""

    def outdated(self) -> bool:
        """The index was built by an older version of this engine and should be rebuilt."""

    # --- writing ------------------------------------------------------------------------

    def prepare(self, search_index: Any, obj: Any) -> Any:
        """The document to write for a model instance."""

    def exclusive(self, timeout: float) -> AbstractContextManager:
        """Held from reading the queue to committing, one drain at a time (IndexBusy after timeout)."""

    def write(self, documents: list, delete_ids: Iterable = (), delete_events: Iterable = (), timeout: float = 5.0):
        """Apply one batch and commit; returns a token for is_live(). IndexBusy when busy."""

    def rebuild_mark(self) -> int | None:
        """The last queued task a running full rebuild read, or None when none runs."""

    def is_live(self, written: Any) -> bool:
        """Whether what write() returned went to the index that is live now."""

    def rebuild(self, documents: Iterable, *, mark: int, swap_timeout: float) -> Any:
        """Write documents into a fresh index beside the live one, recording mark meanwhile, and
        make it live; returns the retired index, for retire()."""

    def retire(self, old: Any) -> None:
        """Remove an index that rebuild() replaced."""
