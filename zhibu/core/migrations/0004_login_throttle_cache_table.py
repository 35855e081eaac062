from django.core.management import call_command
from django.db import migrations, models


def create_cache_table(apps, schema_editor):
    # The default cache is Django's database cache (settings.CACHES): `migrate` creates its table,
    # so no deployment step can forget `createcachetable`. Idempotent.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_submission_keys")]

    operations = [
        migrations.CreateModel(
            name="LoginThrottle",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.CharField(max_length=100, unique=True)),
                ("count", models.IntegerField(default=0)),
                ("window_end", models.BigIntegerField()),
            ],
        ),
        migrations.RunPython(create_cache_table, migrations.RunPython.noop),
    ]
