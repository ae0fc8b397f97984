"""Formerly: the four staff roles as auth groups with model permissions.

The role → permission grants live in creditcheck/core/roles.py, applied after every migrate
(post_migrate); this migration stays, doing nothing, for the databases that applied it.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0001_initial"),
        ("customers", "0001_initial"),
        ("contracts", "0001_initial"),
        ("crm", "0001_initial"),
    ]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
