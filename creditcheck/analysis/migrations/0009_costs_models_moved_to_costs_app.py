"""BranchBudget and QueryUsageDaily now belong to the costs app (costs 0001): they leave the
analysis app's picture of the models only; their tables and rows stay as they are."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("analysis", "0008_credit_query_shared_from"),
        ("costs", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="BranchBudget"),
                migrations.DeleteModel(name="QueryUsageDaily"),
            ],
            database_operations=[],
        )
    ]
