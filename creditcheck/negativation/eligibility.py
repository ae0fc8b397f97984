"""Which invoices may be negativated, and why not: one rule set for the manual flow, the batch
list and the daily sweep (which runs the same rules as one SQL filter)."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DateField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from creditcheck.contracts.enums import ContractStatus, InvoiceStatus
from creditcheck.contracts.models import Invoice
from creditcheck.core import documents
from creditcheck.core.models import Branch
from creditcheck.integrations.models import BranchIntegration
from creditcheck.integrations.selectors import credit_settings, integration_for_branch
from creditcheck.negativation.deadlines import oldest_includable_due_date
from creditcheck.negativation.enums import LIVE
from creditcheck.negativation.models import BranchNegativationSettings, Negativation

ADDRESS_FIELDS = ("cep", "street", "number", "district", "city", "state")
# A contract cancelled this long before the due date did not provide the billed service.
SERVICE_PERIOD = dt.timedelta(days=30)


@dataclass(frozen=True)
class Ineligibility:
    code: str
    message: str  # pt-BR


def branch_rules(branch_id: int) -> BranchNegativationSettings:
    rules = BranchNegativationSettings.objects.filter(branch_id=branch_id).first()
    return rules or BranchNegativationSettings(branch_id=branch_id)


def inclusion_integration(branch: Branch) -> BranchIntegration | None:
    """The integration inclusions of `branch` go through: its chosen one, else its default."""
    chosen = branch_rules(branch.pk).integration
    if chosen is not None and chosen.active:
        return chosen
    return integration_for_branch(branch)


def ineligibility_reasons(invoice: Invoice, today: dt.date | None = None) -> list[Ineligibility]:
    """Every reason `invoice` cannot be negativated now; empty when it can."""
    today = today or timezone.localdate()
    contract = invoice.contract
    customer = contract.customer
    rules = branch_rules(contract.branch_id)
    reasons: list[Ineligibility] = []

    def no(code: str, message: str) -> None:
        reasons.append(Ineligibility(code, message))

    if not credit_settings().enabled:
        no("integration_disabled", _("A integração com análise de crédito está desativada."))
    if invoice.status != InvoiceStatus.OPEN:
        no(
            "not_open",
            _("A fatura não está em aberto (%(status)s).")
            % {"status": invoice.get_status_display()},
        )
    if invoice.disputed:
        no("disputed", _("A fatura está contestada pelo cliente."))
    overdue = (today - invoice.due_date).days
    if overdue < rules.days_after_due:
        no(
            "not_overdue_enough",
            _("Vencida há %(days)d dia(s); a regra da filial exige %(min)d.")
            % {"days": max(overdue, 0), "min": rules.days_after_due},
        )
    if invoice.due_date < oldest_includable_due_date(today):
        no(
            "too_old",
            _("Vencimento há mais de 4 anos e 11 meses: a dívida não pode mais ser registrada."),
        )
    if invoice.amount < rules.min_amount:
        no(
            "below_minimum",
            _("Valor abaixo do mínimo da filial (R$ %(min)s).")
            % {"min": f"{rules.min_amount:.2f}".replace(".", ",")},
        )
    if (
        contract.status == ContractStatus.CANCELLED
        and contract.cancelled_at is not None
        and contract.cancelled_at < invoice.due_date - SERVICE_PERIOD
    ):
        no("contract_cancelled", _("O contrato foi cancelado antes do período da fatura."))
    if not documents.is_valid(customer.document):
        no("invalid_document", _("O CPF/CNPJ do cliente é inválido."))
    missing = [
        str(getattr(customer._meta.get_field(name), "verbose_name", name))
        for name in ADDRESS_FIELDS
        if not getattr(customer, name)
    ]
    if missing:
        no(
            "incomplete_address",
            _("Endereço incompleto para a carta de comunicado: %(fields)s.")
            % {"fields": ", ".join(missing)},
        )
    if Negativation.objects.filter(invoice=invoice, status__in=LIVE).exists():
        no("already_negativated", _("A fatura já tem uma negativação em andamento."))
    if inclusion_integration(contract.branch) is None:
        no("branch_without_integration", _("A filial não tem integração ativa."))
    return reasons


def eligible_invoices(
    *,
    branch_id: int,
    days_after_due: int,
    min_amount: Decimal,
    today: dt.date,
) -> QuerySet[Invoice]:
    """The same rules as ineligibility_reasons, as one query (for the sweep and the batch list).

    Document validity is not repeated here: documents are validated whenever they are saved.
    """
    live = Negativation.objects.filter(invoice=OuterRef("pk"), status__in=LIVE)
    address_complete = Q()
    for name in ADDRESS_FIELDS:
        address_complete &= ~Q(**{f"contract__customer__{name}": ""})
    return (
        Invoice.objects.filter(
            contract__branch_id=branch_id,
            status=InvoiceStatus.OPEN,
            disputed=False,
            due_date__lte=today - dt.timedelta(days=days_after_due),
            due_date__gte=oldest_includable_due_date(today),
            amount__gte=min_amount,
        )
        .filter(address_complete)
        .exclude(
            contract__status=ContractStatus.CANCELLED,
            contract__cancelled_at__lt=ExpressionWrapper(
                F("due_date") - SERVICE_PERIOD, output_field=DateField()
            ),
        )
        .filter(~Exists(live))
    )
