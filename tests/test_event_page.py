"""An event's page: its table of contents, one speaker's turns alone, and the way back to the contents."""

import re

import pytest

from archive.contents import UNNAMED, table_of_contents

pytestmark = pytest.mark.django_db


def turn_ids(content):
    return re.findall(r'<li id="(t-[a-z0-9]+)" class="turn', content)


def test_contents_lists_speakers_with_counts_and_questions_by_who_asked(reference_event):
    turns = list(reference_event.turns.select_related("speaker").order_by("sequence"))
    contents = table_of_contents(turns)
    assert [(entry.name, entry.turns) for entry in contents.speakers] == [
        ("John Kerry", 10),
        ("Ms. Psaki", 1),
        ("Arshad Mohammed", 1),
        ("Journalist (unidentified)", 7),
        ("Moderator", 2),
        ("Jill Dougherty", 1),
    ]
    assert contents.speakers[0].anchor == turns[0].anchor and contents.speakers[0].slug == "john-kerry"
    assert contents.question_count == 9
    assert [(asker.name, asker.outlet, [t.sequence for t in asker.questions]) for asker in contents.askers] == [
        ("Arshad Mohammed", "Reuters", [3]),
        ("Jill Dougherty", "CNN", [13]),
        (UNNAMED, "", [5, 7, 10, 15, 17, 20, 21]),
    ]


def test_the_page_has_the_contents_with_jump_links_and_a_way_back(client, reference_event):
    content = client.get(reference_event.get_absolute_url()).content.decode()
    assert 'id="contents"' in content and "Who speaks" in content
    question = reference_event.turns.get(sequence=13)
    assert f'href="#{question.anchor}">#13</a>' in content
    assert 'href="?speaker=john-kerry">only these</a>' in content
    assert 'href="#contents">↑ Contents</a>' in content
    assert "<script" not in content  # readable without any script
    assert len(turn_ids(content)) == 22


def test_only_one_speakers_turns(client, reference_event, django_assert_max_num_queries):
    url = reference_event.get_absolute_url()
    client.get(url)  # the whole page is cached: the filtered one must not be served from it
    with django_assert_max_num_queries(6):
        content = client.get(url, {"speaker": "john-kerry"}).content.decode()
    kerry = list(reference_event.turns.filter(speaker__slug="john-kerry").order_by("sequence"))
    assert turn_ids(content) == [turn.anchor for turn in kerry]
    assert "Only the 10 turns of John Kerry (of 22)" in content
    assert "shown alone" in content
    # an answer says which question it answers, linked to the whole transcript
    question = reference_event.turns.get(sequence=3)
    assert f'href="{url}#{question.anchor}">the question</a> of Arshad Mohammed' in content
    assert len(turn_ids(client.get(url).content.decode())) == 22
    assert len(turn_ids(client.get(url, {"speaker": "john-kerry"}).content.decode())) == 10  # cached too


def test_a_participant_without_turns_and_unknown_speakers(client, reference_event):
    url = reference_event.get_absolute_url()
    lavrov = client.get(url, {"speaker": "sergey-lavrov"}).content.decode()
    assert "Sergey Lavrov takes part but has no turn of their own" in lavrov
    assert client.get(url, {"speaker": "nobody"}).status_code == 404
    assert len(turn_ids(client.get(url, {"speaker": ""}).content.decode())) == 22
