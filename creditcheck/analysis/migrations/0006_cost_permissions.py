"""Data migration: who sees Relatórios > Custos and who changes the branches' budgets."""

from django.apps.registry import Apps
from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

VIEW_COSTS = "analysis.view_costs"
CHANGE_BUDGET = "analysis.change_branchbudget"

ROLE_PERMISSIONS: dict[str, list[str]] = {
    "Financeiro": [VIEW_COSTS],
    "Administrador": [VIEW_COSTS, CHANGE_BUDGET],
}


def _permission(apps: Apps, dotted: str) -> object:
    app_label, codename = dotted.split(".")
    return apps.get_model("auth", "Permission").objects.get(
        content_type__app_label=app_label, codename=codename
    )


def grant(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    # Permissions of a model created in this same migrate run do not exist yet otherwise.
    app_config = apps.get_app_config("analysis")
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
    dependencies = [("analysis", "0005_branch_budget_and_budget_refusal")]

    operations = [migrations.RunPython(grant, revoke)]
