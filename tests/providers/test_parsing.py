"""The readers the platforms' parse modules share."""

from __future__ import annotations

from decimal import Decimal

import pytest

from providers.base import KindTotal, Restriction, RestrictionKind
from providers.parsing import (
    MAX_NESTING,
    json_answer_problem,
    plausible_amount,
    totals_from_restrictions,
)

K = RestrictionKind


def test_totals_from_restrictions_sum_per_kind_in_kind_order() -> None:
    amounts = [(K.PROTESTO, Decimal("100")), (K.PEFIN, Decimal("10.50")), (K.PEFIN, None)]
    restrictions = tuple(Restriction(kind, amount=amount) for kind, amount in amounts)
    assert totals_from_restrictions(restrictions) == (
        KindTotal(K.PEFIN, 2, Decimal("10.50")),
        KindTotal(K.PROTESTO, 1, Decimal("100")),
    )


@pytest.mark.parametrize(
    ("amount", "plausible"),
    [
        (Decimal("999999999999.99"), True),
        (Decimal("-12.5"), True),
        (Decimal(10) ** 12, False),
        (Decimal("1E+999999999"), False),
        (Decimal("NaN"), False),
        (Decimal("Infinity"), False),
    ],
)
def test_plausible_amount_bounds_what_an_amount_can_be(amount: Decimal, plausible: bool) -> None:
    assert plausible_amount(amount) is plausible


def _nested(depth: int) -> object:
    payload: object = "fundo"
    for _ in range(depth):
        payload = {"a": [payload]}
    return payload


@pytest.mark.parametrize(
    ("payload", "problem"),
    [
        ({"nome": "FULANO", "itens": [1, "2"]}, ""),
        ({"nome": "FUL\x00ANO"}, "texto com caractere inválido"),
        ({"\ud800": 1}, "texto com caractere inválido"),
        (_nested(MAX_NESTING // 2), ""),
        (_nested(MAX_NESTING), "aninhamento excessivo"),
    ],
)
def test_json_answer_problem_names_what_no_column_can_store(payload: object, problem: str) -> None:
    assert json_answer_problem(payload) == problem
