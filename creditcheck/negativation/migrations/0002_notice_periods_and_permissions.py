"""Data migration: default notice periods (SP 20 days, Lei SP 15.659/2015) and role permissions."""

from django.apps.registry import Apps
from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

NOTICE_DAYS = {"SP": 20}
ROLE_PERMISSIONS: dict[str, list[str]] = {
    "Financeiro": ["include_negativation", "remove_negativation", "view_negativation"],
    "Administrador": [
        "include_negativation", "remove_negativation", "view_negativation",
        "view_branchnegativationsettings", "change_branchnegativationsettings",
        "add_branchnegativationsettings", "view_noticeperiod", "change_noticeperiod",
        "add_noticeperiod", "delete_noticeperiod",
    ],
    "Atendente": ["view_negativation"],
}


def forward(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    notice = apps.get_model("negativation", "NoticePeriod")
    for state, days in NOTICE_DAYS.items():
        notice.objects.get_or_create(state=state, defaults={"days": days})
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    permission = apps.get_model("auth", "Permission")
    group_model = apps.get_model("auth", "Group")
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=role)
        group.permissions.add(*permission.objects.filter(
            content_type__app_label="negativation", codename__in=codenames))


def backward(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    apps.get_model("negativation", "NoticePeriod").objects.filter(state__in=NOTICE_DAYS).delete()
    permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLE_PERMISSIONS.items():
        group = apps.get_model("auth", "Group").objects.filter(name=role).first()
        if group is not None:
            group.permissions.remove(*permission.objects.filter(
                content_type__app_label="negativation", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [("negativation", "0001_initial"), ("core", "0002_roles")]

    operations = [migrations.RunPython(forward, backward)]
