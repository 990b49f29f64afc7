"""The archivists' admin: every page renders, corrections reach search at once and survive
re-ingest, merges lose nothing, history can be read and reverted, and the Archivists group has
exactly the permissions the work needs."""

import shutil

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission, User
from django.core.management import call_command
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from archive import search
from archive.models import Event, IndexTask, Participation, Speaker, SpeakerAlias, SpeakerRedirect, Turn
from archive.roles import ARCHIVISTS, codenames, sync_archivists_group
from tests.support import REFERENCE
from tests.support.forms import form_data


@pytest.fixture
def fresh_index(django_capture_on_commit_callbacks):
    """Run what an admin request schedules after its commit (the index drain), as it would."""

    def run(callable_, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return callable_(*args, **kwargs)

    return run


@pytest.fixture
def archivist(db):
    user = User.objects.create_user("ada", password="correct horse battery staple", is_staff=True)
    user.groups.add(sync_archivists_group())
    return user


@pytest.fixture
def archivist_client(client, archivist):
    client.force_login(archivist)
    return client


def post_form(client, url, changes=(), form_id=None, **extra):
    """Post the admin form at url as rendered, with some fields changed."""
    page = client.get(url)
    assert page.status_code == 200, url
    data = form_data(page.content.decode(), form_id)
    data.update(dict(changes))
    data.update(extra)
    return client.post(url, data)


def turn_with(text):
    return Turn.objects.get(text__contains=text)


# --- every page renders -----------------------------------------------------------------


def admin_urls(model):
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    obj = model._default_manager.order_by("pk").first()
    urls = [reverse(f"{name}_changelist"), reverse(f"{name}_add")]
    if obj is not None:
        urls += [reverse(f"{name}_change", args=[obj.pk]), reverse(f"{name}_history", args=[obj.pk])]
        if isinstance(admin.site._registry[model], SimpleHistoryAdmin):
            version = obj.history.order_by("history_id").first()
            urls.append(reverse(f"{name}_simple_history", args=[obj.pk, version.history_id]))
    return urls


def test_every_admin_page_renders(admin_client, reference_event):
    SpeakerRedirect.objects.create(old_slug="old-kerry", speaker=Speaker.objects.get(name="John Kerry"))
    search.enqueue_event(reference_event.pk)  # so that the queue page has a row
    urls = [reverse("admin:index"), reverse("admin:app_list", args=["archive"])]
    for model in admin.site._registry:
        if model._meta.app_label == "archive":
            urls += admin_urls(model)
    refused = {
        reverse("admin:archive_indextask_add"),
        reverse("admin:archive_reviewmark_add"),
        reverse("admin:archive_possibleduplicate_add"),
    }  # by design
    for url in urls:
        assert admin_client.get(url).status_code == (403 if url in refused else 200), url
    autocomplete = admin_client.get(
        "/admin/autocomplete/", {"term": "Kerry", "app_label": "archive", "model_name": "turn", "field_name": "speaker"}
    )
    assert autocomplete.status_code == 200 and "John Kerry" in autocomplete.content.decode()
    home = admin_client.get(reverse("admin:index")).content.decode()
    assert "Review queue" in home and "Labels not tied to a speaker" in home


def test_the_event_list_shows_counts_and_flags(admin_client, reference_event):
    page = admin_client.get(reverse("admin:archive_event_changelist")).content.decode()
    assert "Remarks With Russian Foreign Minister" in page
    assert ">22<" in page  # turns
    undated = admin_client.get(reverse("admin:archive_event_changelist") + "?dated=no").content.decode()
    assert "0 events" in undated or "Remarks With Russian" not in undated


@pytest.mark.slow
def test_the_longest_transcript_can_be_saved_in_one_post(admin_client, reference_event, fresh_index):
    """300 turns post some 3,000 fields, beyond Django's default limit of 1,000."""
    event = reference_event
    last = event.turns.order_by("-sequence").first()
    Turn.objects.bulk_create(
        Turn(event=event, sequence=last.sequence + n, kind="statement", text=f"Filler turn {n}.") for n in range(1, 280)
    )
    url = reverse("admin:archive_event_change", args=[event.pk])
    response = fresh_index(post_form, admin_client, url, {"title": "Remarks (corrected title)"}, form_id="event_form")
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Event.objects.get().title == "Remarks (corrected title)"
    assert search.search_turns("corrected title").total > 0


# --- corrections reach search and survive re-ingest ---------------------------------------


def test_correcting_a_turns_speaker_reaches_search_and_history(admin_client, reference_event, fresh_index):
    turn = turn_with("Maybe nyet")
    lavrov = Speaker.objects.get(name="Sergey Lavrov")
    assert turn.speaker != lavrov
    url = reverse("admin:archive_turn_change", args=[turn.pk])
    response = fresh_index(post_form, admin_client, url, {"speaker": str(lavrov.pk)}, form_id="turn_form")
    assert response.status_code == 302
    turn.refresh_from_db()
    assert turn.speaker == lavrov
    assert [hit.turn.pk for hit in search.search_turns('nyet speaker:"Sergey Lavrov"').hits] == [turn.pk]
    assert IndexTask.objects.count() == 0 and search.check().total == 0
    latest = turn.history.latest()
    assert latest.history_user.username == "admin" and latest.history_type == "~"
    assert Event.objects.get().edited_since_ingest  # a re-ingest now keeps this unless --force
    history_page = admin_client.get(reverse("admin:archive_turn_history", args=[turn.pk])).content.decode()
    assert "admin" in history_page and "Changed" in history_page or "~" in history_page


def test_a_corrected_turn_shows_at_once_on_the_cached_event_page(admin_client, client, reference_event, fresh_index):
    turn = turn_with("Maybe nyet")
    assert "Maybe nyet" in client.get(reference_event.get_absolute_url()).content.decode()  # now cached
    url = reverse("admin:archive_turn_change", args=[turn.pk])
    fresh_index(post_form, admin_client, url, {"text": "Maybe nyet, corrected."}, form_id="turn_form")
    assert "Maybe nyet, corrected." in client.get(reference_event.get_absolute_url()).content.decode()


def test_revert_restores_an_earlier_version_and_search_follows(admin_client, reference_event, fresh_index):
    turn = turn_with("Maybe nyet")
    original_speaker = turn.speaker
    first = turn.history.earliest()  # recorded by the ingest
    assert first.history_change_reason.startswith("ingest of")
    lavrov = Speaker.objects.get(name="Sergey Lavrov")
    url = reverse("admin:archive_turn_change", args=[turn.pk])
    fresh_index(
        post_form,
        admin_client,
        url,
        {"speaker": str(lavrov.pk), "text": "Maybe nyet, said the minister."},
        form_id="turn_form",
    )
    revert_url = reverse("admin:archive_turn_simple_history", args=[turn.pk, first.history_id])
    response = fresh_index(post_form, admin_client, revert_url, form_id="historicalturn_form")
    assert response.status_code == 302
    turn.refresh_from_db()
    assert turn.speaker == original_speaker and "said the minister" not in turn.text
    assert turn.history.count() == 3
    assert search.search_turns('"said the minister"').total == 0 and search.check().total == 0


def test_reverting_an_event_edit(admin_client, reference_event, fresh_index):
    first = reference_event.history.earliest()
    url = reverse("admin:archive_event_change", args=[reference_event.pk])
    fresh_index(post_form, admin_client, url, {"city": "Sochi"}, form_id="event_form")
    assert Event.objects.get().city == "Sochi"
    revert_url = reverse("admin:archive_event_simple_history", args=[reference_event.pk, first.history_id])
    assert fresh_index(post_form, admin_client, revert_url, form_id="historicalevent_form").status_code == 302
    assert Event.objects.get().city == "Moscow"
    assert search.check().total == 0


def test_reordering_turns_renumbers_them_and_keeps_permalinks(admin_client, reference_event, fresh_index):
    before = list(reference_event.turns.order_by("sequence").values_list("public_id", flat=True))
    url = reverse("admin:archive_event_change", args=[reference_event.pk])
    page = admin_client.get(url).content.decode()
    data = form_data(page, "event_form")
    fifth = next(
        name
        for name, value in data.items()
        if name.endswith("-id") and value == str(reference_event.turns.get(sequence=5).pk)
    )
    data[fifth.replace("-id", "-move_after")] = "1"
    tenth = next(
        name
        for name, value in data.items()
        if name.endswith("-id") and value == str(reference_event.turns.get(sequence=10).pk)
    )
    data[tenth.replace("-id", "-move_after")] = "10"  # after itself: stays where it is
    assert fresh_index(admin_client.post, url, data).status_code == 302
    after = list(reference_event.turns.order_by("sequence").values_list("public_id", flat=True))
    assert after == [before[0], before[4], before[1], before[2], before[3], *before[5:]]
    assert list(reference_event.turns.order_by("sequence").values_list("sequence", flat=True)) == list(range(1, 23))
    assert search.check().total == 0


def test_a_re_ingest_keeps_corrections_made_in_the_review_queue(admin_client, reference_event, tmp_path, fresh_index):
    turn = Turn.objects.unidentified_questions().order_by("sequence").first()
    journalist = Speaker.objects.create(name="Matthew Lee", slug="matthew-lee", kind="journalist", organisation="AP")
    changelist = reverse("admin:archive_turn_changelist") + "?problem=unidentified"
    data = form_data(admin_client.get(changelist).content.decode(), "changelist-form")
    row = next(name for name, value in data.items() if name.endswith("-id") and value == str(turn.pk))
    data[row.replace("-id", "-speaker")] = str(journalist.pk)
    data["_save"] = "Save"
    response = fresh_index(admin_client.post, changelist, data)
    assert response.status_code == 302
    turn.refresh_from_db()
    assert turn.speaker == journalist
    assert search.search_turns('speaker:"Matthew Lee"').total == 1

    shutil.copy(REFERENCE, tmp_path / REFERENCE.name)
    with (tmp_path / REFERENCE.name).open("a", encoding="utf-8") as source:
        source.write("\n(Applause.)\n")  # the file changed since the last ingest
    fresh_index(call_command, "ingest", str(tmp_path), verbosity=0)
    assert Turn.objects.get(public_id=turn.public_id).speaker == journalist  # kept
    fresh_index(call_command, "ingest", str(tmp_path), force=True, verbosity=0)
    assert Turn.objects.get(public_id=turn.public_id).speaker != journalist  # --force re-reads the file
    assert search.check().total == 0


def test_publish_and_unpublish_actions(admin_client, reference_event, fresh_index):
    changelist = reverse("admin:archive_event_changelist")
    data = {"action": "unpublish", "_selected_action": [str(reference_event.pk)]}
    assert fresh_index(admin_client.post, changelist, data).status_code == 302
    assert not Event.objects.get().published
    assert search.search_turns("nyet").total == 0 and search.check().total == 0
    data["action"] = "publish"
    fresh_index(admin_client.post, changelist, data)
    assert search.search_turns("nyet").total == 1
    assert [h.history_change_reason for h in reference_event.history.order_by("history_id")][-2:] == [
        "unpublished",
        "published",
    ]


# --- merging speakers ---------------------------------------------------------------------


@pytest.fixture
def duplicate_kerry(reference_event):
    """A second “Kerry” as an ingest of a differently printed transcript might leave."""
    kerry = Speaker.objects.get(name="John Kerry")
    duplicate = Speaker.objects.create(name="Secretary Kerry", slug="secretary-kerry", kind="person", title="Secretary")
    for turn in kerry.turns.order_by("sequence")[:3]:
        turn.speaker = duplicate
        turn.save()
    SpeakerAlias.objects.create(label="SECRETARY KERRY", speaker=duplicate)
    SpeakerAlias.objects.get_or_create(label="SECRETARY KERRY", speaker=kerry)  # known to both: kept once
    SpeakerAlias.objects.create(label="THE SECRETARY", speaker=duplicate, valid_from="2013-02-01")
    Participation.objects.create(event=reference_event, speaker=duplicate, role="participant")
    return kerry, duplicate


def test_merge_asks_with_counts_then_loses_nothing(admin_client, duplicate_kerry, fresh_index):
    kerry, duplicate = duplicate_kerry
    turns_before = Turn.objects.count()
    changelist = reverse("admin:archive_speaker_changelist")
    selected = {"action": "merge", "_selected_action": [str(kerry.pk), str(duplicate.pk)]}
    confirm = admin_client.post(changelist, selected)
    assert confirm.status_code == 200
    page = confirm.content.decode()
    assert "Merge into the speaker chosen" in page and "Secretary Kerry" in page
    assert f'value="{kerry.pk}" id="keep-{kerry.pk}" checked' in page  # the one with more turns by default

    response = fresh_index(
        admin_client.post, changelist, {**selected, "confirm": "yes", "keep": str(kerry.pk)}, follow=True
    )
    message = " ".join(str(m) for m in response.context["messages"])
    assert "Merged Secretary Kerry (3 turns, 2 aliases, 1 participations) into John Kerry" in message
    assert "before 7 turns" in message and "after 10 turns" in message

    assert not Speaker.objects.filter(pk=duplicate.pk).exists()
    assert Turn.objects.count() == turns_before
    assert kerry.turns.count() == 10
    labels = set(kerry.aliases.values_list("label", flat=True))
    assert {"SECRETARY KERRY", "THE SECRETARY"} <= labels  # the merged name's own key among them
    assert SpeakerAlias.objects.get(speaker=kerry, label="THE SECRETARY").valid_from.isoformat() == "2013-02-01"
    assert kerry.participations.get().role == "principal"  # the stronger role of the two
    assert Participation.objects.filter(speaker_id=duplicate.pk).count() == 0
    assert "Merged from “Secretary Kerry”" in Speaker.objects.get(pk=kerry.pk).notes

    # history kept: the merged speaker's rows, and each moved turn with the reason
    assert Speaker.history.filter(id=duplicate.pk).latest().history_type == "-"
    moved = Turn.history.filter(history_change_reason__startswith="merge: Secretary Kerry")
    assert moved.count() == 3 and {h.history_user.username for h in moved} == {"admin"}

    # the old URL leads to the speaker kept; search and the index agree
    assert admin_client.get("/speakers/secretary-kerry/").url == kerry.get_absolute_url()
    assert search.search_turns('speaker:"Secretary Kerry"').total == 0
    assert search.search_turns('speaker:"John Kerry"').total == 10
    assert search.check().total == 0 and IndexTask.objects.count() == 0
    call_command("check_index", verbosity=0)  # exits non-zero on drift
    assert Event.objects.get().edited_since_ingest


def test_merging_needs_two_speakers(admin_client, duplicate_kerry):
    kerry, _ = duplicate_kerry
    response = admin_client.post(
        reverse("admin:archive_speaker_changelist"),
        {"action": "merge", "_selected_action": [str(kerry.pk)]},
        follow=True,
    )
    assert "Select at least two speakers" in response.content.decode()


def test_a_merged_name_resolves_to_the_speaker_kept_at_the_next_ingest(duplicate_kerry, fresh_index):
    from archive.curation import merge_speakers

    kerry, duplicate = duplicate_kerry
    fresh_index(merge_speakers, kerry, [duplicate])
    fresh_index(call_command, "ingest", str(REFERENCE), force=True, verbosity=0)
    assert not Speaker.objects.filter(name="Secretary Kerry").exists()
    assert Speaker.objects.get(name="John Kerry").turns.count() == 10


# --- the Archivists group -----------------------------------------------------------------


def test_the_archivists_group_has_exactly_the_permissions_listed(db):
    call_command("create_archivists_group", verbosity=0)
    call_command("create_archivists_group", verbosity=0)  # again: no duplicates
    group = Group.objects.get(name=ARCHIVISTS)
    granted = set(group.permissions.values_list("codename", flat=True))
    assert granted == codenames()
    assert not any(code.endswith(("_user", "_group", "_permission", "_indextask")) for code in granted)
    assert not {"add_event", "delete_event"} & granted
    group.permissions.add(Permission.objects.get(codename="delete_event"))
    sync_archivists_group()
    assert "delete_event" not in set(group.permissions.values_list("codename", flat=True))


def test_what_an_archivist_can_and_cannot_do(archivist_client, duplicate_kerry, reference_event, fresh_index):
    client = archivist_client
    for url in (
        reverse("admin:index"),
        reverse("admin:archive_event_changelist"),
        reverse("admin:archive_event_change", args=[reference_event.pk]),
        reverse("admin:archive_turn_changelist"),
        reverse("admin:archive_speaker_changelist"),
        reverse("admin:archive_speakeralias_add"),
        reverse("admin:archive_turn_history", args=[Turn.objects.first().pk]),
    ):
        assert client.get(url).status_code == 200, url
    assert "Review queue" in client.get(reverse("admin:index")).content.decode()
    for url in (
        reverse("admin:auth_user_changelist"),
        reverse("admin:auth_group_changelist"),
        reverse("admin:archive_event_add"),
        reverse("admin:archive_event_delete", args=[reference_event.pk]),
        reverse("admin:archive_indextask_changelist"),
    ):
        assert client.get(url).status_code == 403, url
    # corrections and merges are theirs to make
    url = reverse("admin:archive_event_change", args=[reference_event.pk])
    assert fresh_index(post_form, client, url, {"venue": "Osobnyak"}, form_id="event_form").status_code == 302
    kerry, duplicate = duplicate_kerry
    selected = {
        "action": "merge",
        "_selected_action": [str(kerry.pk), str(duplicate.pk)],
        "confirm": "yes",
        "keep": str(kerry.pk),
    }
    fresh_index(client.post, reverse("admin:archive_speaker_changelist"), selected)
    assert not Speaker.objects.filter(pk=duplicate.pk).exists()
    assert Event.history.latest().history_user.username == "ada"
    assert search.check().total == 0


def test_staff_without_the_group_see_nothing(client, reference_event):
    user = User.objects.create_user("visitor", password="x", is_staff=True)
    client.force_login(user)
    assert client.get(reverse("admin:archive_event_changelist")).status_code == 403
    assert "Review queue" not in client.get(reverse("admin:index")).content.decode()
