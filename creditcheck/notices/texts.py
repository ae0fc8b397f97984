"""What a notice says: the values of each content for an invoice, and the letter's text.

A content is "stated" by a notice when its value was known and written into it; a notice's
`contents` lists those, and notices/compliance.py compares them with the UF's rule.
"""

import datetime as dt

from creditcheck.contracts.models import Invoice
from creditcheck.core import documents
from creditcheck.core.formatting import money
from creditcheck.notices.enums import NoticeContent
from creditcheck.notices.models import CreditorProfile

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
        CT.DEBT_NATURE: (
            f"prestação de serviço de internet (contrato CT{contract.pk}, fatura {invoice.number})"
        ),
        CT.AMOUNT: money(invoice.amount),
        CT.DUE_DATE: invoice.due_date.strftime("%d/%m/%Y"),
        CT.REGISTRABLE_FROM: registrable_from.strftime("%d/%m/%Y"),
        # Invoices carry no linha digitável or Pix code yet: the notice cannot state them.
        CT.PAYMENT: "",
    }


def stated(values: dict[str, str]) -> list[str]:
    """The contents with a value, in NoticeContent order."""
    return [code for code in CT.values if values.get(code)]


def letter_text(customer_name: str, values: dict[str, str]) -> str:
    v = values
    lines = [
        f"Prezado(a) {customer_name},",
        "",
        f"Comunicamos que consta em aberto o débito de {v[CT.AMOUNT]}, vencido em "
        f"{v[CT.DUE_DATE]}, referente a {v[CT.DEBT_NATURE]}.",
        f"Se não for pago, poderá ser registrado nos cadastros de proteção ao crédito a partir de "
        f"{v[CT.REGISTRABLE_FROM]}.",
        "",
        "Credor:",
        f"Razão social: {v[CT.CREDITOR_NAME] or '—'}",
        f"CNPJ: {v[CT.CREDITOR_CNPJ] or '—'}",
        f"Endereço: {v[CT.CREDITOR_ADDRESS] or '—'}",
        f"Telefone: {v[CT.CREDITOR_PHONE] or '—'}",
    ]
    return "\n".join(lines)
