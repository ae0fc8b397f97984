"""What a notice says: the values of each content for an invoice, and the letter's text.

A content is "stated" by a notice when its value was known and written into it; a notice's
`contents` lists those, and notices/compliance.py compares them with the UF's rule.
"""

import datetime as dt
import string

from creditcheck.contracts.models import Invoice
from creditcheck.contracts.payment_codes import digitable_line_format
from creditcheck.core import documents
from creditcheck.core.formatting import money
from creditcheck.notices.enums import OTHER_PLACEHOLDERS, PLACEHOLDERS, NoticeContent
from creditcheck.notices.models import CreditorProfile
from creditcheck.notices.refusals import NoticeRefusalCode, NoticeRefused
from creditcheck.notices.rules import UfRule

CT = NoticeContent


def notice_values(
    invoice: Invoice, creditor: CreditorProfile | None, registrable_from: dt.date
) -> dict[str, str]:
    """Each content's text for `invoice` ("" where it is not known)."""
    contract = invoice.contract
    return {
        CT.CREDITOR_NAME: creditor.legal_name if creditor else "",
        CT.CREDITOR_CNPJ: documents.format(contract.branch.cnpj) if contract.branch.cnpj else "",
        CT.CREDITOR_ADDRESS: creditor.address if creditor else "",
        CT.CREDITOR_PHONE: creditor.phone if creditor else "",
        CT.DEBT_NATURE: f"serviço de internet (contrato CT{contract.pk})",
        CT.AMOUNT: money(invoice.amount),
        CT.DUE_DATE: invoice.due_date.strftime("%d/%m/%Y"),
        CT.REGISTRABLE_FROM: registrable_from.strftime("%d/%m/%Y"),
        CT.PAYMENT: payment_text(invoice),
    }


def payment_text(invoice: Invoice) -> str:
    """How to pay `invoice`, as the notices print it ("" when it has neither code)."""
    ways = []
    if invoice.digitable_line:
        ways.append(f"linha digitável do boleto {digitable_line_format(invoice.digitable_line)}")
    if invoice.pix_code:
        ways.append(f"Pix copia e cola {invoice.pix_code}")
    return "; ".join(ways)


def stated(values: dict[str, str]) -> list[str]:
    """The contents with a value, in NoticeContent order."""
    return [code for code in CT.values if values.get(code)]


def letter_text(customer_name: str, invoice_number: str, values: dict[str, str]) -> str:
    v = values
    lines = [
        f"Prezado(a) {customer_name},",
        "",
        f"Comunicamos que consta em aberto o débito de {v[CT.AMOUNT]}, vencido em "
        f"{v[CT.DUE_DATE]}, referente a {v[CT.DEBT_NATURE]}, fatura {invoice_number}.",
        f"Se não for pago, poderá ser registrado nos cadastros de proteção ao crédito a partir de "
        f"{v[CT.REGISTRABLE_FROM]}.",
        *([f"Para pagar: {v[CT.PAYMENT]}."] if v[CT.PAYMENT] else []),
        "",
        "Credor:",
        f"Razão social: {v[CT.CREDITOR_NAME] or '—'}",
        f"CNPJ: {v[CT.CREDITOR_CNPJ] or '—'}",
        f"Endereço: {v[CT.CREDITOR_ADDRESS] or '—'}",
        f"Telefone: {v[CT.CREDITOR_PHONE] or '—'}",
    ]
    return "\n".join(lines)


# ---- dunning templates ("Prezado(a) {cliente}, a fatura {fatura} de {valor}...") -------------

KNOWN_FIELDS = (*PLACEHOLDERS.values(), *OTHER_PLACEHOLDERS)


def template_fields(template: str) -> list[str]:
    """The {fields} a template uses, in order; `template_invalid` for unbalanced braces."""
    try:
        return [name for _t, name, _f, _c in string.Formatter().parse(template) if name is not None]
    except ValueError:
        raise NoticeRefused(NoticeRefusalCode.TEMPLATE_INVALID, field="template") from None


def template_check(template: str, rule: UfRule) -> None:
    """Refuse a template with unknown fields or without a content `rule` requires."""
    fields = template_fields(template)
    unknown = [name for name in fields if name not in KNOWN_FIELDS]
    if unknown:
        raise NoticeRefused(
            NoticeRefusalCode.TEMPLATE_UNKNOWN_FIELD,
            field="template",
            fields=", ".join(f"{{{name}}}" for name in unknown),
            known=", ".join(f"{{{name}}}" for name in KNOWN_FIELDS),
        )
    missing = [
        f"{{{PLACEHOLDERS[code]}}} ({NoticeContent(code).label})"
        for code in rule.contents
        if PLACEHOLDERS[code] not in fields
    ]
    if missing:
        raise NoticeRefused(
            NoticeRefusalCode.TEMPLATE_MISSING_CONTENT,
            field="template",
            state=rule.state,
            fields=", ".join(missing),
        )


def render_template(
    template: str, values: dict[str, str], *, customer_name: str, invoice_number: str
) -> tuple[str, list[str]]:
    """The text of a template for one invoice, and the contents it states (those whose field
    it uses and whose value is known)."""
    fields = set(template_fields(template))
    by_name = {PLACEHOLDERS[code]: value or "—" for code, value in values.items()}
    text = template.format_map({**by_name, "cliente": customer_name, "fatura": invoice_number})
    contents = [code for code in stated(values) if PLACEHOLDERS[code] in fields]
    return text, contents
