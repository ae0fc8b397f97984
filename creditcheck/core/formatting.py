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


def phone(value: str | None) -> str:
    """Brazilian phone numbers masked: "11980001371" -> "(11) 98000-1371", "1130001371" ->
    "(11) 3000-1371", with the country code "+55 (11) 98000-1371"; without the area code
    "98000-1371". Anything else is shown as stored; empty -> "—"."""
    if not value:
        return EMPTY
    digits = "".join(char for char in value if char.isdigit())
    country = ""
    if len(digits) in (12, 13) and digits.startswith("55"):
        country, digits = "+55 ", digits[2:]
    if len(digits) in (10, 11):
        return f"{country}({digits[:2]}) {digits[2:-4]}-{digits[-4:]}"
    if len(digits) in (8, 9) and not country:
        return f"{digits[:-4]}-{digits[-4:]}"
    return value
