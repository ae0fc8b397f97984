"""Brazilian display formats for templates: money (R$ 1.234,56), CPF/CNPJ, CEP and phone masks.

The formats are plain functions of the modules that own them (core.formatting, core.documents,
core.fields), which code outside templates imports directly; this module only registers them.
"""

from django import template

from creditcheck.core import documents
from creditcheck.core.fields import format_cep
from creditcheck.core.formatting import EMPTY, money, phone

register = template.Library()
register.filter("money", money)
register.filter("phone", phone)


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
