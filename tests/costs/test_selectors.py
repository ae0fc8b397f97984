"""The figures of Relatórios > Custos for a small month, exact (costs_report)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from creditcheck.analysis.models import CreditQuery
from creditcheck.core.models import Branch
from creditcheck.costs.selectors import NegativationFigures, costs_report
from tests.costs.conftest import MARCH

pytestmark = pytest.mark.django_db


def test_costs_report_month_figures_exact(
    month_data: dict[str, object], branch: Branch, other_branch: Branch
) -> None:
    report = costs_report(month=MARCH, branches=Branch.objects.all())

    assert (report.month, report.count, report.cost) == (MARCH, 5, Decimal("52.50"))
    assert (report.avoided, report.saved) == (3, Decimal("33.00"))
    days = {row.day.day: (row.count, row.cost) for row in report.per_day if row.count}
    assert len(report.per_day) == 31
    assert days == {2: (2, Decimal("25.00")), 10: (2, Decimal("19.50")), 31: (1, Decimal("8.00"))}

    bh, sp = report.per_branch  # ordered by name: Belo Horizonte, São Paulo
    assert (bh.name, bh.count, bh.cost, bh.avoided, bh.saved) == (
        "Filial Belo Horizonte",
        1,
        Decimal("8.00"),
        1,
        Decimal("8.00"),
    )
    assert (bh.budget.limit, bh.budget.ratio, bh.budget.warning, bh.budget.blocked) == (
        Decimal("100.00"),
        Decimal("0.0800"),
        False,
        False,
    )
    assert (sp.name, sp.count, sp.cost, sp.avoided, sp.saved) == (
        "Filial São Paulo",
        4,
        Decimal("44.50"),
        2,
        Decimal("25.00"),
    )
    assert (sp.budget.limit, sp.budget.percent, sp.budget.warning, sp.budget.blocked) == (
        Decimal("50.00"),
        89,
        True,
        False,
    )
    assert [(r.key, r.label, r.count, r.cost) for r in report.per_platform] == [
        ("spcbrasil", "SPC Brasil", 4, Decimal("45.50")),
        ("soawebservice", "SOAWebService", 1, Decimal("7.00")),
    ]
    ana, bia = month_data["ana"], month_data["bia"]
    assert isinstance(ana, User) and isinstance(bia, User)
    assert [(r.key, r.label, r.count, r.cost) for r in report.per_user] == [
        (str(ana.pk), "Ana Lima", 4, Decimal("44.50")),
        (str(bia.pk), "bia", 1, Decimal("8.00")),
    ]
    assert [(r.label, r.count, r.cost) for r in report.per_product] == [
        ("257", 4, Decimal("45.50")),
        ("(padrão)", 1, Decimal("7.00")),
    ]
    assert report.negativations == NegativationFigures(
        active=2, removed=2, deadlines_met=1, deadlines_missed=1, overdue=1
    )


def test_costs_report_one_branch_only_its_figures(
    month_data: dict[str, object], other_branch: Branch
) -> None:
    report = costs_report(month=MARCH, branches=Branch.objects.filter(pk=other_branch.pk))

    assert (report.count, report.cost, report.avoided, report.saved) == (
        1,
        Decimal("8.00"),
        1,
        Decimal("8.00"),
    )
    assert [row.name for row in report.per_branch] == ["Filial Belo Horizonte"]
    assert report.negativations == NegativationFigures(
        active=0, removed=0, deadlines_met=0, deadlines_missed=0, overdue=1
    )


def test_costs_report_runs_a_fixed_number_of_queries(
    month_data: dict[str, object], django_assert_num_queries: Callable[..., object]
) -> None:
    # branches, 3 groupings of the month's usage, budgets, user names, negativações: the same
    # for 5 rows as for 5 million.
    with django_assert_num_queries(7):  # type: ignore[attr-defined]
        costs_report(month=MARCH, branches=Branch.objects.all())


def test_costs_report_counts_uncertain_billing_apart(
    uncertain_in_march: CreditQuery, branch: Branch
) -> None:
    report = costs_report(month=MARCH, branches=Branch.objects.all())

    # Sent (it counts as a query), but not spent: its cost is uncertain.
    assert (report.count, report.cost) == (6, Decimal("52.50"))
    assert (report.uncertain, report.uncertain_cost) == (1, Decimal("12.50"))
    _bh, sp = report.per_branch
    assert (sp.count, sp.cost, sp.uncertain, sp.uncertain_cost) == (
        5,
        Decimal("44.50"),
        1,
        Decimal("12.50"),
    )
    # The budget holds it: 44,50 spent + 12,50 uncertain of 50,00.
    assert (sp.budget.spent, sp.budget.uncertain, sp.budget.percent, sp.budget.blocked) == (
        Decimal("44.50"),
        Decimal("12.50"),
        114,
        True,
    )
