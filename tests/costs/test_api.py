"""GET /api/v1/reports/costs/: the month as JSON, its field errors and who may read it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from creditcheck.analysis.models import CreditQuery
from creditcheck.core.models import Branch

pytestmark = pytest.mark.django_db


def test_costs_api_returns_the_month_as_json(
    month_data: dict[str, object],
    administrator: User,
    other_branch: Branch,
    api_client_for: Callable[[User], APIClient],
) -> None:
    response = api_client_for(administrator).get(
        "/api/v1/reports/costs/", {"month": "2026-03", "branch": str(other_branch.pk)}
    )

    assert response.status_code == 200
    body = response.json()
    bia = month_data["bia"]
    assert isinstance(bia, User)
    totals = ("month", "count", "cost", "avoided", "saved", "uncertain", "uncertain_cost")
    assert {k: body[k] for k in totals} == {
        "month": "2026-03",
        "count": 1,
        "cost": "8.00",
        "avoided": 1,
        "saved": "8.00",
        "uncertain": 0,
        "uncertain_cost": "0.00",
    }
    assert body["per_branch"] == [
        {
            "branch_id": other_branch.pk,
            "name": "Filial Belo Horizonte",
            "count": 1,
            "cost": "8.00",
            "budget": {
                "limit": "100.00",
                "spent": "8.00",
                "uncertain": "0.00",
                "ratio": "0.0800",
                "warning": False,
                "blocked": False,
            },
            "avoided": 1,
            "saved": "8.00",
            "uncertain": 0,
            "uncertain_cost": "0.00",
        }
    ]
    assert body["per_user"] == [{"key": str(bia.pk), "label": "bia", "count": 1, "cost": "8.00"}]
    assert body["per_platform"] == [
        {"key": "spcbrasil", "label": "SPC Brasil", "count": 1, "cost": "8.00"}
    ]
    assert len(body["per_day"]) == 31
    assert body["per_day"][30] == {"day": "2026-03-31", "count": 1, "cost": "8.00"}
    assert body["negativations"] == {
        "active": 0,
        "removed": 0,
        "deadlines_met": 0,
        "deadlines_missed": 0,
        "overdue": 1,
    }


def test_costs_api_bad_month_field_error(
    administrator: User, api_client_for: Callable[[User], APIClient]
) -> None:
    response = api_client_for(administrator).get("/api/v1/reports/costs/", {"month": "2026-13"})

    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid",
        "detail": "Filtros inválidos.",
        "month": ["Informe o mês no formato AAAA-MM."],
    }


def test_costs_api_without_view_costs_forbidden(
    attendant: User, seller: User, api_client_for: Callable[[User], APIClient]
) -> None:
    for user in (attendant, seller):
        response = api_client_for(user).get("/api/v1/reports/costs/")
        assert (response.status_code, response.json()["detail"]) == (
            403,
            "Você não tem permissão para ver custos e uso.",
        )


def test_costs_api_financial_of_branch_a_sees_only_branch_a(
    month_data: dict[str, object],
    financial: User,
    branch: Branch,
    other_branch: Branch,
    api_client_for: Callable[[User], APIClient],
) -> None:
    client = api_client_for(financial)

    own = client.get("/api/v1/reports/costs/", {"month": "2026-03"}).json()
    other = client.get(
        "/api/v1/reports/costs/", {"month": "2026-03", "branch": str(other_branch.pk)}
    )

    assert [row["name"] for row in own["per_branch"]] == ["Filial São Paulo"]
    assert (own["count"], own["cost"], own["avoided"]) == (4, "44.50", 2)
    assert other.status_code == 400
    assert list(other.json()) == ["code", "detail", "branch"]


def test_costs_api_shows_uncertain_billing_apart(
    uncertain_in_march: CreditQuery,
    administrator: User,
    branch: Branch,
    api_client_for: Callable[[User], APIClient],
) -> None:
    response = api_client_for(administrator).get(
        "/api/v1/reports/costs/", {"month": "2026-03", "branch": str(branch.pk)}
    )

    body = response.json()
    assert (body["count"], body["cost"], body["uncertain"], body["uncertain_cost"]) == (
        5,
        "44.50",
        1,
        "12.50",
    )
    [sp] = body["per_branch"]
    assert (sp["uncertain"], sp["uncertain_cost"]) == (1, "12.50")
    assert sp["budget"] == {
        "limit": "50.00",
        "spent": "44.50",
        "uncertain": "12.50",
        "ratio": "1.1400",
        "warning": True,
        "blocked": True,
    }
