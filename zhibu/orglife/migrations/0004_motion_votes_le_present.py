import django.db.models.expressions
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('orglife', '0003_existing_records'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='motion',
            constraint=models.CheckConstraint(condition=models.Q(('present__gte', django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(models.F('votes_for'), '+', models.F('votes_against')), '+', models.F('votes_abstain')), '-', models.F('written_votes')))), name='motion_votes_le_present'),
        ),
    ]
