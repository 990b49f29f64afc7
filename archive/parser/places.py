"""Places: the country a name denotes, and `City, Country` lines."""

import functools

import pycountry

from archive.parser.text import fold
from archive.parser.vocabulary import EXTRA_COUNTRIES, US_STATES


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


def country_name(text):
    """The country a place name denotes ("Russia", "Belgium"), or None."""
    folded = fold(text).rstrip(".")
    if folded in EXTRA_COUNTRIES:
        return EXTRA_COUNTRIES[folded]
    country = _countries().get(folded)
    if country is None:
        return None
    return getattr(country, "common_name", None) or country.name


def split_place(line):
    """(city, country) for `Moscow, Russia`, `Washington, D.C.`, `Lima, Peru`; None otherwise."""
    parts = [part.strip() for part in line.split(",")]
    if len(parts) < 2 or not all(parts):
        country = country_name(line)
        return ("", country) if country else None
    tail = parts[-1]
    in_us = fold(tail).rstrip(".") in US_STATES
    country = country_name(tail)
    if country is None and in_us:
        country = "United States"
    if country is None:
        return None
    city = line.strip() if in_us else ", ".join(parts[:-1])
    if len(city.split()) > 6:
        return None
    return city, country
