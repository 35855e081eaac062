"""Seed the sources of rules2.md §6 (data, not code: a district may add or retire its own)."""

from django.db import migrations

SOURCES = (
    ("org_life_meeting", "组织生活会"),
    ("appraisal", "民主评议"),
    ("inspection", "巡察"),
    ("supervision", "督查"),
    ("upper_check", "上级检查"),
    ("report_review", "述职评议"),
    ("audit", "审计"),
    ("self_check", "自查"),
    ("mailbox", "信箱/群众意见"),
)


def seed(apps, schema_editor):
    Source = apps.get_model("rectify", "Source")
    for order, (code, name) in enumerate(SOURCES, start=1):
        Source.objects.update_or_create(code=code, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("rectify", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
