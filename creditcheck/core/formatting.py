"""Brazilian display formats as plain functions, for services, exporters and the template
filters alike (creditcheck/core/templatetags/br.py registers them): no template code here."""

from decimal import Decimal

from django.utils import formats

EMPTY = "—"


def money(value: Decimal | int | float | str | None) -> str:
    """Decimal("1234.5") -> "R$ 1.234,50"; None or "" -> "—"."""
    if value is None or value == "":
        return EMPTY
    amount = Decimal(str(value))
    number = formats.number_format(abs(amount), 2, use_l10n=True, force_grouping=True)
    return f"-R$ {number}" if amount < 0 else f"R$ {number}"
