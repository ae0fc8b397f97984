"""Formerly: the credit-query and integration permissions of the four roles.

The role → permission grants live in creditcheck/core/roles.py, applied after every migrate
(post_migrate); this migration stays, doing nothing, for the databases that applied it.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("analysis", "0002_initial"),
        ("integrations", "0001_initial"),
        ("core", "0002_roles"),
    ]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
