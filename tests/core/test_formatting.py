"""Brazilian money format, shared by the templates (filter `money`) and the services."""

from __future__ import annotations

from decimal import Decimal

from django.template import Context, Template

from creditcheck.core.formatting import money


def test_money_in_reais_with_pt_br_separators() -> None:
    assert [money(v) for v in (Decimal("1234.5"), Decimal("-9.9"), 0, None, "")] == [
        "R$ 1.234,50",
        "-R$ 9,90",
        "R$ 0,00",
        "—",
        "—",
    ]


def test_template_filter_is_the_same_function() -> None:
    rendered = Template("{% load br %}{{ value|money }}").render(
        Context({"value": Decimal("1234567.891")})
    )

    assert rendered == money(Decimal("1234567.891")) == "R$ 1.234.567,89"


def test_phone_masks_brazilian_numbers() -> None:
    from creditcheck.core.formatting import phone

    assert [
        phone(v)
        for v in ("11980001371", "1130001371", "5511980001371", "980001371", "(11) 3000-1371")
    ] == [
        "(11) 98000-1371",
        "(11) 3000-1371",
        "+55 (11) 98000-1371",
        "98000-1371",
        "(11) 3000-1371",
    ]
    assert [phone(v) for v in ("", None, "ramal 12")] == ["—", "—", "ramal 12"]


def test_phone_template_filter_is_the_same_function() -> None:
    rendered = Template("{% load br %}{{ value|phone }}").render(Context({"value": "31998887766"}))

    assert rendered == "(31) 99888-7766"
