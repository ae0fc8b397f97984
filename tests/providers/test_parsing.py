"""The readers the platforms' parse modules share."""

from __future__ import annotations

from decimal import Decimal

import pytest

from providers.base import Detail, KindTotal, Restriction, RestrictionKind
from providers.parsing import (
    MAX_NESTING,
    MAX_OTHER_INFORMATION,
    answer,
    capped,
    humanize,
    json_answer_problem,
    plausible_amount,
    shown_text,
    take,
    totals_from_restrictions,
    untaken,
)

K = RestrictionKind


def test_totals_from_restrictions_sum_per_kind_in_kind_order() -> None:
    amounts = [(K.PROTESTO, Decimal("100")), (K.PEFIN, Decimal("10.50")), (K.PEFIN, None)]
    restrictions = tuple(Restriction(kind, amount=amount) for kind, amount in amounts)
    assert totals_from_restrictions(restrictions) == (
        KindTotal(K.PEFIN, 2, Decimal("10.50"), unvalued=1),
        KindTotal(K.PROTESTO, 1, Decimal("100")),
    )


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("data-situacao", "Data situação"),
        ("dataSituacaoRFB", "Data situação RFB"),
        ("numero_agencia", "Número agência"),
        ("CodigoIBGE", "Código IBGE"),
    ],
)
def test_humanize_turns_wire_names_into_portuguese_labels(name: str, label: str) -> None:
    assert humanize(name) == label


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("2022-08-02T00:00:00-03:00", "02/08/2022"),
        ("2026-12-03T13:16:00+00:00", "03/12/2026 10:16"),  # Brasília time
        ("0001-01-01T00:00:00", ""),  # .NET's "no date"
        (True, "Sim"),
        ("false", "Não"),
        ("  FULANO   DE  TAL ", "FULANO DE TAL"),
        (None, ""),
        (0, "0"),
    ],
)
def test_shown_text_writes_values_as_staff_read_them(value: object, shown: str) -> None:
    assert shown_text(value) == shown


def test_untaken_lists_valued_scalars_the_parser_did_not_read() -> None:
    data = answer(
        {
            "Nome": "FULANO",
            "Endereco": {"Cidade": "CAMPINAS", "Latitude": 0.0, "Vazio": ""},
            "Telefones": [{"Numero": "1199"}, {"Numero": None}],
            "Transacao": {"Status": True},
            "Avisos": ["um", " "],
        },
        str.lower,
    )
    assert data.get("nome") == "FULANO"
    assert data["endereco"].get("cidade") == "CAMPINAS"
    take(data, "transacao")

    assert list(untaken(data, {"latitude": "Latitude do endereço"})) == [
        Detail("Latitude do endereço", "0.0", "Endereco.Latitude"),
        Detail("Telefones › Número", "1199", "Telefones[0].Numero"),
        Detail("Avisos", "um", "Avisos[0]"),
    ]


def test_capped_sums_up_what_is_beyond_the_limit() -> None:
    items = [Detail(f"Campo {n}", str(n), f"c{n}") for n in range(MAX_OTHER_INFORMATION + 5)]

    kept = capped(items)

    assert len(kept) == MAX_OTHER_INFORMATION
    assert kept[-1] == Detail(
        "Demais informações", "mais 6 itens na resposta original da plataforma"
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
