"""Data migration: the cost of the sent queries whose billing is unknown leaves `cost` for
`uncertain_cost` in the usage rows already stored (until now it counted as billed)."""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.models import Count, F, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

KEY = ("day", "branch_id", "platform", "product", "user_id")


def forwards(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    query_model = apps.get_model("analysis", "CreditQuery")
    usage_model = apps.get_model("costs", "QueryUsageDaily")
    unknown = (
        query_model.objects.filter(
            billed="unknown", status__in=["succeeded", "failed"], shared_from__isnull=True
        )
        .order_by()
        .annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .values(*KEY)
        .annotate(n=Count("id"), total=Sum("cost"))
    )
    for row in unknown:
        usage_model.objects.filter(**{name: row[name] for name in KEY}).update(
            cost=F("cost") - row["total"],
            uncertain=F("uncertain") + row["n"],
            uncertain_cost=F("uncertain_cost") + row["total"],
        )


def backwards(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    usage_model = apps.get_model("costs", "QueryUsageDaily")
    usage_model.objects.filter(uncertain__gt=0).update(
        cost=F("cost") + F("uncertain_cost"), uncertain=0, uncertain_cost=0
    )


class Migration(migrations.Migration):
    dependencies = [
        ("costs", "0003_usage_uncertain_billing"),
        ("analysis", "0009_costs_models_moved_to_costs_app"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
