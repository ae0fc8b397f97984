"""Formerly: Administrador may read the audit trail and export personal data (LGPD).

The role → permission grants live in creditcheck/core/roles.py, applied after every migrate
(post_migrate); this migration stays, doing nothing, for the databases that applied it.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("core", "0004_auditentry_export_personal_data_permission")]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
