"""Data migration: default notice periods (SP 20 days, Lei SP 15.659/2015).

It also granted the negativação permissions to the roles; those grants now live in
creditcheck/core/roles.py, applied after every migrate (post_migrate).
"""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

NOTICE_DAYS = {"SP": 20}


def forward(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    notice = apps.get_model("negativation", "NoticePeriod")
    for state, days in NOTICE_DAYS.items():
        notice.objects.get_or_create(state=state, defaults={"days": days})


def backward(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    apps.get_model("negativation", "NoticePeriod").objects.filter(state__in=NOTICE_DAYS).delete()


class Migration(migrations.Migration):
    dependencies = [("negativation", "0001_initial"), ("core", "0002_roles")]

    operations = [migrations.RunPython(forward, backward)]
