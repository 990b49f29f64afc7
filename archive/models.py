"""The archive's data model: events (one transcript each), speakers, their printed labels, and turns.

Read vocabulary lives on the QuerySets below; writes from transcripts go through
`archive.ingest`, never through `save()` overrides or signals. Every change to events, turns,
speakers, aliases and participations is kept by django-simple-history (`history`), with who
made it and why.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from simple_history.models import HistoricalRecords

from archive.parser import UNIDENTIFIED_JOURNALIST, label_key

PUBLIC_ID_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
# A question label that names no one and no outlet: `Q`, `Q.`, `QUESTION` (any case).
BARE_QUESTION_LABEL = r"^(q|question)[.]?$"
PUBLIC_ID_LENGTH = 10


def new_public_id():
    """A short random id for permalinks: no 0/1/i/l/o, so it survives being read aloud or retyped."""
    return "".join(secrets.choice(PUBLIC_ID_ALPHABET) for _ in range(PUBLIC_ID_LENGTH))


def _latest(rows, field):
    """The latest value of field among rows, as a subquery."""
    return Subquery(rows.order_by(f"-{field}").values(field)[:1])


def _last_change(*latest):
    """The row's updated_at or any later one of latest (subqueries that may find nothing)."""
    return Greatest("updated_at", *(Coalesce(value, "updated_at") for value in latest))


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class SpeakerQuerySet(models.QuerySet):
    def archive_wide(self):
        """Speakers known across events (people, and roles not tied to one event)."""
        return self.filter(event__isnull=True)

    def listed(self):
        """The speakers the public site and the API count and list: known across events, with at
        least one turn in a published event (not a participant who never spoke, nor a moderator
        of one event)."""
        return self.archive_wide().filter(Exists(Turn.objects.published().filter(speaker=OuterRef("pk"))))

    def of_kind(self, kind):
        return self.filter(kind=kind)

    def with_counts(self):
        """Their turns and events, published ones only (as `listed` counts them)."""
        published = Q(turns__event__published=True)
        return self.annotate(
            turn_count=Count("turns", filter=published, distinct=True),
            event_count=Count("turns__event", filter=published, distinct=True),
        )

    def named_like(self, text):
        """Those with a word of their name starting with text ("kerry", "ned pr")."""
        text = " ".join(text.split())
        return self.filter(Q(name__istartswith=text) | Q(name__icontains=" " + text)) if text else self.none()

    def matching(self, text):
        """(speakers, exact): the listed speakers a typed name or slug means. A slug or a full
        name (any case) is exact; otherwise those `named_like` it, for the reader to choose from."""
        text = " ".join(text.split())
        listed = self.listed()
        exact = listed.filter(Q(slug=text) | Q(name__iexact=text))
        if text and exact.exists():
            return exact, True
        return listed.named_like(text), False
    def with_last_change(self):
        """`last_change`: when the speaker's page last changed: the speaker, or an event they
        speak or take part in (its title, date, turns)."""
        return self.annotate(
            last_change=_last_change(
                _latest(Turn.objects.filter(speaker=OuterRef("pk")), "event__updated_at"),
                _latest(Participation.objects.filter(speaker=OuterRef("pk")), "event__updated_at"),
            )
        )


class Speaker(TimeStampedModel):
    class Kind(models.TextChoices):
        PERSON = "person", "Named person"
        ROLE = "role", "Role-only speaker"
        JOURNALIST = "journalist", "Journalist"
        MODERATOR = "moderator", "Moderator or operator"
        AUDIENCE = "audience", "Audience"

    name = models.CharField(
        max_length=200,
        help_text="Full name as the archive shows it (e.g. “John Kerry”), or the role for "
        "role-only speakers (e.g. “Senior State Department Official One”).",
    )
    slug = models.SlugField(max_length=220, unique=True, help_text="Used in the speaker's URL; keep it stable.")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PERSON)
    title = models.CharField(
        max_length=300, blank=True, help_text="Title or role as printed, e.g. “Secretary of State”."
    )
    organisation = models.CharField(
        max_length=200, blank=True, help_text="Organisation, outlet or country the speaker represents."
    )
    event = models.ForeignKey(
        "Event",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="local_speakers",
        help_text="For speakers who exist only within one transcript (a moderator, an anonymous "
        "official, an unidentified journalist): that event. Empty for archive-wide speakers.",
    )
    notes = models.TextField(blank=True, help_text="Archivists' notes; not shown to the public.")
    person = models.OneToOneField(
        "archive.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="speaker",
        help_text="The registry's entry for this person, when it has one: labels it identifies on the "
        "dates of its memberships are attributed to this speaker.",
    )

    objects = SpeakerQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "slug"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("archive:speaker_detail", kwargs={"slug": self.slug})

    def picker_label(self):
        """How the admin's speaker picker shows this speaker: people by their title and
        organisation; a speaker of one event only (the many “Moderator” and “Journalist
        (unidentified)”) by that event. The one place to add more (e.g. a registry's dated roles)."""
        if self.event_id:
            title = self.event.title if len(self.event.title) <= 50 else self.event.title[:49] + "…"
            return f"{self.name} — only in “{title}” ({self.event.date_display})"
        kind = "" if self.kind == self.Kind.PERSON else f" ({self.get_kind_display().lower()})"
        details = ", ".join(part for part in (self.title, self.organisation) if part)
        return f"{self.name}{kind}" + (f" — {details}" if details else "")


class SpeakerRedirect(models.Model):
    """The URL of a speaker merged into another keeps working: it redirects to the one kept."""

    old_slug = models.SlugField(max_length=220, unique=True, help_text="Slug of the speaker that was merged away.")
    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="redirects")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["old_slug"]

    def __str__(self):
        return f"/speakers/{self.old_slug}/ → {self.speaker}"

    def get_absolute_url(self):
        return self.speaker.get_absolute_url()


class SpeakerAliasQuerySet(models.QuerySet):
    def matching(self, label, on_date=None):
        """Aliases for a printed label, valid on the date when one is given, confirmed ones first."""
        aliases = self.filter(key=label_key(label)).select_related("speaker")
        if on_date is not None:
            aliases = aliases.filter(
                Q(valid_from__isnull=True) | Q(valid_from__lte=on_date),
                Q(valid_until__isnull=True) | Q(valid_until__gte=on_date),
            )
        return aliases.order_by("-confirmed", "-valid_from", "pk")

    def confirmed_for(self, label, span):
        """Archivists' confirmed aliases for a printed label whose dates cover every day of span
        = (first, last): what ingest may resolve a label through."""
        first, last = span
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=first),
            Q(valid_until__isnull=True) | Q(valid_until__gte=last),
            key=label_key(label),
            confirmed=True,
        ).select_related("speaker")


class SpeakerAlias(TimeStampedModel):
    label = models.CharField(max_length=200, help_text="The label as printed, e.g. “SECRETARY KERRY”.")
    key = models.CharField(
        max_length=200,
        db_index=True,
        editable=False,
        help_text="Upper case, without punctuation or accents: how labels are matched (archive.parser.label_key).",
    )
    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="aliases")
    valid_from = models.DateField(
        null=True, blank=True, help_text="First date the label means this speaker (empty: always)."
    )
    valid_until = models.DateField(
        null=True, blank=True, help_text="Last date the label means this speaker (empty: still)."
    )
    confirmed = models.BooleanField(
        default=False,
        help_text="Checked by an archivist. Only confirmed aliases resolve labels at ingest, and only "
        "for dated events within the dates above; unconfirmed ones record how a speaker was printed.",
    )

    objects = SpeakerAliasQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["key", "valid_from"]
        verbose_name_plural = "speaker aliases"
        constraints = [
            models.UniqueConstraint(fields=["key", "speaker"], name="alias_unique_per_speaker"),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="alias_date_range_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.label} → {self.speaker}"

    def save(self, *args, **kwargs):
        self.key = label_key(self.label)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return self.speaker.get_absolute_url()


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)

    def undated(self):
        """Events whose sources give neither a date nor a year."""
        return self.filter(date__isnull=True, year__isnull=True)

    def year_only(self):
        """Events known only by their year (e.g. a UN General Debate session)."""
        return self.filter(date__isnull=True, year__isnull=False)

    def in_year(self, year):
        return self.filter(year=year)

    def in_month(self, year, month):
        return self.filter(date__year=year, date__month=month)

    def month_counts(self):
        """[(month number, events)] for the dated events, in calendar order."""
        rows = self.filter(date__isnull=False).values_list("date__month").annotate(n=Count("id"))
        return sorted(rows.order_by())

    def with_speaker(self, slug):
        """Events where the speaker with this slug speaks or takes part."""
        return self.filter(
            Q(pk__in=Turn.objects.filter(speaker__slug=slug).values("event"))
            | Q(pk__in=Participation.objects.filter(speaker__slug=slug).values("event"))
        )

    def between(self, start=None, end=None):
        """Events from start to end (dates; either may be None). An event known only by its
        year is in the range when its whole year is; undated events are in no range."""
        dated, year_only = Q(date__isnull=False), Q(date__isnull=True, year__isnull=False)
        if start:
            dated &= Q(date__gte=start)
            year_only &= Q(year__gte=start.year if (start.month, start.day) == (1, 1) else start.year + 1)
        if end:
            dated &= Q(date__lte=end)
            year_only &= Q(year__lte=end.year if (end.month, end.day) == (12, 31) else end.year - 1)
        return self.filter(dated | year_only)

    def newest_first(self):
        # by year first, so that an event known only by its year stands with that year's events
        return self.order_by(models.F("year").desc(nulls_last=True), models.F("date").desc(nulls_last=True), "title")

    def oldest_first(self):
        return self.order_by(models.F("year").asc(nulls_last=True), models.F("date").asc(nulls_last=True), "title")

    def by_title(self):
        return self.order_by("title", models.F("date").desc(nulls_last=True))

    def country_counts(self):
        """[(country, events)] A to Z, for the countries that are known."""
        return list(self.exclude(country="").values_list("country").annotate(n=Count("id")).order_by("country"))

    def with_turn_counts(self):
        return self.annotate(turn_count=Count("turns"))

    def with_last_change(self):
        """`last_change`: when the event's page last changed: the event (every change to its
        turns and participants bumps its updated_at) or one of its speakers."""
        return self.annotate(
            last_change=_last_change(
                _latest(Turn.objects.filter(event=OuterRef("pk"), speaker__isnull=False), "speaker__updated_at"),
                _latest(Participation.objects.filter(event=OuterRef("pk")), "speaker__updated_at"),
            )
        )

    def with_review_counts(self):
        """Turn counts and how many turns still name no speaker, for the admin's event list."""
        unresolved = Q(turns__speaker__isnull=True) & ~Q(turns__label="")
        return self.annotate(turn_count=Count("turns"), unresolved_count=Count("turns", filter=unresolved))

    def with_question_counts(self):
        """Per event: questions whose journalist is not identified (`unidentified_count`), those
        among them printed with a bare `Q` or `QUESTION` label (`bare_count`), and questions
        attributed to a named journalist (`named_count`)."""
        question = Q(turns__kind=Turn.Kind.QUESTION)
        unidentified = question & (
            Q(turns__speaker__isnull=True)
            | Q(turns__speaker__name=UNIDENTIFIED_JOURNALIST, turns__speaker__event__isnull=False)
        )
        named = question & Q(turns__speaker__kind=Speaker.Kind.JOURNALIST, turns__speaker__event__isnull=True)
        return self.annotate(
            unidentified_count=Count("turns", filter=unidentified),
            bare_count=Count("turns", filter=unidentified & Q(turns__label__iregex=BARE_QUESTION_LABEL)),
            named_count=Count("turns", filter=named),
        )

    def reporters_unnamed_by_source(self, unnamed=True):
        """Events with unidentified questions where the source never names a reporter: no
        question is attributed to a named journalist and every unidentified one is printed as a
        bare `Q` or `QUESTION` (White House briefings, for one). Nothing in such a text can
        identify the reporters, so they are set aside from the review queue. unnamed=False:
        the events whose unidentified questions archivists can work on."""
        events = self.with_question_counts().filter(unidentified_count__gt=0)
        never = Q(named_count=0, bare_count=models.F("unidentified_count"))
        return events.filter(never) if unnamed else events.exclude(never)


class Event(TimeStampedModel):
    class Kind(models.TextChoices):
        REMARKS = "remarks", "Remarks"
        PRESS_BRIEFING = "press_briefing", "Press briefing"
        JOINT_PRESS = "joint_press", "Joint press availability"
        INTERVIEW = "interview", "Interview"
        SPEECH = "speech", "Speech"
        BACKGROUND_BRIEFING = "background_briefing", "Background briefing"
        OTHER = "other", "Other"

    title = models.CharField(max_length=500, help_text="The title as printed on the transcript.")
    slug = models.SlugField(
        max_length=120, unique=True, help_text="Used in the event's URL; never changes once published."
    )
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.OTHER)
    date = models.DateField(
        null=True, blank=True, db_index=True, help_text="When the event took place; empty when no source states it."
    )
    year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        db_index=True,
        help_text="The year, also when only the year is known (e.g. a UN General Debate session).",
    )
    time = models.CharField(max_length=50, blank=True, help_text="Time as printed, e.g. “2:02 p.m. EDT”.")
    city = models.CharField(max_length=120, blank=True)
    country = models.CharField(max_length=120, blank=True)
    venue = models.CharField(max_length=300, blank=True, help_text="Room or building, e.g. “Treaty Room”.")
    collection = models.CharField(
        max_length=200, blank=True, help_text="Where the transcript comes from, e.g. “U.S. Department of State”."
    )
    source_url = models.URLField(max_length=500, blank=True)
    source_ref = models.CharField(
        max_length=100, blank=True, help_text="The publisher's own reference, e.g. “2013/T05-02” for PRN: 2013/T05-02."
    )
    source_key = models.CharField(
        max_length=500,
        unique=True,
        help_text="What identifies the source document across re-ingests: its URL when known, else its file name.",
    )
    source_file = models.CharField(max_length=500, blank=True, help_text="File name the transcript was read from.")
    checksum = models.CharField(max_length=64, blank=True, help_text="SHA-256 of the source file as last ingested.")
    header_text = models.TextField(blank=True, help_text="Everything before the first turn, exactly as printed.")
    trailer_text = models.TextField(blank=True, help_text="Everything after the last turn, exactly as printed.")
    participants = models.ManyToManyField(Speaker, through="Participation", related_name="events", blank=True)
    published = models.BooleanField(default=True, help_text="Unpublished events are hidden from the public site.")
    ingest_notes = models.TextField(
        blank=True, help_text="Warnings from the last ingest (e.g. the file was not UTF-8)."
    )
    ingested_at = models.DateTimeField(null=True, blank=True, editable=False)
    edited_since_ingest = models.BooleanField(
        default=False,
        help_text="Set when an archivist changes this event or its turns; re-ingesting the file "
        "then needs --force so that the edits are not overwritten.",
    )

    objects = EventQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = [models.F("date").desc(nulls_last=True), "title"]

    def __str__(self):
        return f"{self.title} ({self.date_display})"

    def get_absolute_url(self):
        return reverse("archive:event_detail", kwargs={"slug": self.slug})

    @property
    def date_display(self):
        if self.date:
            return self.date.strftime("%B %-d, %Y")
        if self.year:
            return str(self.year)
        return "undated"

    @property
    def place(self):
        return ", ".join(part for part in (self.city, self.country) if part)


class Participation(models.Model):
    class Role(models.TextChoices):
        PRINCIPAL = "principal", "Principal"
        COUNTERPART = "counterpart", "Counterpart"
        MODERATOR = "moderator", "Moderator"
        PARTICIPANT = "participant", "Participant"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participations")
    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="participations")
    role = models.CharField(max_length=20, choices=Role.choices)
    title = models.CharField(max_length=300, blank=True, help_text="The speaker's title in this event, as printed.")
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in which the source lists them.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "position"]
        constraints = [
            models.UniqueConstraint(fields=["event", "speaker"], name="one_participation_per_speaker"),
        ]

    def __str__(self):
        return f"{self.speaker} ({self.get_role_display()}) at {self.event.title}"

    def get_absolute_url(self):
        return self.event.get_absolute_url()


class TurnQuerySet(models.QuerySet):
    def published(self):
        return self.filter(event__published=True)

    def by_speaker(self, speaker):
        return self.filter(speaker=speaker)

    def in_order(self):
        return self.order_by("event", "sequence")

    def questions(self):
        return self.filter(kind=Turn.Kind.QUESTION)

    def unresolved(self):
        """Turns whose printed label is not yet tied to a speaker: the archivists' queue."""
        return self.filter(speaker__isnull=True).exclude(label="")

    def unidentified_questions(self):
        """Questions whose journalist the transcript does not name."""
        return self.questions().filter(
            Q(speaker__isnull=True) | Q(speaker__name=UNIDENTIFIED_JOURNALIST, speaker__event__isnull=False)
        )

    def for_review(self):
        """The archivists' review queue of turns: unresolved labels and unidentified questions."""
        return self.unresolved() | self.unidentified_questions()


class Turn(models.Model):
    class Kind(models.TextChoices):
        STATEMENT = "statement", "Statement"
        QUESTION = "question", "Question"
        ANSWER = "answer", "Answer"
        MODERATOR = "moderator", "Moderator"
        STAGE_DIRECTION = "stage_direction", "Stage direction"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="turns")
    sequence = models.PositiveIntegerField(help_text="Position in the transcript, from 1.")
    speaker = models.ForeignKey(
        Speaker,
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="turns",
        help_text="Empty when the label could not be tied to a speaker safely.",
    )
    label = models.CharField(
        max_length=200, blank=True, help_text="The speaker label exactly as printed (e.g. “MR. PRICE”); empty if none."
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.STATEMENT)
    text = models.TextField(help_text="The words exactly as printed, stage directions included.")
    language_note = models.CharField(
        max_length=200, blank=True, help_text="E.g. “(In Russian.)” or “(As interpreted.)”."
    )
    in_reply_to = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replies",
        help_text="For an answer: the question it answers.",
    )
    public_id = models.CharField(
        max_length=16,
        unique=True,
        default=new_public_id,
        editable=False,
        help_text="Permanent id used in permalinks; kept when a corrected transcript is re-ingested.",
    )

    objects = TurnQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["event", "sequence"], name="unique_turn_sequence_per_event"),
        ]

    def __str__(self):
        who = self.label or (self.speaker.name if self.speaker_id else self.get_kind_display())
        return f"{who} #{self.sequence} in {self.event.title}"

    def get_absolute_url(self):
        return reverse("archive:turn_permalink", kwargs={"public_id": self.public_id})

    @property
    def anchor(self):
        return f"t-{self.public_id}"


class ReviewMark(models.Model):
    """An item of the archivists' review queue (see archive.review) that an archivist checked and
    found nothing more to do with: it leaves the queue until the mark is removed. Marks and their
    removal are kept in the history with who and why."""

    kind = models.CharField(max_length=40, help_text="The kind of problem (archive.review), e.g. “undated”.")
    object_id = models.BigIntegerField(help_text="Primary key of the event or turn checked.")
    note = models.CharField(max_length=300, blank=True, help_text="What was checked, e.g. “no date in any source”.")
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="review_marks"
    )
    checked_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-checked_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="one_mark_per_item_and_kind")]

    def __str__(self):
        return f"{self.kind} #{self.object_id} checked"

    def get_absolute_url(self):
        return reverse("admin:archive_reviewmark_change", args=[self.pk])


class IndexTask(models.Model):
    """A change the search index has yet to take in, written in the same transaction as the
    change itself, so that no edit is lost when the index is busy; `archive.search` drains them."""

    class Kind(models.TextChoices):
        EVENT = "event", "Event and all its turns"
        TURN = "turn", "One turn"
        SPEAKER = "speaker", "All turns of a speaker"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_id = models.BigIntegerField(help_text="Primary key of the event, turn or speaker.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["kind", "object_id"])]

    def __str__(self):
        return f"reindex {self.kind} {self.object_id}"

    def get_absolute_url(self):
        return reverse("admin:archive_indextask_change", args=[self.pk])


# The people registry's rows live in their own module; imported here so that Django finds them.
from archive.registry.models import Membership, Organization, Person, Post  # noqa: E402, F401
