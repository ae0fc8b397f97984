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
