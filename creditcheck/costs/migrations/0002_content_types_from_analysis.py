"""Data migration: the content types of the moved models follow them to the costs app.

Their permissions (view_costs, change_branchbudget, ...) hang on those rows, so the groups and
users that held "analysis.view_costs" hold "costs.view_costs" afterwards, with no grant lost.
"""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

MODELS = ("branchbudget", "queryusagedaily")


def _move(apps: Apps, source: str, target: str) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if content_type.objects.filter(app_label=target, model=model).exists():
            continue  # already created for the target (e.g. by an earlier post_migrate)
        content_type.objects.filter(app_label=source, model=model).update(app_label=target)


def forwards(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _move(apps, "analysis", "costs")


def backwards(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _move(apps, "costs", "analysis")


class Migration(migrations.Migration):
    dependencies = [
        ("costs", "0001_initial"),
        ("analysis", "0009_costs_models_moved_to_costs_app"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
