"""The one-customer-per-document-and-branch constraint arrives on a database that may hold
duplicates saved before the rule: the migration names them and stops, deleting nothing."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import BranchFactory

BEFORE = ("customers", "0001_initial")
AFTER = ("customers", "0002_one_customer_per_document_and_branch")

pytestmark = pytest.mark.django_db(transaction=True)


def migrate(target: tuple[str, str]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])
    return executor


def migrate_to_latest() -> None:
    # Back to every app's latest migration, not only AFTER: later migrations of customers
    # (and of apps that depend on it) were unapplied by going back to BEFORE, and the tests
    # that run next in this process share the database.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_migration_stops_on_duplicates_and_applies_once_they_are_merged() -> None:
    branch = BranchFactory.create()
    try:
        old = migrate(BEFORE).loader.project_state([BEFORE]).apps.get_model("customers", "Customer")
        fields = {
            "person_type": "F",
            "cep": "01310100",
            "street": "Avenida Paulista",
            "number": "1",
            "district": "Bela Vista",
            "city": "São Paulo",
            "state": "SP",
            "branch_id": branch.pk,
        }
        first = old.objects.create(name="Maria", document="52998224725", **fields)
        second = old.objects.create(name="Maria S.", document="52998224725", **fields)

        with pytest.raises(RuntimeError) as stopped:
            migrate(AFTER)

        assert f"Customer ids: [[{first.pk}, {second.pk}]]" in str(stopped.value)
        assert old.objects.count() == 2
        second.delete()
        migrate(AFTER)
        assert old.objects.count() == 1
    finally:
        migrate_to_latest()
