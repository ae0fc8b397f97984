# The platform choices come from providers.registry when used, no longer frozen here: adding a
# platform to the registry needs no migration.

import providers.registry
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("integrations", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="branchintegration",
            name="platform",
            field=models.CharField(
                choices=providers.registry.choices, max_length=20, verbose_name="plataforma"
            ),
        ),
    ]
