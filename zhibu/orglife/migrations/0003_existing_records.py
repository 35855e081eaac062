from django.db import migrations, models


def forwards(apps, schema_editor):
    """Existing records were made under the old rules: meetings with attendance count as recorded, and
    votes beyond those present (then allowed) are the written opinions of absentees."""
    Meeting = apps.get_model("orglife", "Meeting")
    Motion = apps.get_model("orglife", "Motion")
    Meeting.objects.filter(attendance_recorded_at__isnull=True, attendances__isnull=False).distinct().update(
        attendance_recorded_at=models.F("created_at"))
    for m in Motion.objects.all().only("id", "votes_for", "votes_against", "votes_abstain", "present"):
        extra = m.votes_for + m.votes_against + m.votes_abstain - m.present
        if extra > 0:
            Motion.objects.filter(pk=m.pk).update(written_votes=extra)


class Migration(migrations.Migration):

    dependencies = [
        ('orglife', '0002_scheduled_finalised_written_votes'),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
