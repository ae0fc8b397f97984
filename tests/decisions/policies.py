"""A realistic credit policy for the tests: the company default most ISPs would start from."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from creditcheck.core.models import Branch
from creditcheck.decisions.models import CreditPolicyVersion
from creditcheck.decisions.services import PolicyInput, credit_policy_save

# Sandbox CPFs (providers/sandbox/scenarios.py) and what STANDARD_RULES decide for them.
CLEAN_CPF = "52998224725"  # score 820, nada consta: aprovado
SMALL_RESTRICTION_CPF = "12345678909"  # score 520, one PEFIN of R$ 189,90: revisão
LARGE_RESTRICTIONS_CPF = "98765432100"  # score 180, R$ 48.730,00: negado
PROTESTS_CPF = "11144477735"  # score 310, protests and CCF cheques: negado
PARTNERS_CNPJ = "12ABC34501DE35"  # score 700, one PEFIN of R$ 2.350,00: aprovado com condições

STANDARD_RULES: list[dict[str, Any]] = [
    {"kind": "score_below", "action": "negar", "score": 300, "reason": "Score muito baixo"},
    {
        "kind": "restriction_kind",
        "action": "negar",
        "kinds": ["protesto", "acao", "falencia", "cheque"],
        "reason": "Protesto, ação judicial, falência ou cheque sem fundo",
    },
    {
        "kind": "restriction_total_above",
        "action": "negar",
        "amount": Decimal("5000.00"),
        "reason": "Restrições acima do limite",
    },
    {
        "kind": "score_between",
        "action": "revisao",
        "score_min": 300,
        "score_max": 599,
        "reason": "Score intermediário: analisar",
    },
    {"kind": "document_alert", "action": "revisao", "reason": "Possível fraude de documento"},
    {"kind": "open_invoices", "action": "negar", "count": 1, "reason": "Débito em aberto conosco"},
    {
        "kind": "score_between",
        "action": "condicionar",
        "score_min": 600,
        "score_max": 799,
        "max_plan_value": Decimal("129.90"),
        "no_comodato": True,
        "reason": "Score médio",
    },
]


def standard_input(**changes: Any) -> PolicyInput:
    values: dict[str, Any] = {
        "enabled": True,
        "validity_days": 30,
        "max_plan_value": Decimal("299.90"),
        "comodato": True,
        "deposit": None,
        "rules": STANDARD_RULES,
        **changes,
    }
    return PolicyInput(**values)


def publish_standard_policy(
    user: Any = None, branch: Branch | None = None, **changes: Any
) -> CreditPolicyVersion:
    """The standard policy in force, as the company default (or `branch`'s own)."""
    return credit_policy_save(data=standard_input(**changes), user=user, branch=branch)
