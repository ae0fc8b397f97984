"""The decisions in the LGPD data-subject report: each with the criteria of its policy and
those that applied, in plain Portuguese (LGPD art. 20), in the JSON and the PDF."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from creditcheck.compliance.lgpd import subject_report, subject_report_to_dict
from creditcheck.decisions.models import CreditReview
from creditcheck.decisions.reviews import review_decide
from tests.decisions.conftest import Run
from tests.decisions.policies import CLEAN_CPF, SMALL_RESTRICTION_CPF, publish_standard_policy
from tests.security.conftest import pdf_text

pytestmark = pytest.mark.django_db

URL = "/api/v1/lgpd/subject-report/"
CRITERIA = [
    "Score abaixo de 300: negado (Score muito baixo)",
    "Restrição do tipo Protesto ou Ação judicial ou Falência / recuperação ou Cheque sem fundo: "
    "negado (Protesto, ação judicial, falência ou cheque sem fundo)",
    "Total das restrições acima de R$ 5.000,00: negado (Restrições acima do limite)",
    "Score entre 300 e 599: revisão manual por uma pessoa (Score intermediário: analisar)",
    "Alerta de documento (perda, roubo) ou CPF/CNPJ irregular na Receita: revisão manual por "
    "uma pessoa (Possível fraude de documento)",
    "1 ou mais faturas vencidas em aberto com o provedor: negado (Débito em aberto conosco)",
    "Score entre 600 e 799: aprovação restrita a planos até R$ 129,90, sem comodato (Score médio)",
]


def test_subject_report_explains_each_decision_with_its_criteria(
    run_query: Run, administrator: User, financial: User
) -> None:
    publish_standard_policy(administrator)
    first = run_query(SMALL_RESTRICTION_CPF)
    review_decide(
        review_id=CreditReview.objects.get(decision__query=first).pk,
        outcome="negado",
        reason="Renda não comprovada",
        user=financial,
    )
    second = run_query(SMALL_RESTRICTION_CPF)
    run_query(CLEAN_CPF)  # another person's: not in the report

    body = subject_report_to_dict(
        subject_report(document=SMALL_RESTRICTION_CPF, user=administrator)
    )

    assert [d["query"] for d in body["decisions"]] == [first.pk, second.pk]
    reviewed, pending = body["decisions"]
    assert (reviewed["outcome"], reviewed["state"], reviewed["summary"]) == (
        "Revisão manual",
        "Negado",
        "Revisão manual: score 520 entre 300 e 599",
    )
    assert reviewed["reasons"] == ["Score intermediário: analisar: score 520 entre 300 e 599"]
    assert reviewed["review"].startswith(f"Negado pelo revisor {financial.get_full_name()} em ")
    assert reviewed["review"].endswith(": Renda não comprovada")
    assert (pending["state"], pending["review"], pending["missing"]) == ("Revisão manual", "", [])
    assert reviewed["policy"] == "Padrão da empresa, versão 1"
    assert reviewed["criteria"] == CRITERIA
    assert "art. 20" in body["decision_note"]


def test_subject_report_pdf_shows_the_decision_and_criteria(
    run_query: Run, administrator: User, api_client_for: Callable[[User], APIClient]
) -> None:
    publish_standard_policy(administrator)
    run_query(SMALL_RESTRICTION_CPF)

    response = api_client_for(administrator).get(
        URL, {"document": SMALL_RESTRICTION_CPF, "format": "pdf"}
    )

    assert response.status_code == 200
    text = pdf_text(response.content)
    for expected in (
        "Decisõesdecrédito(1)",
        "Revisãomanual:score520entre300e599",
        "Scoreintermediário:analisar:score520entre300e599",
        "Critériosdapolítica(Padrãodaempresa,versão1)",
        "Scoreabaixode300:negado(Scoremuitobaixo)",
        "(LGPD,art.20)",
    ):
        assert expected in text


def test_subject_report_without_policy_has_no_decisions(
    run_query: Run, administrator: User
) -> None:
    run_query(SMALL_RESTRICTION_CPF)
    body = subject_report_to_dict(
        subject_report(document=SMALL_RESTRICTION_CPF, user=administrator)
    )
    assert (len(body["queries"]), body["decisions"], body["decision_note"]) == (1, [], "")
