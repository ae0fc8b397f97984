"""Data migration: who settles the billing of a query the platform left uncertain."""

from django.apps.registry import Apps
from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

ROLES = ("Financeiro", "Administrador")
CODENAME = "settle_query_billing"


def _permission(apps: Apps) -> object:
    return apps.get_model("auth", "Permission").objects.get(
        content_type__app_label="analysis", codename=CODENAME
    )


def grant(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    # A permission declared in this same migrate run does not exist yet otherwise.
    app_config = apps.get_app_config("analysis")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    group_model = apps.get_model("auth", "Group")
    for role in ROLES:
        group, _ = group_model.objects.get_or_create(name=role)
        group.permissions.add(_permission(apps))


def revoke(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    group_model = apps.get_model("auth", "Group")
    for role in ROLES:
        group = group_model.objects.filter(name=role).first()
        if group is not None:
            group.permissions.remove(_permission(apps))


class Migration(migrations.Migration):
    dependencies = [("analysis", "0010_inflight_budget_index_and_settle_permission")]

    operations = [migrations.RunPython(grant, revoke)]
