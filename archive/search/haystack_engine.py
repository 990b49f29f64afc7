"""The search engine through haystack's generic API, for the backends beyond one machine
(Elasticsearch 7, Solr). Nothing here is specific to one engine; archive.search picks the
Whoosh fast path instead when the index is Whoosh.
"""

import contextlib

from haystack import connections
from haystack.constants import DJANGO_CT, ID
from haystack.inputs import Raw
from haystack.query import SearchQuerySet

from archive.models import Turn
from archive.search.base import IndexBusy, event_doc_id


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

    def parse(self, query):
        return query, []

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

    def live_folder(self):
        return None

    def search(self, query_string, *, filters, sort, page, per_page, facet_fields, date_from=None, date_to=None):
        results = self.queryset()
        if query_string:
            results = results.filter(content=Raw(query_string))
        for field, value in filters:
            results = results.filter(**{f"{field}__exact": value})
        if date_from:
            results = results.filter(date__gte=date_from)
        if date_to:
            results = results.filter(date__lte=date_to)
        for field in facet_fields:
            results = results.facet(field)
        if sort == "newest":
            results = results.order_by("-date")
        elif sort == "oldest":
            results = results.order_by("date")
        results = results.highlight()
        start = (page - 1) * per_page
        hits = [(int(result.pk), result) for result in results[start : start + per_page]]
        counts = results.facet_counts().get("fields", {})
        facets = {field: [(value, count) for value, count in counts.get(field, []) if value] for field in facet_fields}
        return hits, results.count(), facets

    def highlight(self, hit, text, top=3):
        return " … ".join(hit.highlighted or [])

    def suggest(self, query, query_string):
        return self.queryset().spelling_suggestion(query_string)

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
