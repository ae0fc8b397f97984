"""Relatórios > Custos: exact figures of a small month, its screen, CSV and API, and who sees it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.test import Client
from rest_framework.test import APIClient

from creditcheck.analysis.costs import NegativationFigures, costs_report
from creditcheck.analysis.enums import Billed, QueryStatus, RefusalCode, SubjectType
from creditcheck.analysis.models import BranchBudget, CreditQuery
from creditcheck.analysis.usage import usage_rebuild
from creditcheck.core.enums import AuditAction, Role
from creditcheck.core.models import AuditEntry, Branch
from creditcheck.integrations.models import BranchIntegration
from creditcheck.negativation.enums import NegativationStatus
from creditcheck.negativation.models import Negativation
from tests.factories import InvoiceFactory

SP = ZoneInfo("America/Sao_Paulo")
MARCH = dt.date(2026, 3, 1)

pytestmark = pytest.mark.django_db


def at(day: int, hour: int = 10, month: int = 3) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, 0, tzinfo=SP)


def integration_of(branch: Branch, cost: str) -> BranchIntegration:
    return BranchIntegration.objects.create(
        branch=branch,
        platform="spcbrasil",
        base_url="http://127.0.0.1:9/",
        cost_per_query=Decimal(cost),
        is_default=True,
    )


def stored_query(
    *,
    branch: Branch,
    user: User,
    created_at: dt.datetime,
    cost: str = "0.00",
    status: QueryStatus = QueryStatus.SUCCEEDED,
    refusal_code: str = "",
    platform: str = "spcbrasil",
    product: str = "257",
    integration: BranchIntegration | None = None,
) -> CreditQuery:
    query = CreditQuery.objects.create(
        subject_type=SubjectType.DOCUMENT,
        document="52998224725",
        branch=branch,
        integration=integration,
        user=user,
        platform=platform,
        product=product,
        status=status,
        refusal_code=refusal_code,
        billed=Billed.YES if Decimal(cost) else Billed.NO,
        cost=Decimal(cost),
    )
    # created_at is auto_now_add: the month's dates are set after the insert.
    CreditQuery.objects.filter(pk=query.pk).update(created_at=created_at)
    return query


def stored_negativation(
    branch: Branch,
    integration: BranchIntegration,
    status: NegativationStatus,
    *,
    deadline: dt.date | None = None,
    removed_at: dt.datetime | None = None,
) -> Negativation:
    invoice = InvoiceFactory.create(contract__customer__branch=branch)
    return Negativation.objects.create(
        invoice=invoice,
        customer=invoice.contract.customer,
        branch=branch,
        integration=integration,
        platform="spcbrasil",
        status=status,
        document=invoice.contract.customer.document,
        amount=Decimal("99.90"),
        due_date=dt.date(2026, 1, 10),
        removal_deadline=deadline,
        removed_at=removed_at,
    )


@pytest.fixture
def month_data(
    branch: Branch, other_branch: Branch, make_user: Callable[..., User]
) -> dict[str, object]:
    """March 2026: 4 sent queries in São Paulo, 1 in Belo Horizonte, refusals, other months."""
    ana = make_user(Role.ATTENDANT, [branch], username="ana", first_name="Ana", last_name="Lima")
    bia = make_user(Role.ATTENDANT, [other_branch], username="bia", first_name="", last_name="")
    sp = integration_of(branch, "12.50")
    bh = integration_of(other_branch, "8.00")
    stored_query(branch=branch, user=ana, created_at=at(2), cost="12.50", integration=sp)
    stored_query(branch=branch, user=ana, created_at=at(2, 15), cost="12.50", integration=sp)
    stored_query(
        branch=branch,
        user=ana,
        created_at=at(10),
        cost="7.00",
        platform="soawebservice",
        product="",
        integration=sp,
    )
    # Failed but billed: it costs and counts.
    stored_query(
        branch=branch,
        user=ana,
        created_at=at(10, 11),
        cost="12.50",
        status=QueryStatus.FAILED,
        integration=sp,
    )
    # 23:00 on 31/03 in São Paulo is already April in UTC: still March here.
    stored_query(branch=other_branch, user=bia, created_at=at(31, 23), cost="8.00", integration=bh)
    # Refused by the interval: avoided, each saving its integration's cost per query.
    for day in (3, 4):
        stored_query(
            branch=branch,
            user=ana,
            created_at=at(day),
            status=QueryStatus.REFUSED,
            refusal_code=RefusalCode.REQUERY_INTERVAL,
            integration=sp,
        )
    stored_query(
        branch=other_branch,
        user=bia,
        created_at=at(5),
        status=QueryStatus.REFUSED,
        refusal_code=RefusalCode.REQUERY_INTERVAL,
        integration=bh,
    )
    # Refused for another reason: neither a query nor an avoided one.
    stored_query(
        branch=branch,
        user=ana,
        created_at=at(6),
        status=QueryStatus.REFUSED,
        refusal_code=RefusalCode.INVALID_DOCUMENT,
    )
    # Other months stay out.
    stored_query(branch=branch, user=ana, created_at=at(28, month=2), cost="12.50")
    stored_query(branch=branch, user=ana, created_at=at(1, 0, month=4), cost="12.50")

    BranchBudget.objects.create(branch=branch, monthly_amount=Decimal("50.00"))
    # Rows stored directly (with their dates rewritten), not through the query service: the
    # daily usage figures are computed from them, as `usage_rebuild` does after an upgrade.
    usage_rebuild()
    BranchBudget.objects.create(branch=other_branch, monthly_amount=Decimal("100.00"))

    stored_negativation(branch, sp, NegativationStatus.ACTIVE)
    stored_negativation(branch, sp, NegativationStatus.SENT)
    stored_negativation(
        branch,
        sp,
        NegativationStatus.REMOVED,
        deadline=dt.date(2026, 3, 10),
        removed_at=at(10, 22),  # on the deadline's day, late evening: met
    )
    stored_negativation(
        branch,
        sp,
        NegativationStatus.REMOVED,
        deadline=dt.date(2026, 3, 10),
        removed_at=at(11, 9),
    )
    stored_negativation(
        other_branch,
        bh,
        NegativationStatus.REMOVED,
        deadline=dt.date(2026, 2, 20),
        removed_at=at(18, month=2),  # removed in February: not this month's
    )
    stored_negativation(
        other_branch, bh, NegativationStatus.REMOVAL_REQUESTED, deadline=dt.date(2026, 1, 5)
    )
    return {"ana": ana, "bia": bia}


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
    assert {k: body[k] for k in ("month", "count", "cost", "avoided", "saved")} == {
        "month": "2026-03",
        "count": 1,
        "cost": "8.00",
        "avoided": 1,
        "saved": "8.00",
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
                "ratio": "0.0800",
                "warning": False,
                "blocked": False,
            },
            "avoided": 1,
            "saved": "8.00",
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


def test_costs_screen_shows_figures_and_warning(
    month_data: dict[str, object], client: Client, financial: User
) -> None:
    client.force_login(financial)

    response = client.get("/relatorios/custos/", {"month": "2026-03"})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="total-cost">R$ 44,50<' in html
    assert "Filial São Paulo: 80% do orçamento mensal da filial utilizado." in html
    assert "Filial Belo Horizonte" not in html
    assert 'data-testid="neg-met">1<' in html
    assert html.count("<rect ") == 31
    # Financeiro sees costs but does not change budgets.
    assert 'data-testid="budget-form"' not in html


def test_costs_screen_without_view_costs_forbidden(client: Client, attendant: User) -> None:
    client.force_login(attendant)

    assert client.get("/relatorios/custos/").status_code == 403
    assert client.get("/relatorios/custos/exportar.csv").status_code == 403


def test_costs_csv_same_figures_and_audited(
    month_data: dict[str, object], client: Client, administrator: User
) -> None:
    client.force_login(administrator)

    response = client.get("/relatorios/custos/exportar.csv", {"month": "2026-03"})

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="custos-2026-03.csv"'
    lines = response.getvalue().decode("utf-8").splitlines()  # streamed
    assert lines[0] == (
        "\ufeffSeção;Item;Consultas;Valor (R$);Orçamento (R$);Uso do orçamento (%);"
        "Situação do orçamento;Consultas evitadas;Economia (R$)"
    )
    assert lines[1:4] == [
        "Total;Consultas realizadas;5;52,50;;;;3;33,00",
        "Filial;Filial Belo Horizonte;1;8,00;100,00;8;;1;8,00",
        "Filial;Filial São Paulo;4;44,50;50,00;89;Alerta (80%);2;25,00",
    ]
    assert "Plataforma;SOAWebService;1;7,00" in lines
    assert "Usuário;Ana Lima;4;44,50" in lines
    assert "Produto;(padrão);1;7,00" in lines
    assert "Dia;02/03/2026;2;25,00" in lines
    assert "Dia;01/03/2026;0;0,00" in lines
    assert lines[-5:] == [
        "Negativações;Ativas;2;",
        "Negativações;Baixadas no mês;2;",
        "Negativações;Baixas dentro do prazo;1;",
        "Negativações;Baixas fora do prazo;1;",
        "Negativações;Baixas solicitadas com prazo vencido;1;",
    ]
    entry = AuditEntry.objects.filter(action=AuditAction.REPORT_DOWNLOAD).get()
    assert (entry.user, entry.details["month"]) == (administrator, "2026-03")
