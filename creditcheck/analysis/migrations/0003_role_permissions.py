"""Data migration: grant the credit-query and integration permissions to the four roles."""

from django.apps.registry import Apps
from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

QUERY = ["analysis.request_creditquery", "analysis.view_creditquery"]
CONFIGURE = [
    "integrations.view_creditanalysissettings",
    "integrations.change_creditanalysissettings",
    "integrations.view_branchintegration",
    "integrations.add_branchintegration",
    "integrations.change_branchintegration",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    "Atendente": QUERY,
    "Vendedor": QUERY,
    "Financeiro": QUERY,
    "Administrador": [*QUERY, "analysis.override_requery_interval", *CONFIGURE],
}


def _permission(apps: Apps, dotted: str) -> object:
    app_label, codename = dotted.split(".")
    return apps.get_model("auth", "Permission").objects.get(
        content_type__app_label=app_label, codename=codename
    )


def grant(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    group_model = apps.get_model("auth", "Group")
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=role)
        group.permissions.add(*[_permission(apps, p) for p in perms])


def revoke(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    group_model = apps.get_model("auth", "Group")
    for role, perms in ROLE_PERMISSIONS.items():
        group = group_model.objects.filter(name=role).first()
        if group is not None:
            group.permissions.remove(*[_permission(apps, p) for p in perms])


class Migration(migrations.Migration):
    dependencies = [
        ("analysis", "0002_initial"),
        ("integrations", "0001_initial"),
        ("core", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
