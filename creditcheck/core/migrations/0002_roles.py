"""Data migration: the four staff roles as auth groups with model permissions.

Later issues add their own permissions to these groups in their own migrations.
"""

from django.apps.registry import Apps
from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

VIEW = ["view"]
EDIT = ["add", "change", "view"]
ALL = ["add", "change", "delete", "view"]

# role -> {"app_label.model": actions}
ROLE_PERMISSIONS: dict[str, dict[str, list[str]]] = {
    "Atendente": {
        "core.branch": VIEW,
        "customers.customer": EDIT,
        "contracts.contract": VIEW,
        "contracts.invoice": VIEW,
        "crm.lead": VIEW,
        "crm.prospect": VIEW,
    },
    "Vendedor": {
        "core.branch": VIEW,
        "customers.customer": ["add", "view"],
        "contracts.contract": VIEW,
        "crm.lead": EDIT,
        "crm.prospect": EDIT,
    },
    "Financeiro": {
        "core.branch": VIEW,
        "customers.customer": VIEW,
        "contracts.contract": ["change", "view"],
        "contracts.invoice": EDIT,
    },
    "Administrador": {
        "core.branch": ALL,
        "customers.customer": ALL,
        "contracts.contract": ALL,
        "contracts.invoice": ALL,
        "crm.lead": ALL,
        "crm.prospect": ALL,
    },
}


def create_roles(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    # On a fresh database permissions are only created after all migrations (post_migrate);
    # create them now so the groups can reference them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for role, models in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=role)
        for label, actions in models.items():
            app_label, model = label.split(".")
            for action in actions:
                group.permissions.add(
                    permission_model.objects.get(
                        content_type__app_label=app_label, codename=f"{action}_{model}"
                    )
                )


def delete_roles(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0001_initial"),
        ("customers", "0001_initial"),
        ("contracts", "0001_initial"),
        ("crm", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, delete_roles)]
