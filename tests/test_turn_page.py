"""A turn's permalink page: turns “more like this”, with their words and who said them when."""

import pytest

from archive.views import similar_turns

pytestmark = pytest.mark.django_db


def test_more_like_this_shows_the_words_and_who_said_them_when(client, reference_event, django_assert_max_num_queries):
    turn = reference_event.turns.filter(label="SECRETARY KERRY", text__contains="Geneva").first()
    similar = similar_turns(turn)  # whatever form archive.search gives them in
    assert similar
    with django_assert_max_num_queries(8):
        content = client.get(turn.get_absolute_url()).content.decode()
    section = content[content.index("More like this") :]
    first = similar[0]
    assert " ".join(first.text.split()[:8]) in section
    assert first.get_absolute_url() in section and f"{reference_event.get_absolute_url()}#{first.anchor}" in section
    assert "May 7, 2013" in section and "<blockquote>" in section
    if first.speaker and not first.speaker.event_id:
        assert f'href="{first.speaker.get_absolute_url()}">{first.speaker.name}</a>' in section
