"""Data migration: Administrador may read the audit trail and export personal data (LGPD)."""

from django.apps.registry import Apps
from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

ADMINISTRATOR_PERMISSIONS = ["view_auditentry", "export_personal_data"]


def _permissions(apps: Apps) -> list[object]:
    permission_model = apps.get_model("auth", "Permission")
    return [
        permission_model.objects.get(content_type__app_label="core", codename=codename)
        for codename in ADMINISTRATOR_PERMISSIONS
    ]


def grant(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    # On a fresh database permissions are only created after all migrations (post_migrate).
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name="Administrador")
    group.permissions.add(*_permissions(apps))


def revoke(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    group = apps.get_model("auth", "Group").objects.filter(name="Administrador").first()
    if group is not None:
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [("core", "0004_auditentry_export_personal_data_permission")]

    operations = [migrations.RunPython(grant, revoke)]
