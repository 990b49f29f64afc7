"""The search engine through haystack's generic API, for the backends beyond one machine
(Elasticsearch 7, Solr). Nothing here is specific to one engine; archive.search picks the
Whoosh engine instead when the index is Whoosh. The query tree is written out in the Lucene
query syntax both servers read.
"""

import contextlib
import re

from haystack import connections
from haystack.constants import DJANGO_CT, ID
from haystack.inputs import Raw
from haystack.query import SearchQuerySet

from archive.models import Turn
from archive.search import query as q
from archive.search.base import Found, IndexBusy, event_doc_id
from archive.search.filters import FACETS


class HaystackEngine:
    name = "haystack"

    def __init__(self, alias="default"):
        self.alias = alias

    def ensure(self):
        pass

    def backend(self):
        return connections[self.alias].get_backend()

    def queryset(self):
        return SearchQuerySet(using=self.alias).models(Turn)

    def version(self):
        return None  # unknown: results are not cached

    def health(self):
        """Raises when the search server cannot answer; else its number of turn documents."""
        return self.queryset().count()

    def outdated(self):
        return False

    def prepare(self, search_index, obj):
        return (search_index, obj)

    def exclusive(self, timeout):
        # The search server orders concurrent writes itself.
        return contextlib.nullcontext()

    def write(self, documents, delete_ids=(), delete_events=(), timeout=5.0):
        backend = self.backend()
        try:
            for event_pk in delete_events:
                for result in SearchQuerySet(using=self.alias).filter(event=str(event_pk)):
                    backend.remove(result.id)
                backend.remove(event_doc_id(event_pk))
            for doc_id in delete_ids:
                backend.remove(doc_id)
            by_index = {}
            for search_index, obj in documents:
                by_index.setdefault(search_index, []).append(obj)
            for search_index, objects in by_index.items():
                backend.update(search_index, objects)
        except Exception as error:  # a backend down or refusing: keep the work queued
            raise IndexBusy(str(error)) from error
        return None

    def rebuild_mark(self):
        return None  # rebuilds go through haystack's rebuild_index, not archive.search.rebuild

    def is_live(self, written):
        return True

    def rebuild(self, documents, *, mark, swap_timeout):
        raise NotImplementedError("rebuild with haystack's rebuild_index on this engine")

    def retire(self, old):
        pass

    def search(self, query, filters, *, sort, start, count, budget):
        results = self.queryset()
        if query.tree is not None:
            results = results.filter(content=Raw(lucene(query.tree)))
        for field, value in filters.exact():
            results = results.filter(**{f"{field}__exact": value})
        if filters.date_from:
            results = results.filter(date__gte=filters.date_from)
        if filters.date_to:
            results = results.filter(date__lte=filters.date_to)
        for facet in FACETS:
            results = results.facet(facet.field)
        if sort == "newest" or (query.browse and sort == "relevance"):
            results = results.order_by("-date")
        elif sort == "oldest":
            results = results.order_by("date")
        results = results.highlight()
        hits = [(int(result.pk), result) for result in results[start : start + count]]
        counts = results.facet_counts().get("fields", {})
        facets = {facet.field: [(v, n) for v, n in counts.get(facet.field, []) if v] for facet in FACETS}
        return Found(hits, results.count(), facets)

    def snippet(self, query, hit, text):
        return " … ".join(hit.highlighted or [])

    def suggest(self, query):
        return self.queryset().spelling_suggestion(query.text)

    def quote_candidates(self, words, limit, rare_words=10, budget=None):
        """The quote finder's candidates: the turns the backend ranks first for the quotation's
        longest words, OR-ed (haystack's generic API tells no document frequencies)."""
        chosen = sorted(set(words), key=lambda word: (-len(word), word))[:rare_words]
        results = self.queryset().filter(content=Raw(" OR ".join(chosen)))[:limit]
        return [int(result.pk) for result in results]

    def more_like(self, turn_pk, text, top):
        turn = Turn.objects.get(pk=turn_pk)
        return [int(result.pk) for result in self.queryset().more_like_this(turn)[:top]]

    def stored_documents(self):
        return {
            result.id: {
                ID: result.id,
                DJANGO_CT: f"{result.app_label}.{result.model_name}",
                **result.get_stored_fields(),
            }
            for result in SearchQuerySet(using=self.alias).all()
        }


_SPECIAL = re.compile(r'([+\-!(){}\[\]^"~*?:\\/]|&&|\|\|)')


def _escaped(text):
    return _SPECIAL.sub(r"\\\1", text)


def lucene(tree):
    """The query tree in the Lucene query syntax (Elasticsearch's query_string, Solr)."""
    if isinstance(tree, q.Words):
        quoted = re.sub(r'(["\\])', r"\\\1", tree.text)  # inside quotes only " and \ are special
        body = f'"{quoted}"' if re.search(r"\W", tree.text) else _escaped(tree.text)
    elif isinstance(tree, q.Prefix):
        body = f"{_escaped(tree.text)}*"
    elif isinstance(tree, q.Range):
        opening, closing = "[" if tree.include_start else "{", "]" if tree.include_end else "}"
        body = f"{opening}{_escaped(tree.start)} TO {_escaped(tree.end)}{closing}"
    elif isinstance(tree, q.Not):
        return f"(*:* AND NOT {lucene(tree.part)})"
    else:
        joint = " AND " if isinstance(tree, q.All) else " OR "
        return "(" + joint.join(lucene(part) for part in tree.parts) + ")"
    return f"{tree.field}:{body}" if tree.field != q.TEXT else body
