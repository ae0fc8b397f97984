"""Configurações > Política de crédito, the decision on the result screen, in our PDF and in
Relatórios > Consultas."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from creditcheck.analysis.exporters import credit_report_pdf
from creditcheck.analysis.models import CreditQuery
from creditcheck.core.models import Branch
from creditcheck.decisions.models import CreditPolicy, CreditPolicyVersion, CreditReview
from creditcheck.decisions.reviews import review_decide
from tests.decisions.conftest import Run
from tests.decisions.policies import (
    CLEAN_CPF,
    LARGE_RESTRICTIONS_CPF,
    PARTNERS_CNPJ,
    SMALL_RESTRICTION_CPF,
    publish_standard_policy,
)
from tests.security.conftest import pdf_text

pytestmark = pytest.mark.django_db


def client_of(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def policy_post(rules: list[dict[str, str]], **fields: str) -> dict[str, str]:
    data = {
        "enabled": "1",
        "validity_days": "30",
        "max_plan_value": "299,90",
        "comodato": "on",
        "deposit": "",
        "rules-TOTAL_FORMS": str(len(rules) + 1),
        "rules-INITIAL_FORMS": "0",
        "rules-MIN_NUM_FORMS": "0",
        "rules-MAX_NUM_FORMS": "1000",
        **fields,
    }
    for index, rule in enumerate(rules):
        data.update({f"rules-{index}-{name}": value for name, value in rule.items()})
    return data


def test_policy_screen_creates_the_default_and_then_a_new_version(administrator: User) -> None:
    client = client_of(administrator)
    listing = client.get(reverse("decisions:list"))
    assert "Nenhuma política: as consultas não recebem decisão." in listing.content.decode()

    rules = [
        {"kind": "score_below", "action": "negar", "score": "300", "reason": "Score baixo"},
        {"kind": "score_between", "action": "condicionar", "score_min": "600",
         "score_max": "799", "max_plan_value": "129,90", "no_comodato": "on",
         "reason": "Score médio"},
    ]  # fmt: skip
    created = client.post(reverse("decisions:create"), policy_post(rules))
    policy = CreditPolicy.objects.get()
    assert created.status_code == 302
    assert created["Location"] == reverse("decisions:edit", args=[policy.pk])
    assert policy.branch is None
    assert policy.current is not None
    assert [r["reason"] for r in policy.current.rules] == ["Score baixo", "Score médio"]
    assert policy.current.rules[1]["max_plan_value"] == "129.90"

    edited = client.post(
        reverse("decisions:edit", args=[policy.pk]), policy_post(rules, validity_days="15")
    )
    assert edited.status_code == 302
    page = client.get(reverse("decisions:edit", args=[policy.pk])).content.decode()
    assert "Versão 2 em vigor" in page
    assert list(CreditPolicyVersion.objects.values_list("number", "validity_days")) == [
        (2, 15),
        (1, 30),
    ]


def test_policy_screen_bad_rules_show_portuguese_field_errors_and_save_nothing(
    administrator: User,
) -> None:
    rules = [
        {"kind": "score_between", "action": "revisao", "score_min": "700", "score_max": "400",
         "reason": "Faixa"},
        {"kind": "score_below", "action": "negar", "score": "1200", "reason": ""},
    ]  # fmt: skip
    response = client_of(administrator).post(reverse("decisions:create"), policy_post(rules))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Faixa impossível: o score final (400) é menor que o inicial (700)." in page
    assert 'data-field-error="rules-0-score_max"' in page
    assert "O score vai de 0 a 1000 nas plataformas." in page
    assert 'data-field-error="rules-1-reason"' in page
    assert not CreditPolicy.objects.exists()


def test_branch_policy_starts_from_the_company_default(administrator: User, branch: Branch) -> None:
    publish_standard_policy(administrator)
    page = client_of(administrator).get(f"{reverse('decisions:create')}?branch={branch.pk}")
    assert page.context["scope"] == branch.name
    assert page.context["rules"].initial[0]["reason"] == "Score muito baixo"


def test_policy_screens_need_the_permission(attendant: User) -> None:
    client = client_of(attendant)
    assert client.get(reverse("decisions:list")).status_code == 403
    assert client.post(reverse("decisions:create"), policy_post([])).status_code == 403


def test_result_screen_and_pdf_show_the_decision_in_plain_portuguese(
    run_query: Run, attendant: User
) -> None:
    publish_standard_policy()
    partners = run_query(PARTNERS_CNPJ)
    large = run_query(LARGE_RESTRICTIONS_CPF)
    client = client_of(attendant)

    approved = client.get(reverse("analysis:detail", args=[partners.pk])).content.decode()
    denied = client.get(reverse("analysis:detail", args=[large.pk])).content.decode()

    assert "Aprovado para planos até R$ 129,90, sem comodato: score 700 entre 600 e 799" in approved
    assert "Padrão da empresa, versão 1" in approved
    assert (
        "Negado: score 180 abaixo de 300; total das restrições R$ 48.730,00 acima de R$ 5.000,00"
        in denied
    )
    assert "Regra 1 — Score muito baixo: score 180 abaixo de 300" in denied
    text = pdf_text(credit_report_pdf(large, printed_by=attendant))
    assert "Decisãodecrédito:Negado" in text  # pdf_text drops whitespace
    assert "Scoremuitobaixo" in text
    assert "score180abaixode300" in text


def test_report_lists_and_filters_queries_by_decision(run_query: Run, attendant: User) -> None:
    publish_standard_policy()
    clean, mid = run_query(CLEAN_CPF), run_query(SMALL_RESTRICTION_CPF)
    client = client_of(attendant)

    def listed(**params: Any) -> list[int]:
        response = client.get(reverse("analysis:report"), params)
        return [q.pk for q in response.context["page_obj"]]

    assert listed(decision="revisao") == [mid.pk]
    assert listed(decision="aprovado") == [clean.pk]
    assert listed(decision="sem_decisao") == []
    page = client.get(reverse("analysis:report")).content.decode()
    assert 'data-testid="decision-badge">Revisão manual</span>' in page


def test_query_without_policy_shows_no_decision(run_query: Run, attendant: User) -> None:
    query: CreditQuery = run_query(CLEAN_CPF)
    page = client_of(attendant).get(reverse("analysis:detail", args=[query.pk])).content.decode()
    assert 'data-testid="decision"' not in page


def test_report_csv_has_the_decision_in_force_and_its_reasons(
    run_query: Run, attendant: User, financial: User
) -> None:
    publish_standard_policy()
    clean, mid, large = (
        run_query(CLEAN_CPF),
        run_query(SMALL_RESTRICTION_CPF),
        run_query(LARGE_RESTRICTIONS_CPF),
    )
    review_decide(
        review_id=CreditReview.objects.get(decision__query=mid).pk,
        outcome="aprovado",
        reason="Cliente antigo",
        user=financial,
    )

    export = client_of(attendant).get(reverse("analysis:report_csv"))
    body = b"".join(export.streaming_content).decode("utf-8")  # type: ignore[attr-defined]
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    header = rows[0]
    at = header.index("Decisão")
    assert header[at + 1] == "Motivos da decisão"
    by_query = {int(row[0]): row[at : at + 2] for row in rows[1:]}
    assert by_query == {
        clean.pk: ["Aprovado", "Aprovado para planos até R$ 299,90, com comodato"],
        mid.pk: ["Aprovado (revisada)", "Revisão manual: score 520 entre 300 e 599"],
        large.pk: [
            "Negado",
            "Negado: score 180 abaixo de 300; "
            "total das restrições R$ 48.730,00 acima de R$ 5.000,00",
        ],
    }
