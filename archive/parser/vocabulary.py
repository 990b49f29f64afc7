"""The parser's vocabulary, read once from `vocabulary.toml` beside this module.

Data, not code: word lists and the small pattern tables (press-office boilerplate, kinds of
event by title) that the stages share. The stages import the names below.
"""

import re
import tomllib
from pathlib import Path

with open(Path(__file__).with_name("vocabulary.toml"), "rb") as _file:
    _DATA = tomllib.load(_file)

_names, _labels, _places, _sources, _kinds = (
    _DATA[part] for part in ("names", "labels", "places", "sources", "kinds")
)

ROLE_WORDS = frozenset(_names["role_words"])
QUALIFIER_ROLE_WORDS = frozenset(_names["qualifier_role_words"])
HONORIFICS = frozenset(_names["honorifics"])
ORG_WORDS = frozenset(_names["org_words"])
NAME_PARTICLES = frozenset(_names["name_particles"])
TITLE_STOPWORDS = frozenset(_names["title_stopwords"])
VENUE_WORDS = frozenset(_names["venue_words"])
CONTINUING_WORDS = frozenset(_names["continuing_words"])

JOURNALIST_LABELS = frozenset(_labels["journalist_labels"])
MODERATOR_LABELS = frozenset(_labels["moderator_labels"])
AUDIENCE_LABELS = frozenset(_labels["audience_labels"])
JOURNALIST_WORDS = frozenset(_labels["journalist_words"])
MODERATOR_WORDS = frozenset(_labels["moderator_words"])
AUDIENCE_WORDS = frozenset(_labels["audience_words"])
EVENT_ROLE_WORDS = frozenset(_labels["event_role_words"])
NOT_SPEAKER_LABELS = frozenset(_labels["not_speaker_labels"])

EXTRA_COUNTRIES = dict(_places["countries"])
US_STATES = frozenset(_places["us"]["states"])
COMMON_COUNTRY_NAMES = dict(_places["common_names"])
NO_COUNTRY_CITIES = frozenset(_places["gazetteer"]["no_country"])
CITY_DOMINANCE = _places["gazetteer"]["dominance"]
WASHINGTON_VENUES = tuple(_places["venues"]["washington"])
VENUE_WORDS_OF_PLACES = frozenset(_places["venues"]["words"])
NOT_VENUES = [re.compile(pattern, re.I) for pattern in _places["venues"]["not_venues"]]

COLLECTIONS_BY_DOMAIN = dict(_sources["collections_by_domain"])
COLLECTIONS_BY_SOURCE = dict(_sources["collections_by_source"])
ISSUER_LINES = [(re.compile(row["pattern"], re.I), row["collection"]) for row in _sources["issuer_lines"]]

KIND_BY_CATEGORY = dict(_kinds["by_category"])
KIND_BY_TITLE = [(re.compile(row["pattern"], re.I), row["kind"]) for row in _kinds["by_title"]]

MONTHS = {name: number for number, names in enumerate(_DATA["dates"]["months"], start=1) for name in names}

PHATIC_WORDS = frozenset(_DATA["dialogue"]["phatic"])
CALL_ON_WORDS = frozenset(_DATA["dialogue"]["call_on"])
CALL_ON_MARKERS = frozenset(_DATA["dialogue"]["call_on_markers"])
LINE_CHECK_WORDS = frozenset(_DATA["dialogue"]["line_check"])
NOT_NAMES = frozenset(_DATA["dialogue"]["not_names"])
OUTLETS = frozenset(_DATA["dialogue"]["outlets"])
OUTLET_WORDS = frozenset(_DATA["dialogue"]["outlet_words"])
