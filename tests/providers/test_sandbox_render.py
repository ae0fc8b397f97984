"""How the sandboxes write values: as the Brazilian platforms do."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from providers.sandbox import render

MIDNIGHT_UTC = dt.datetime(2026, 3, 1, 2, 30, 5, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("amount", "brl", "plain"),
    [
        (Decimal("1234.5"), "R$ 1.234,50", "1234.50"),
        (Decimal("0"), "R$ 0,00", "0.00"),
        (Decimal("1234567.891"), "R$ 1.234.567,89", "1234567.89"),
    ],
)
def test_amounts_in_reais_and_as_plain_text(amount: Decimal, brl: str, plain: str) -> None:
    assert (render.brl(amount), render.decimal_text(amount)) == (brl, plain)


def test_percent_uses_a_decimal_comma() -> None:
    assert render.br_percent(Decimal("12.5")) == "12,50%"


def test_dates_and_times_are_brasilia_wall_clock() -> None:
    assert render.br_date(dt.date(2026, 3, 1)) == "01/03/2026"
    assert render.brasilia(MIDNIGHT_UTC) == dt.datetime(2026, 2, 28, 23, 30, 5)
    assert render.br_datetime(MIDNIGHT_UTC) == "28/02/2026 23:30:05"


def test_documents_are_masked_by_their_length() -> None:
    documents = ["52998224725", "11222333000181", "12ABC34501DE35", "123"]
    assert [render.masked_document(d) for d in documents] == [
        "529.982.247-25",
        "11.222.333/0001-81",
        "12.ABC.345/01DE-35",
        "123",
    ]
