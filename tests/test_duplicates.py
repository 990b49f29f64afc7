"""Possible duplicates proposed to archivists."""

import pytest

from archive.duplicates import possible_duplicates
from archive.models import Speaker

pytestmark = pytest.mark.django_db

NAMES = [
    "Robert Gibbs", "Press Secretary Gibbs", "Ms. Psaki", "Jen Psaki", "Jennifer Psaki", "Foreign Minister De Maio",
    "Luigi Di Maio", "Foreign Minister Park", "Park Jin", "President Zelenskky", "President Zelenskyy",
    "Volodymyr Zelenskyy", "Ned Price", "John Kerry", "Sergey Lavrov", "Mr. Kirby", "John Kirby",
]  # fmt: skip


def make(*names):
    return {name: Speaker.objects.create(name=name, slug=f"s{n}") for n, name in enumerate(names)}


def pairs():
    return {frozenset((pair.keep.name, pair.other.name)): pair for pair in possible_duplicates()}


def test_label_only_speakers_and_spelling_variants_are_proposed():
    make(*NAMES)
    found = pairs()
    for first, second in [
        ("Robert Gibbs", "Press Secretary Gibbs"),
        ("Jen Psaki", "Ms. Psaki"),
        ("Jen Psaki", "Jennifer Psaki"),
        ("Luigi Di Maio", "Foreign Minister De Maio"),
        ("Park Jin", "Foreign Minister Park"),
        ("President Zelenskky", "President Zelenskyy"),
        ("Volodymyr Zelenskyy", "President Zelenskky"),
        ("John Kirby", "Mr. Kirby"),
    ]:
        assert frozenset((first, second)) in found, (first, second)
    assert found[frozenset(("Robert Gibbs", "Press Secretary Gibbs"))].keep.name == "Robert Gibbs"
    for first, second in [("John Kerry", "John Kirby"), ("Ned Price", "Jen Psaki"), ("Sergey Lavrov", "Park Jin")]:
        assert frozenset((first, second)) not in found, (first, second)


def test_two_people_the_registry_tells_apart_are_never_proposed():
    from archive.registry.models import Person

    speakers = make("John Smith", "Jon Smith")
    for name, speaker in speakers.items():
        speaker.person = Person.objects.create(popolo_id=name.lower().replace(" ", "-"), name=name)
        speaker.save()
    assert possible_duplicates() == []


def test_the_review_list_leads_to_the_merge(admin_client):
    from django.urls import reverse

    make("Robert Gibbs", "Press Secretary Gibbs")
    page = admin_client.get(reverse("admin:archive_possibleduplicate_changelist")).content.decode()
    assert "Press Secretary Gibbs" in page and "same surname; one is only a label" in page
    keep, other = Speaker.objects.get(name="Robert Gibbs"), Speaker.objects.get(name="Press Secretary Gibbs")
    response = admin_client.post(
        reverse("admin:archive_speaker_changelist"),
        {"action": "merge", "index": "0", "_selected_action": [keep.pk, other.pk]},
    )
    assert response.status_code == 200 and "Merge speakers" in response.content.decode()
