import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from archive.models import Event, Speaker, SpeakerAlias, Turn
from archive.parser import label_key

pytestmark = pytest.mark.django_db


def make_event(slug="2013-05-07-remarks", key="file:a.txt", **fields):
    return Event.objects.create(title="Remarks", slug=slug, source_key=key, **fields)


def test_turn_sequence_is_unique_per_event():
    event = make_event()
    Turn.objects.create(event=event, sequence=1, text="Hello.")
    with pytest.raises(IntegrityError), transaction.atomic():
        Turn.objects.create(event=event, sequence=1, text="Again.")
    other = make_event(slug="other", key="file:b.txt")
    Turn.objects.create(event=other, sequence=1, text="Fine in another event.")


def test_event_slug_and_source_key_are_unique():
    make_event()
    with pytest.raises(IntegrityError), transaction.atomic():
        make_event(key="file:other.txt")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_event(slug="different")


def test_speaker_slug_is_unique():
    Speaker.objects.create(name="John Kerry", slug="john-kerry")
    with pytest.raises(IntegrityError), transaction.atomic():
        Speaker.objects.create(name="John Kerry", slug="john-kerry")


def test_public_id_is_assigned_once_and_stays():
    event = make_event()
    turn = Turn.objects.create(event=event, sequence=1, text="Hello.")
    public_id = turn.public_id
    assert len(public_id) == 10 and public_id.isalnum()
    turn.text = "Hello, corrected."
    turn.save()
    turn.refresh_from_db()
    assert turn.public_id == public_id
    assert turn.get_absolute_url() == f"/t/{public_id}/"
    second = Turn.objects.create(event=event, sequence=2, text="Other.")
    assert second.public_id != public_id
    with pytest.raises(IntegrityError), transaction.atomic():
        Turn.objects.create(event=event, sequence=3, text="Clash.", public_id=public_id)


def test_alias_keys_ignore_periods_case_accents_and_list_numbers():
    assert label_key("MR. PRICE") == label_key("MR PRICE") == label_key("Mr. Price") == "MR PRICE"
    assert label_key("PRESIDENT LÓPEZ OBRADOR") == "PRESIDENT LOPEZ OBRADOR"
    assert label_key("1. SAUERBREY") == "SAUERBREY"
    assert label_key("Mr. Nebenzia (Russian Federation) (spoke in Russian)") == "MR NEBENZIA"


def test_alias_date_range_must_be_ordered_and_matching_respects_it():
    obama = Speaker.objects.create(name="Barack Obama", slug="barack-obama")
    biden = Speaker.objects.create(name="Joe Biden", slug="joe-biden")
    SpeakerAlias.objects.create(
        label="THE PRESIDENT", speaker=obama, valid_from=dt.date(2009, 1, 20), valid_until=dt.date(2017, 1, 20)
    )
    SpeakerAlias.objects.create(label="THE PRESIDENT", speaker=biden, valid_from=dt.date(2021, 1, 20), confirmed=True)
    assert SpeakerAlias.objects.matching("The President", dt.date(2010, 5, 1)).first().speaker == obama
    assert SpeakerAlias.objects.matching("THE PRESIDENT", dt.date(2023, 5, 1)).first().speaker == biden
    assert not SpeakerAlias.objects.matching("THE PRESIDENT", dt.date(2019, 5, 1)).exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        SpeakerAlias.objects.create(
            label="MR X", speaker=obama, valid_from=dt.date(2020, 1, 1), valid_until=dt.date(2019, 1, 1)
        )


def test_strings_and_urls():
    event = make_event(date=dt.date(2013, 5, 7), year=2013, city="Moscow", country="Russia")
    speaker = Speaker.objects.create(name="John Kerry", slug="john-kerry")
    turn = Turn.objects.create(event=event, sequence=1, text="Hi.", label="SECRETARY KERRY", speaker=speaker)
    assert str(event) == "Remarks (May 7, 2013)"
    assert event.place == "Moscow, Russia"
    assert event.get_absolute_url() == "/events/2013-05-07-remarks/"
    assert str(speaker) == "John Kerry" and speaker.get_absolute_url() == "/speakers/john-kerry/"
    assert str(turn) == "SECRETARY KERRY #1 in Remarks"
    assert str(make_event(slug="u", key="u", year=2006)).endswith("(2006)")
    assert str(make_event(slug="v", key="v")).endswith("(undated)")


def test_queryset_vocabulary():
    event = make_event(year=2013, published=True)
    hidden = make_event(slug="hidden", key="hidden", published=False)
    kerry = Speaker.objects.create(name="John Kerry", slug="john-kerry")
    Turn.objects.create(event=event, sequence=1, text="Q?", kind=Turn.Kind.QUESTION)
    Turn.objects.create(event=event, sequence=2, text="A.", speaker=kerry)
    Turn.objects.create(event=hidden, sequence=1, text="Hidden.", speaker=kerry)
    Turn.objects.create(event=event, sequence=3, text="Who?", label="THE PRESIDENT")
    assert list(Event.objects.published()) == [event]
    assert Turn.objects.by_speaker(kerry).published().count() == 1
    assert Turn.objects.questions().count() == 1
    assert [t.label for t in Turn.objects.unresolved()] == ["THE PRESIDENT"]
    assert Speaker.objects.with_counts().get(pk=kerry.pk).turn_count == 1  # published turns only, as the site counts


def test_one_label_key_for_the_parser_and_the_models():
    speaker = Speaker.objects.create(name="Conan O'Brien", slug="conan-obrien")
    alias = SpeakerAlias.objects.create(label="Mr. O’Brien", speaker=speaker)
    assert alias.key == label_key("MR. O'BRIEN") == "MR O BRIEN"
    assert label_key("[INAUDIBLE]") == "INAUDIBLE"
    assert SpeakerAlias.objects.matching("MR O'BRIEN").get() == alias


def test_migration_recomputes_stored_keys():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("archive.migrations.0004_label_keys")
    speaker = Speaker.objects.create(name="Conan O'Brien", slug="conan-obrien")
    old = SpeakerAlias.objects.create(label="MR. O'BRIEN", speaker=speaker)
    twin = SpeakerAlias.objects.create(label="placeholder", speaker=speaker)
    SpeakerAlias.objects.filter(pk=old.pk).update(key="MR O'BRIEN")  # as the old key function stored them
    SpeakerAlias.objects.filter(pk=twin.pk).update(label="Mr. O’Brien", key="MR O’BRIEN")
    migration.recompute_keys(apps, None)
    assert list(SpeakerAlias.objects.values_list("key", flat=True)) == ["MR O BRIEN"]


def test_the_migrations_make_the_tables_of_the_models():
    """The tests make their database from the models (--no-migrations): the migrations must
    describe the very same tables, or a real database would differ from the tested one."""
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
