"""Hostile search input: for the reliability tests and bench/hostile_queries.py."""


HOSTILE = [
    "<script>alert(1)</script>",
    '"onerror=alert(1)',
    "'\"><img src=x onerror=alert(1)>",
    '"',
    '"""',
    "(",
    "((((((((((",
    ")",
    "AND",
    "OR OR OR",
    "NOT",
    "-",
    "*",
    "a*",
    "*a",
    "?",
    "~",
    "speaker:",
    'speaker:"',
    "speaker:*",
    "year:[2000 TO]",
    "[",
    "{",
    "}",
    "\\",
    "\x00",
    "\x1b[31m",
    "\u202e",
    "\ufffd",
    "%00",
    "%",
    "'; DROP TABLE archive_turn; --",
    "Iran^10",
    "text:Iran",
    "django_ct:archive.event",
    "x" * 600,
    "a " * 300,
    '"' + "word " * 100 + '"',
    "日本語",
    "ß*",
    "/regex/",
    "Iran NEAR Iraq",
    "field:value:other",
]
PARAMETERS = ["speaker", "year", "kind", "place", "sort", "page", "date_from", "date_to", "event"]


def hostile_request(rng):
    query = " ".join(rng.choice(HOSTILE + ["Syria", "Kerry", "nyet"]) for _ in range(rng.randrange(1, 4)))
    params = {"q": query}
    for name in rng.sample(PARAMETERS, rng.randrange(0, 4)):
        params[name] = rng.choice(HOSTILE + ["2013", "-1", "99999999999999999999", "0", "john-kerry", "newest"])
    return params
