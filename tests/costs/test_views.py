"""Relatórios > Custos on screen and as CSV, and who may open them."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from creditcheck.analysis.models import CreditQuery
from creditcheck.core.enums import AuditAction
from creditcheck.core.models import AuditEntry
from tests.html import texts_by_testid

pytestmark = pytest.mark.django_db


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
    lines = response.getvalue().decode("utf-8").splitlines()
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


def test_costs_screen_shows_uncertain_billing_apart(
    uncertain_in_march: CreditQuery, client: Client, financial: User
) -> None:
    client.force_login(financial)

    html = client.get("/relatorios/custos/", {"month": "2026-03"}).content.decode()

    assert 'data-testid="total-cost">R$ 44,50<' in html
    assert 'data-testid="total-uncertain-cost">R$ 12,50<' in html
    assert 'data-testid="total-uncertain-count">1<' in html
    assert 'data-testid="branch-uncertain">R$ 12,50 (1)<' in html
    assert (
        "Filial São Paulo: orçamento mensal atingido.</strong> Novas consultas estão bloqueadas "
        "(R$ 57,00 de R$ 50,00, dos quais R$ 12,50 em cobrança incerta)."
    ) in html


def test_costs_month_filter_defaults_to_the_current_month(client: Client, financial: User) -> None:
    from creditcheck.costs.budgets import current_month

    client.force_login(financial)

    for params in ({}, {"month": ""}, {"branch": ""}):
        response = client.get("/relatorios/custos/", params)
        html = response.content.decode()
        assert f'name="month" value="{current_month():%Y-%m}"' in html, params


def test_costs_daily_chart_has_axis_values(
    month_data: dict[str, object], client: Client, financial: User
) -> None:
    client.force_login(financial)

    response = client.get("/relatorios/custos/", {"month": "2026-03"})

    labels = texts_by_testid(response, "axis-value")
    assert labels[0] == "0"
    assert len(labels) >= 2
    assert all(label.isdigit() for label in labels)


def test_consultas_and_custos_name_and_agree_on_what_they_count(
    uncertain_in_march: object, client: Client, administrator: User
) -> None:
    client.force_login(administrator)

    costs = client.get("/relatorios/custos/", {"month": "2026-03"})
    queries = client.get(
        "/relatorios/consultas/", {"date_from": "01/03/2026", "date_to": "31/03/2026"}
    )

    def figure(response: object, testid: str) -> str:
        return texts_by_testid(response, testid)[0]

    # March: 5 sent to a platform plus 1 of uncertain billing, 4 refused attempts
    assert figure(costs, "total-count") == figure(queries, "total-count") == "6"
    assert figure(costs, "total-cost") == figure(queries, "total-cost") == "R$ 52,50"
    assert figure(queries, "total-refused") == "4"
    html = queries.content.decode()
    assert "Consultas realizadas" in html and "Tentativas recusadas" in html
    assert "Quantidade de consultas" not in html
