from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation


def _render(source: str, **context: object) -> str:
    with translation.override("pt-br"):
        return Template("{% load br %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1234.56"), "R$ 1.234,56"),
        (Decimal("0.5"), "R$ 0,50"),
        (Decimal("1234567.8"), "R$ 1.234.567,80"),
        (Decimal("-99.9"), "-R$ 99,90"),
        (None, "—"),
    ],
)
def test_money_filter_brazilian_format(value: Decimal | None, expected: str) -> None:
    assert _render("{{ value|money }}", value=value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("52998224725", "529.982.247-25"),
        ("11222333000181", "11.222.333/0001-81"),
        ("12ABC34501DE35", "12.ABC.345/01DE-35"),
        ("", "—"),
    ],
)
def test_document_filter_masks(value: str, expected: str) -> None:
    assert _render("{{ value|document }}", value=value) == expected


def test_cep_filter_masks() -> None:
    assert _render("{{ value|cep }}", value="01310100") == "01310-100"
