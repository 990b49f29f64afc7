"""Candidate turns for a pasted quotation: the search engine's side of `archive.quotes`.

A remembered quotation keeps most of its rarer words, and of the pairs its words make side by
side, even when some are dropped or changed, so the candidates are the turns holding the most of
the quotation's rarest words and pairs (rarest by the index's own document frequencies); each
engine finds them its own way (`quote_candidates`).
`archive.quotes` then aligns the quotation with each candidate.
"""

from archive.search import engine

CANDIDATES = 60


def candidates(words, limit=CANDIDATES, budget=None):
    """Primary keys of the turns most likely to hold a quotation of these (lower-case) words, in
    the quotation's order, best first; budget: the most postings the engine may read (its default
    when None)."""
    current = engine()
    current.ensure()
    options = {"budget": budget} if budget else {}
    return current.quote_candidates(list(words), limit, **options)
