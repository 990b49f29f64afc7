"""The quote finder: quotations as remembered or reprinted → the turn, the passage, how close;
"nothing close" otherwise; the page and the API."""

import pytest
from django.core.management import call_command

from archive import quotes
from archive.models import Turn
from archive.search import quotes as search_quotes

pytestmark = pytest.mark.django_db


@pytest.fixture
def kerry(reference_event):
    """Secretary Kerry's long answer about the alternative in Syria (3,204 characters)."""
    return reference_event.turns.get(sequence=8)


def test_a_long_paragraph_as_printed_finds_its_turn(kerry):
    # The case: a 989-character paragraph pasted whole (search cuts queries at 500).
    quote = kerry.text[:989].rsplit(" ", 1)[0]
    assert len(quote) > 900
    result = quotes.find(quote)
    best = result.matches[0]
    assert best.turn == kerry and best.confidence == "exact" and best.score == 100
    assert best.start == 0 and kerry.text[best.start : best.end] == quote


def test_a_damaged_quotation_finds_its_turn_and_passage(kerry):
    words = kerry.text.split()[40:75]
    original = " ".join(words)
    words[3], words[4] = words[4], words[3]  # swapped
    del words[10]  # dropped
    damaged = "“" + " ".join(words).replace("’", "'").replace(",", "") + "”"
    result = quotes.find(damaged)
    best = result.matches[0]
    assert best.turn == kerry and best.confidence in ("exact", "close")
    assert original[:20] in best.passage and best.passage.endswith(original[-15:])
    assert best.before and best.after  # context around the passage


def test_nothing_close(reference_event):
    result = quotes.find("The harvest festival begins when the orchard bells ring across the valley at dawn")
    assert result.nothing_close and not result.matches


def test_a_paraphrase_is_not_close_but_its_nearest_passage_is_shown(kerry):
    # Kerry: "The alternative is that there's even more violence. The alternative is that Syria
    # heads closer to an abyss, if not over the abyss, and into chaos."
    paraphrase = "If not, there will be even more violence, Kerry said, and Syria heads toward an abyss and chaos"
    result = quotes.find(paraphrase)
    assert result.nothing_close and result.nearest.turn == kerry
    assert "abyss" in result.nearest.passage


def test_too_short_and_too_long(kerry):
    short = quotes.find("Maybe nyet, he said")
    assert short.refused and not short.nothing_close and "at least 5 words" in short.messages[0]
    long_quote = " ".join([kerry.text] * 3)
    result = quotes.find(long_quote)
    assert "Only the first 400 words were looked for." in result.messages
    assert result.matches[0].turn == kerry


def test_identical_turns_are_listed_under_one_match(kerry, tmp_path):
    (tmp_path / "2014-01-01-reprint.txt").write_text(f"A Reprint\n\nSECRETARY KERRY: {kerry.text}\n", encoding="utf-8")
    call_command("ingest", str(tmp_path), verbosity=0)
    result = quotes.find(" ".join(kerry.text.split()[100:140]))
    assert len(result.matches) == 1
    assert {result.matches[0].turn.pk, *(t.pk for t in result.matches[0].same_text)} == set(
        Turn.objects.filter(text=kerry.text).values_list("pk", flat=True)
    )


def test_candidates_come_from_the_rarest_words(reference_event):
    lavrov_turn = reference_event.turns.get(sequence=3)
    words = [w.lower() for w in quotes.WORD_RE.findall(lavrov_turn.text)][:30]
    assert search_quotes.candidates(words)[0] == lavrov_turn.pk


def test_word_pairs_tell_a_short_quotation_of_common_words_apart(tmp_path):
    # Every turn holds the quotation's words; one holds them side by side, and it is the longest
    # (shorter turns come first among equals): only the pairs ("presid biden", "biden believ") put
    # it first.
    scattered = [
        f"The President spoke to reporters {n} times, and Mr. Biden said he believes it was very good."
        for n in range(12)
    ]
    turns = "\n\n".join(f"MS. PSAKI: {text} We will see." for text in scattered)
    said = (
        "And President Biden believes very strongly that the ceasefire must hold through the winter, "
        "and that the talks in Geneva, which resume on Monday, are the way to make it last."
    )
    (tmp_path / "2022-03-01-briefing.txt").write_text(
        f"Press Briefing\n\n{turns}\n\nMS. PSAKI: {said}\n", encoding="utf-8"
    )
    call_command("ingest", str(tmp_path), verbosity=0)
    words = [w.lower() for w in quotes.WORD_RE.findall("And President Biden believes extremely")]
    assert Turn.objects.get(pk=search_quotes.candidates(words)[0]).text == said


def test_a_word_matched_past_the_passage_does_not_stretch_it():
    keys = quotes.keys("— as le- — as a that's what")
    turn = quotes.keys("— and as a — as his le- — as a leader, that’s what he’s going to do.")
    score, first, end = quotes.align(keys, turn)
    assert turn[first:end] == quotes.keys("le- — as a leader, that’s what") and score > 80


def test_alignment_scores():
    keys = quotes.keys("we will not accept any further delay in the talks")
    turn = quotes.keys("the minister said that we will not accept further delays in these talks")
    score, first, end = quotes.align(keys, turn)
    assert turn[first:end] == quotes.keys("we will not accept further delays in these talks")
    assert 80 < score < 100
    assert quotes.key("Negotiations") == quotes.key("negotiate") and quotes.key("don’t") == quotes.key("don't")


def test_quote_page(client, kerry):
    page = client.get("/quote/").content.decode()
    assert '<label for="id_quote">Quotation</label>' in page and 'method="post"' in page
    quote = " ".join(kerry.text.split()[20:60])
    found = client.post("/quote/", {"q": quote}).content.decode()
    assert "Where it comes from" in found and "<mark>" in found and "Exact words" in found
    assert f'href="/t/{kerry.public_id}/cite/"' in found and "Cite (Chicago):" in found
    assert "Kerry, John." in found
    assert (
        "Nothing close"
        in client.get("/quote/", {"q": "orchard bells ring across the quiet valley at dawn"}).content.decode()
    )
    assert "at least 5 words" in client.get("/quote/", {"q": "nyet"}).content.decode()
    assert client.put("/quote/").status_code == 405


def test_quote_api(client, kerry):
    quote = " ".join(kerry.text.split()[20:60])
    data = client.get("/api/quote", {"q": quote}).json()
    assert data["nothing_close"] is False and data["words"] == 40
    best = data["matches"][0]
    assert best["turn"]["id"] == kerry.public_id and best["confidence"] == "exact"
    assert kerry.text[best["start"] : best["end"]] == best["passage"]
    assert best["citation"].startswith("Kerry, John. “Remarks With Russian Foreign Minister Sergey Lavrov.”")
    long_quote = kerry.text[:2500]
    posted = client.post("/api/quote", {"quote": long_quote}, content_type="application/json").json()
    assert posted["matches"][0]["turn"]["id"] == kerry.public_id
    nothing = client.get("/api/quote", {"q": "nothing like this is ever said anywhere at all"}).json()
    assert nothing["nothing_close"] and nothing["matches"] == []
    assert {"/api/quote"} <= set(client.get("/api/openapi.json").json()["paths"])
