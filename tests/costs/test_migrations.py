"""The budgets and usage tables move from the analysis app to costs without losing a row or a
grant, and the stored usage rows count uncertain billing apart: a database at the schema before
the move (analysis 0008) migrates to the latest one.

Runs on the engine of the suite (SQLite, and PostgreSQL with DATABASE_URL).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from creditcheck.core.models import Branch
from creditcheck.costs.models import BranchBudget, QueryUsageDaily
from tests.factories import BranchFactory, UserFactory

ANALYSIS_BEFORE = ("analysis", "0008_credit_query_shared_from")
BEFORE_THE_MOVE: list[tuple[str, str | None]] = [ANALYSIS_BEFORE, ("costs", None)]

pytestmark = pytest.mark.django_db(transaction=True)


def migrate(targets: list[tuple[str, str | None]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def latest() -> list[tuple[str, str | None]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def test_costs_tables_move_with_their_rows_and_grants() -> None:
    branch = BranchFactory.create(name="Filial Migrada")
    user = UserFactory.create(username="migrada")
    latest_nodes = latest()
    try:
        executor = migrate(BEFORE_THE_MOVE)
        old = executor.loader.project_state([ANALYSIS_BEFORE]).apps
        old_budget = old.get_model("analysis", "BranchBudget")
        old_usage = old.get_model("analysis", "QueryUsageDaily")
        old_budget.objects.create(branch_id=branch.pk, monthly_amount=Decimal("300.00"))
        # Three queries billed and one whose billing the platform left unknown, counted as
        # billed before (R$ 12,50 of the R$ 50,00).
        old.get_model("analysis", "CreditQuery").objects.create(
            subject_type="document",
            document="52998224725",
            branch_id=branch.pk,
            user_id=user.pk,
            platform="spcbrasil",
            status="failed",
            billed="unknown",
            cost=Decimal("12.50"),
        )
        old_usage.objects.create(
            day=timezone.localdate(),
            branch_id=branch.pk,
            platform="spcbrasil",
            product="",
            user_id=user.pk,
            sent=4,
            cost=Decimal("50.00"),
        )
        # Before the move the permission is the analysis app's; the role holds it.
        assert (
            Group.objects.get(name="Financeiro")
            .permissions.filter(content_type__app_label="analysis", codename="view_costs")
            .exists()
        )

        migrate(latest_nodes)

        budget = BranchBudget.objects.get(branch=branch)
        assert budget.monthly_amount == Decimal("300.00")
        usage = QueryUsageDaily.objects.get(branch=branch)
        assert (usage.sent, usage.cost, usage.uncertain, usage.uncertain_cost) == (
            4,
            Decimal("37.50"),
            1,
            Decimal("12.50"),
        )
        financial = Group.objects.get(name="Financeiro")
        assert [
            f"{p.content_type.app_label}.{p.codename}"
            for p in financial.permissions.filter(codename="view_costs")
        ] == ["costs.view_costs"]
        assert not Permission.objects.filter(
            content_type__app_label="analysis", codename__in=["view_costs", "change_branchbudget"]
        ).exists()
        assert Branch.objects.get(pk=branch.pk).budget == budget
    finally:
        migrate(latest_nodes)
