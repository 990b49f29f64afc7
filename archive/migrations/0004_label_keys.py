"""Stored alias keys recomputed with the one label key the parser and the models now share
(`archive.parser.label_key`): `Mr. O'Brien` and `[INAUDIBLE]` used to get other keys here than
in the parser."""

from django.db import migrations, models


def recompute_keys(apps, schema_editor):
    from archive.parser import label_key

    SpeakerAlias = apps.get_model("archive", "SpeakerAlias")
    for alias in SpeakerAlias.objects.all().only("pk", "label", "key", "speaker_id"):
        key = label_key(alias.label)
        if key == alias.key:
            continue
        if SpeakerAlias.objects.filter(speaker_id=alias.speaker_id, key=key).exclude(pk=alias.pk).exists():
            alias.delete()  # two labels of one speaker that now agree: one alias is enough
        else:
            SpeakerAlias.objects.filter(pk=alias.pk).update(key=key)


class Migration(migrations.Migration):
    dependencies = [("archive", "0003_history")]

    operations = [
        migrations.AlterField(
            model_name="speakeralias",
            name="key",
            field=models.CharField(
                db_index=True,
                editable=False,
                help_text="Upper case, without punctuation or accents: how labels are matched (archive.parser.label_key).",
                max_length=200,
            ),
        ),
        migrations.AlterField(
            model_name="historicalspeakeralias",
            name="key",
            field=models.CharField(
                db_index=True,
                editable=False,
                help_text="Upper case, without punctuation or accents: how labels are matched (archive.parser.label_key).",
                max_length=200,
            ),
        ),
        migrations.RunPython(recompute_keys, migrations.RunPython.noop),
    ]
