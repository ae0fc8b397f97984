"""The rules of a credit policy: validation codes and evaluation over stored reports."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from creditcheck.analysis.identity import IdentityDivergence
from creditcheck.decisions.enums import Outcome
from creditcheck.decisions.rules import (
    Conditions,
    OwnHistory,
    Rule,
    evaluate,
    rule_from_data,
    rule_from_stored,
    rule_to_dict,
)
from tests.decisions.policies import STANDARD_RULES

RULES = [rule_from_data(r) for r in STANDARD_RULES]
BASE = Conditions(Decimal("299.90"), True, None)


def report(
    score: int | None = 820,
    totals: list[dict[str, Any]] | None = None,
    situation: str = "REGULAR",
    messages: tuple[str, ...] = (),
) -> dict[str, Any]:
    return {
        "score": None if score is None else {"value": score, "band": "", "model": ""},
        "totals": totals or [],
        "identity": {"name": "ANA", "receita_situation": situation},
        "messages": list(messages),
    }


def total(kind: str, count: int, amount: str, unvalued: int = 0) -> dict[str, Any]:
    return {"kind": kind, "count": count, "amount": amount, "unvalued": unvalued}


def codes(data: dict[str, Any]) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        rule_from_data(data)
    return {
        name: [e.code or "" for e in errors] for name, errors in caught.value.error_dict.items()
    }


def test_evaluate_clean_report_approved_with_base_conditions() -> None:
    evaluation = evaluate(RULES, report(820), base=BASE, history=OwnHistory())
    assert evaluation.outcome == Outcome.APPROVED
    assert evaluation.fired == ()
    assert evaluation.conditions.text() == "planos até R$ 299,90, com comodato"


def test_evaluate_mid_score_goes_to_review_with_the_value_read() -> None:
    evaluation = evaluate(
        RULES, report(520, [total("pefin", 1, "189.90")]), base=BASE, history=OwnHistory()
    )
    assert evaluation.outcome == Outcome.REVIEW
    assert [(f.position, f.fact, f.values) for f in evaluation.fired] == [
        (4, "score 520 entre 300 e 599", {"score": 520})
    ]


def test_evaluate_condition_rule_restricts_the_approval() -> None:
    evaluation = evaluate(RULES, report(700), base=BASE, history=OwnHistory())
    assert evaluation.outcome == Outcome.APPROVED
    assert evaluation.conditions == Conditions(Decimal("129.90"), False, None)
    assert evaluation.conditions.text() == "planos até R$ 129,90, sem comodato"
    assert [f.fact for f in evaluation.fired] == ["score 700 entre 600 e 799"]


def test_evaluate_restricted_report_denied_by_every_rule_that_fired() -> None:
    totals = [total("protesto", 2, "2045.50"), total("cheque", 3, "0.00", unvalued=3)]
    evaluation = evaluate(RULES, report(310, totals), base=BASE, history=OwnHistory())
    assert evaluation.outcome == Outcome.INSUFFICIENT  # the cheques' amounts are unknown
    assert [m.lacking for m in evaluation.missing] == ["valor de 3 restrição(ões)"]
    assert [f.fact for f in evaluation.fired] == [
        "Protesto: 2, Cheque sem fundo: 3",
        "score 310 entre 300 e 599",
    ]


def test_evaluate_total_above_limit_denies_even_with_unvalued_restrictions() -> None:
    totals = [total("pefin", 2, "9000.00"), total("cheque", 1, "0.00", unvalued=1)]
    evaluation = evaluate(RULES, report(180, totals), base=BASE, history=OwnHistory())
    assert evaluation.outcome == Outcome.DENIED
    assert [f.fact for f in evaluation.fired] == [
        "score 180 abaixo de 300",
        "Cheque sem fundo: 1",
        "total das restrições R$ 9.000,00 acima de R$ 5.000,00",
    ]


def test_evaluate_missing_score_is_insufficient_data_not_an_error() -> None:
    evaluation = evaluate(RULES, report(None), base=BASE, history=OwnHistory())
    assert evaluation.outcome == Outcome.INSUFFICIENT
    assert [(m.position, m.lacking) for m in evaluation.missing] == [
        (1, "score"),
        (4, "score"),
        (7, "score"),
    ]


@pytest.mark.parametrize("stored", [None, {}, {"score": "x", "totals": "y", "identity": []}])
def test_evaluate_malformed_report_is_insufficient_data(stored: Any) -> None:
    evaluation = evaluate(RULES, stored, base=BASE, history=OwnHistory())
    assert evaluation.outcome == Outcome.INSUFFICIENT
    # Every rule reading the bureau's answer; the ISP's own history (rule 6) is still read.
    assert [m.position for m in evaluation.missing] == [1, 2, 3, 4, 5, 7]


def test_evaluate_document_alert_and_irregular_cpf_go_to_review() -> None:
    alert = "Há alerta de documento (roubo, furto ou extravio) no SPC."
    evaluation = evaluate(
        RULES, report(820, situation="SUSPENSA", messages=(alert,)), base=BASE, history=OwnHistory()
    )
    assert evaluation.outcome == Outcome.REVIEW
    assert [f.fact for f in evaluation.fired] == [f"situação na Receita: SUSPENSA; {alert}"]


def test_evaluate_identity_rule_reads_the_divergences_given() -> None:
    rules = [Rule("identity_divergence", "revisao", "Possível fraude")]
    divergence = IdentityDivergence("mother_name", "Nome da mãe", "Ana Souza", "MARIA LIMA")

    differs = evaluate(rules, report(820), base=BASE, identity=[divergence])
    agrees = evaluate(rules, report(820), base=BASE, identity=[])
    unknown = evaluate(rules, report(820), base=BASE, identity=None)

    assert (differs.outcome, [f.fact for f in differs.fired]) == (
        Outcome.REVIEW,
        ["Nome da mãe: no cadastro “Ana Souza”, na plataforma “MARIA LIMA”"],
    )
    assert differs.fired[0].values == {
        "divergences": [{"field": "mother_name", "ours": "Ana Souza", "bureau": "MARIA LIMA"}]
    }
    assert (agrees.outcome, agrees.fired) == (Outcome.APPROVED, ())
    assert unknown.outcome == Outcome.INSUFFICIENT
    assert [m.lacking for m in unknown.missing] == ["identidade na plataforma"]


def test_evaluate_open_invoices_at_the_isp_deny() -> None:
    history = OwnHistory(overdue_invoices=2, overdue_amount=Decimal("259.80"))
    evaluation = evaluate(RULES, report(820), base=BASE, history=history)
    assert evaluation.outcome == Outcome.DENIED
    assert [f.fact for f in evaluation.fired] == [
        "2 fatura(s) vencida(s) em aberto no provedor (R$ 259,80)"
    ]


def test_evaluate_past_negativation_and_count_rules() -> None:
    rules = [
        Rule("past_negativation", "revisao", "Já negativado"),
        Rule("restriction_count_above", "negar", "Muitas", count=1),
    ]
    history = OwnHistory(negativations=1)
    one = evaluate(rules, report(820, [total("spc", 1, "10.00")]), base=BASE, history=history)
    assert (one.outcome, [f.fact for f in one.fired]) == (
        Outcome.REVIEW,
        ["1 negativação(ões) pelo provedor"],
    )
    two = evaluate(rules, report(820, [total("spc", 2, "10.00")]), base=BASE, history=None)
    assert two.outcome == Outcome.INSUFFICIENT  # history rules without history: never guessed
    assert [f.fact for f in two.fired] == ["2 restrições, mais que 1"]


def test_rule_round_trips_through_storage() -> None:
    assert [rule_from_stored(rule_to_dict(r)) for r in RULES] == RULES


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            {"kind": "score_between", "action": "revisao", "reason": "x", "score_min": 700,
             "score_max": 500},
            {"score_max": ["impossible_range"]},
        ),
        (
            {"kind": "score_below", "action": "negar", "reason": "x", "score": 1001},
            {"score": ["score_out_of_scale"]},
        ),
        (
            {"kind": "score_below", "action": "negar", "reason": "x", "score": -1},
            {"score": ["score_out_of_scale"]},
        ),
        (
            {"kind": "restriction_kind", "action": "negar", "reason": "x",
             "kinds": ["protesto", "divida_ativa"]},
            {"kinds": ["unknown_restriction_kind"]},
        ),
        (
            {"kind": "restriction_kind", "action": "negar", "reason": "x", "kinds": []},
            {"kinds": ["kinds_required"]},
        ),
        (
            {"kind": "score_below", "action": "negar", "reason": "   ", "score": 300},
            {"reason": ["reason_required"]},
        ),
        (
            {"kind": "idade", "action": "talvez", "reason": "x"},
            {"kind": ["unknown_rule_kind"], "action": ["unknown_action"]},
        ),
        (
            {"kind": "document_alert", "action": "condicionar", "reason": "x"},
            {"max_plan_value": ["conditions_required"]},
        ),
        (
            {"kind": "restriction_total_above", "action": "negar", "reason": "x",
             "amount": Decimal("-1")},
            {"amount": ["out_of_range"]},
        ),
        (
            {"kind": "open_invoices", "action": "negar", "reason": "x", "count": 0},
            {"count": ["out_of_range"]},
        ),
    ],
)  # fmt: skip
def test_rule_from_data_refuses_bad_input_with_stable_codes(
    data: dict[str, Any], expected: dict[str, list[str]]
) -> None:
    assert codes(data) == expected


def test_rule_from_data_keeps_only_the_parameters_of_its_kind() -> None:
    rule = rule_from_data(
        {"kind": "score_below", "action": "negar", "reason": " Baixo ", "score": 300, "count": 9}
    )
    assert rule == Rule("score_below", "negar", "Baixo", score=300)
