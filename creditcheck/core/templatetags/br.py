"""Brazilian display formats for templates: money (R$ 1.234,56), CPF/CNPJ and CEP masks.

Documents and CEPs are masked by the modules that own them (core.documents, core.fields);
numbers go through Django's l10n so separators follow LANGUAGE_CODE=pt-br.
"""

from decimal import Decimal

from django import template
from django.utils import formats

from creditcheck.core import documents
from creditcheck.core.fields import format_cep

register = template.Library()

EMPTY = "—"


@register.filter
def money(value: Decimal | int | float | str | None) -> str:
    """Decimal("1234.5") -> "R$ 1.234,50"; None or "" -> "—"."""
    if value is None or value == "":
        return EMPTY
    amount = Decimal(str(value))
    number = formats.number_format(abs(amount), 2, use_l10n=True, force_grouping=True)
    return f"-R$ {number}" if amount < 0 else f"R$ {number}"


@register.filter
def document(value: str | None) -> str:
    """Normalized CPF/CNPJ -> masked (529.982.247-25, 12.ABC.345/01DE-35); empty -> "—"."""
    if not value:
        return EMPTY
    return documents.format(value)


@register.filter
def cep(value: str | None) -> str:
    """ "01310100" -> "01310-100"; empty -> "—"."""
    if not value:
        return EMPTY
    return format_cep(value)
