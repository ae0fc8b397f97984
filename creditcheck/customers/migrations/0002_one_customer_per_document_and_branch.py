from typing import Any

from django.db import migrations, models
from django.db.models import Count


def refuse_existing_duplicates(apps: Any, schema_editor: Any) -> None:
    """Before the constraint: a database that already holds two customers with one CPF/CNPJ in
    one branch (saved before the rule existed) must have them merged by hand first. Deleting
    either one would lose its contracts and invoices, so the migration names them and stops."""
    customer = apps.get_model("customers", "Customer")
    pairs = (
        customer.objects.values("branch_id", "document")
        .annotate(count=Count("id"))
        .filter(count__gt=1)
        .order_by("branch_id", "document")
    )
    duplicates = [
        sorted(
            customer.objects.filter(
                branch_id=pair["branch_id"], document=pair["document"]
            ).values_list("id", flat=True)
        )
        for pair in pairs[:20]
    ]
    if duplicates:
        raise RuntimeError(
            "Customers share a CPF/CNPJ inside one branch; merge each group (move contracts to "
            f"one record, delete the other) and migrate again. Customer ids: {duplicates}"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0007_sign_in_lock_audit_and_unlock_permission"),
        ("customers", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(refuse_existing_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="customer",
            constraint=models.UniqueConstraint(
                fields=("branch", "document"), name="customer_one_per_document_and_branch"
            ),
        ),
    ]
