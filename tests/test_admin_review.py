"""The archivists' daily work: a speaker picker that says who each entry is, a review queue with
counts per kind that sets aside what no one can do and lets items be marked as checked (recorded
and reversible), and a reason for every change kept in the history."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from archive import review
from archive.models import Event, ReviewMark, Speaker, Turn
from archive.roles import sync_archivists_group
from tests.support.forms import form_data

pytestmark = pytest.mark.django_db

BRIEFING = """Press Briefing by Press Secretary Jen Psaki

MS. PSAKI: Hi everyone. Two items at the top.

Q: Thank you. On the vaccine, when will the numbers be out?

MS. PSAKI: Later today.

Q: And on China, any call planned?

MS. PSAKI: Not at this point.
"""


@pytest.fixture
def archive(reference_event, tmp_path):
    """The reference transcript (reporters named, others printed as QUESTION) and a briefing
    whose source never names a reporter (every question a bare Q)."""
    (tmp_path / "2021-05-03-press-briefing.txt").write_text(BRIEFING, encoding="utf-8")
    call_command("ingest", str(tmp_path), verbosity=0)
    return reference_event, Event.objects.get(source_file="2021-05-03-press-briefing.txt")


@pytest.fixture
def archivist_client(client, django_user_model):
    user = django_user_model.objects.create_user("ada", password="correct horse battery staple", is_staff=True)
    user.groups.add(sync_archivists_group())
    client.force_login(user)
    return client


def test_the_speaker_picker_says_who_each_is_named_people_first(admin_client, archive):
    reference, _ = archive
    answer = admin_client.get(
        "/admin/autocomplete/", {"term": "", "app_label": "archive", "model_name": "turn", "field_name": "speaker"}
    ).json()
    texts = [result["text"] for result in answer["results"]]
    assert texts[:2] == ["Jen Psaki — Press Secretary", "John Kerry — Secretary of State"]
    people = [text for text in texts if " only in " not in text]
    assert texts[: len(people)] == people  # everyone known across events before anyone of one event only
    moderator = f"Moderator — only in “{reference.title[:49]}…” (May 7, 2013)"  # long titles are cut
    assert moderator in texts
    assert "Arshad Mohammed (journalist) — Reuters" in texts
    # the change form shows the chosen speaker the same way
    turn = reference.turns.filter(label="MODERATOR").first()
    page = admin_client.get(reverse("admin:archive_turn_change", args=[turn.pk])).content.decode()
    assert f"{moderator}</option>" in page


def test_unidentified_reporters_are_grouped_by_event_and_set_aside_where_the_source_never_names_them(
    admin_client, archive
):
    reference, briefing = archive
    assert list(review.kind("unidentified").pending()) == [reference]
    assert list(review.kind("unnamed_by_source").pending()) == [briefing]
    home = admin_client.get(reverse("admin:index")).content.decode()
    assert "Events with questions whose journalist is not identified" in home
    assert "Set aside: events whose source never names reporters" in home
    listing = admin_client.get(reverse("admin:archive_event_changelist"), {"review": "unidentified"}).content.decode()
    assert reference.title in listing and briefing.title not in listing
    turns_url = f"?event__id__exact={reference.pk}&amp;problem=unidentified"
    assert f'{turns_url}" title="Attribute them">7</a>' in listing
    turns = admin_client.get(reverse("admin:archive_turn_changelist") + turns_url.replace("&amp;", "&"))
    assert turns.status_code == 200 and "7 turns" in turns.content.decode()


def test_marking_an_item_checked_takes_it_out_of_the_queue_and_can_be_undone(archivist_client, archive):
    reference, _ = archive
    changelist = reverse("admin:archive_event_changelist") + "?review=unidentified"
    data = {"action": "mark_checked", "_selected_action": [str(reference.pk)]}
    assert archivist_client.post(changelist, data).status_code == 302
    assert not review.kind("unidentified").pending().exists()
    mark = ReviewMark.objects.get()
    assert (mark.kind, mark.object_id, mark.checked_by.username) == ("unidentified", reference.pk, "ada")
    assert list(review.kind("unidentified").checked()) == [reference]
    home = archivist_client.get(reverse("admin:index")).content.decode()
    assert "?review=unidentified:checked" in home

    data["action"] = "return_to_queue"
    archivist_client.post(reverse("admin:archive_event_changelist") + "?review=unidentified:checked", data)
    assert list(review.kind("unidentified").pending()) == [reference]
    history = ReviewMark.history.order_by("history_id")
    assert [(h.history_type, h.history_user.username) for h in history] == [("+", "ada"), ("-", "ada")]
    assert history.last().history_change_reason.startswith("back to the queue")


def test_marking_needs_a_kind_chosen(admin_client, archive):
    reference, _ = archive
    data = {"action": "mark_checked", "_selected_action": [str(reference.pk)]}
    response = admin_client.post(reverse("admin:archive_event_changelist"), data, follow=True)
    assert "First choose a kind of problem" in response.content.decode()
    assert not ReviewMark.objects.exists()


def test_unresolved_labels_are_marked_turn_by_turn(admin_client, reference_event):
    turn = Turn.objects.create(event=reference_event, sequence=99, label="THE PRESIDENT", text="Thank you.")
    kind = review.kind("unresolved")
    assert list(kind.pending()) == [turn]
    changelist = reverse("admin:archive_turn_changelist") + "?review=unresolved"
    admin_client.post(changelist, {"action": "mark_checked", "_selected_action": [str(turn.pk)]})
    assert not kind.pending().exists() and list(kind.checked()) == [turn]


def test_every_change_form_asks_why_and_the_history_keeps_it(admin_client, reference_event):
    turn = reference_event.turns.get(sequence=5)
    lavrov = Speaker.objects.get(name="Sergey Lavrov")
    url = reverse("admin:archive_turn_change", args=[turn.pk])
    page = admin_client.get(url).content.decode()
    assert "Reason for this change" in page
    data = form_data(page, "turn_form") | {"speaker": str(lavrov.pk), "change_reason": "named in the video"}
    assert admin_client.post(url, data).status_code == 302
    assert turn.history.latest().history_change_reason == "named in the video"
    for model in (Event, Speaker):
        change = reverse(f"admin:archive_{model._meta.model_name}_change", args=[model.objects.order_by("pk")[0].pk])
        assert "Reason for this change" in admin_client.get(change).content.decode()

    # on an event's page, the reason also goes with the turns saved through it
    url = reverse("admin:archive_event_change", args=[reference_event.pk])
    data = form_data(admin_client.get(url).content.decode(), "event_form")
    row = next(name for name, value in data.items() if name.endswith("-id") and value == str(turn.pk))
    data[row.replace("-id", "-text")] = "Corrected words."
    data["change_reason"] = "checked against the audio"
    assert admin_client.post(url, data).status_code == 302
    assert Turn.objects.get(pk=turn.pk).history.latest().history_change_reason == "checked against the audio"
    assert reference_event.history.latest().history_change_reason == "checked against the audio"
