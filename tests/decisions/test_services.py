"""Credit policies (versions, audit, refusals) and the decision on queries run against the
sandboxes over real HTTP."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from creditcheck.analysis.models import CreditQuery
from creditcheck.analysis.subjects import subject_from_customer
from creditcheck.core.enums import AuditAction
from creditcheck.core.models import AuditEntry, Branch
from creditcheck.decisions.models import (
    CreditDecision,
    CreditPolicy,
    CreditPolicyVersion,
    CreditReview,
)
from creditcheck.decisions.services import PolicyInvalid, credit_policy_save
from providers.sandbox.scenarios import IDENTITY_DIVERGENCE_CPF
from tests.credit_setup import identity_agreeing_customer, identity_divergent_customer
from tests.decisions.conftest import Run
from tests.decisions.policies import (
    CLEAN_CPF,
    LARGE_RESTRICTIONS_CPF,
    PARTNERS_CNPJ,
    PROTESTS_CPF,
    SMALL_RESTRICTION_CPF,
    STANDARD_RULES,
    publish_standard_policy,
    standard_input,
)
from tests.factories import ContractFactory, CustomerFactory, InvoiceFactory

pytestmark = pytest.mark.django_db


def decision(query: CreditQuery) -> CreditDecision:
    return CreditDecision.objects.select_related("version").get(query=query)


def test_decision_of_each_sandbox_scenario(run_query: Run, administrator: User) -> None:
    version = publish_standard_policy(administrator)

    clean = decision(run_query(CLEAN_CPF))
    mid = decision(run_query(SMALL_RESTRICTION_CPF))
    large = decision(run_query(LARGE_RESTRICTIONS_CPF))
    partners = decision(run_query(PARTNERS_CNPJ))

    assert (clean.outcome, clean.reasons, clean.version) == ("aprovado", [], version)
    assert clean.conditions == {"max_plan_value": "299.90", "comodato": True, "deposit": None}
    assert mid.outcome == "revisao"
    assert [(r["position"], r["fact"]) for r in mid.reasons] == [(4, "score 520 entre 300 e 599")]
    assert large.outcome == "negado"
    assert [r["fact"] for r in large.reasons] == [
        "score 180 abaixo de 300",
        "total das restrições R$ 48.730,00 acima de R$ 5.000,00",
    ]
    assert partners.outcome == "aprovado"
    assert partners.conditions == {"max_plan_value": "129.90", "comodato": False, "deposit": None}


def test_decision_unvalued_cheques_are_insufficient_data(run_query: Run) -> None:
    publish_standard_policy()
    protests = decision(run_query(PROTESTS_CPF))
    # Bacen's CCF informs no amount: the total rule cannot tell, the outcome is not guessed.
    assert protests.outcome == "dados_insuficientes"
    assert [m["lacking"] for m in protests.missing] == ["valor de 3 restrição(ões)"]
    assert [r["fact"] for r in protests.reasons] == [
        "Protesto: 2, Cheque sem fundo: 3",
        "score 310 entre 300 e 599",
    ]


def test_decision_expires_after_the_versions_validity(run_query: Run) -> None:
    publish_standard_policy(validity_days=7)
    made = decision(run_query(CLEAN_CPF))
    assert made.expires_at - made.decided_at == dt.timedelta(days=7)
    assert made.state == "aprovado"
    CreditDecision.objects.filter(pk=made.pk).update(expires_at=timezone.now())
    made.refresh_from_db()
    assert (made.state, str(made.state_display)) == ("expirada", "Expirada")


def test_decision_recorded_in_the_querys_audit_entry(run_query: Run) -> None:
    publish_standard_policy()
    query = run_query(SMALL_RESTRICTION_CPF)
    entry = AuditEntry.objects.filter(target_id=str(query.pk), outcome="concluída").get()
    assert entry.details["decision"] == "revisao"


def test_no_decision_without_policy_or_with_policy_off(run_query: Run) -> None:
    assert not CreditDecision.objects.filter(query=run_query(CLEAN_CPF)).exists()
    publish_standard_policy(enabled=False)
    assert not CreditDecision.objects.filter(query=run_query(SMALL_RESTRICTION_CPF)).exists()


def test_branch_policy_overrides_the_company_default(run_query: Run, branch: Branch) -> None:
    publish_standard_policy()
    publish_standard_policy(branch=branch, enabled=False)
    assert not CreditDecision.objects.filter(query=run_query(CLEAN_CPF)).exists()


def test_open_invoice_at_the_isp_denies_a_clean_cpf(run_query: Run, branch: Branch) -> None:
    publish_standard_policy()
    customer = CustomerFactory.create(branch=branch, document=CLEAN_CPF)
    InvoiceFactory.create(
        contract=ContractFactory.create(customer=customer),
        amount=Decimal("99.90"),
        due_date=timezone.localdate() - dt.timedelta(days=10),
    )
    made = decision(run_query(CLEAN_CPF))
    assert made.outcome == "negado"
    assert [r["fact"] for r in made.reasons] == [
        "1 fatura(s) vencida(s) em aberto no provedor (R$ 99,90)"
    ]


IDENTITY_RULE = {
    "kind": "identity_divergence",
    "action": "revisao",
    "reason": "Identidade diferente do cadastro: possível fraude",
}


def test_identity_differing_from_the_record_goes_to_review(run_query: Run, branch: Branch) -> None:
    publish_standard_policy(rules=[*STANDARD_RULES, IDENTITY_RULE])
    customer = identity_divergent_customer(branch)

    made = decision(run_query(subject_from_customer(customer)))

    assert made.outcome == "revisao"
    assert [(r["position"], r["reason"], r["fact"]) for r in made.reasons] == [
        (7, "Score médio", "score 610 entre 600 e 799"),
        (
            8,
            "Identidade diferente do cadastro: possível fraude",
            "Nome: no cadastro “Roberta Carla de Oliveira”, na plataforma "
            "“ROBERTO CARLOS DE OLIVEIRA”; Data de nascimento: no cadastro “06/02/1979”, "
            "na plataforma “02/06/1979”",
        ),
    ]
    assert made.reasons[1]["values"]["divergences"] == [
        {
            "field": "name",
            "ours": "Roberta Carla de Oliveira",
            "bureau": "ROBERTO CARLOS DE OLIVEIRA",
        },
        {"field": "birth_date", "ours": "1979-02-06", "bureau": "1979-06-02"},
    ]
    assert CreditReview.objects.filter(decision=made, origin="politica").count() == 1


def test_identity_rule_without_a_divergence_does_not_fire(run_query: Run, branch: Branch) -> None:
    publish_standard_policy(rules=[*STANDARD_RULES, IDENTITY_RULE])
    agreeing = identity_agreeing_customer(branch, IDENTITY_DIVERGENCE_CPF)

    by_record = decision(run_query(subject_from_customer(agreeing)))
    bare = decision(run_query(IDENTITY_DIVERGENCE_CPF))  # no record: nothing to compare

    for made in (by_record, bare):
        assert (made.outcome, [r["position"] for r in made.reasons]) == ("aprovado", [7])
        assert made.missing == []


def test_policy_edit_makes_a_new_version_audited_with_before_and_after(
    administrator: User,
) -> None:
    first = publish_standard_policy(administrator)
    second = credit_policy_save(
        policy=first.policy, data=standard_input(validity_days=15), user=administrator
    )
    unchanged = credit_policy_save(
        policy=first.policy, data=standard_input(validity_days=15), user=administrator
    )

    assert (first.number, second.number, unchanged.pk) == (1, 2, second.pk)
    first.refresh_from_db()
    assert first.validity_days == 30  # a version is never changed
    assert CreditPolicy.objects.get().current == second
    entries = AuditEntry.objects.filter(
        action=AuditAction.SETTINGS_CHANGE, target_type="decisions.creditpolicy"
    ).order_by("seq")
    assert [(e.outcome, e.username) for e in entries] == [
        ("política de crédito v1", "administrador"),
        ("política de crédito v2", "administrador"),
    ]
    last = entries.last()
    assert last is not None
    assert (last.details["before"]["validity_days"], last.details["after"]["validity_days"]) == (
        30,
        15,
    )


def test_invalid_policy_saves_nothing_and_names_each_error(administrator: User) -> None:
    rules = [
        {"kind": "score_below", "action": "negar", "score": 300, "reason": "Baixo"},
        {"kind": "score_between", "action": "revisao", "score_min": 700, "score_max": 400,
         "reason": ""},
    ]  # fmt: skip
    with pytest.raises(PolicyInvalid) as caught:
        credit_policy_save(data=standard_input(rules=rules, validity_days=0), user=administrator)
    refusal = caught.value
    assert {k: [e.code for e in v] for k, v in refusal.fields.items()} == {
        "validity_days": ["out_of_range"]
    }
    assert {
        i: {k: [e.code for e in v] for k, v in errors.items()}
        for i, errors in refusal.rules.items()
    } == {1: {"reason": ["reason_required"], "score_max": ["impossible_range"]}}
    assert not CreditPolicy.objects.exists()
    assert not CreditPolicyVersion.objects.exists()


def test_second_policy_for_a_scope_refused(branch: Branch) -> None:
    publish_standard_policy(branch=branch)
    with pytest.raises(PolicyInvalid) as caught:
        publish_standard_policy(branch=branch)
    assert [e.code for e in caught.value.fields["branch"]] == ["policy_exists"]
    assert CreditPolicyVersion.objects.count() == 1
