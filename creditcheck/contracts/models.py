import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from creditcheck.contracts import payment_codes
from creditcheck.contracts.enums import ContractStatus, InvoiceStatus
from creditcheck.core.external import ExternalRecord, external_unique
from creditcheck.core.models import Branch, TimeStampedModel
from creditcheck.customers.models import Customer


class Contract(ExternalRecord, TimeStampedModel):
    customer = models.ForeignKey(
        Customer, verbose_name=_("cliente"), on_delete=models.PROTECT, related_name="contracts"
    )
    branch = models.ForeignKey(
        Branch, verbose_name=_("filial"), on_delete=models.PROTECT, related_name="contracts"
    )
    plan = models.CharField(_("plano"), max_length=120)
    monthly_amount = models.DecimalField(
        _("valor mensal"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    start_date = models.DateField(_("data de início"))
    status = models.CharField(
        _("situação"), max_length=10, choices=ContractStatus.choices, default=ContractStatus.ACTIVE
    )
    cancelled_at = models.DateField(_("data de cancelamento"), null=True, blank=True)

    class Meta:
        verbose_name = _("contrato")
        verbose_name_plural = _("contratos")
        ordering = ["-start_date", "-id"]
        constraints = [external_unique("contract_external_unique")]

    def __str__(self) -> str:
        return f"{self.plan} — {self.customer.name}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, ValidationError] = {}
        if self.status == ContractStatus.CANCELLED and self.cancelled_at is None:
            errors["cancelled_at"] = ValidationError(
                _("Informe a data de cancelamento do contrato cancelado."), code="required"
            )
        if self.status != ContractStatus.CANCELLED and self.cancelled_at is not None:
            errors["cancelled_at"] = ValidationError(
                _("Só contratos cancelados têm data de cancelamento."), code="not_cancelled"
            )
        if self.cancelled_at and self.start_date and self.cancelled_at < self.start_date:
            errors["cancelled_at"] = ValidationError(
                _("A data de cancelamento não pode ser anterior ao início do contrato."),
                code="before_start",
            )
        if errors:
            raise ValidationError(errors)


class Invoice(ExternalRecord, TimeStampedModel):
    """A fatura/boleto of a contract; its customer and branch are the contract's."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("contrato"), on_delete=models.PROTECT, related_name="invoices"
    )
    number = models.CharField(_("número"), max_length=30, unique=True)
    amount = models.DecimalField(
        _("valor"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    due_date = models.DateField(_("vencimento"))
    status = models.CharField(
        _("situação"), max_length=12, choices=InvoiceStatus.choices, default=InvoiceStatus.OPEN
    )
    paid_at = models.DateField(_("data de pagamento"), null=True, blank=True)
    paid_amount = models.DecimalField(
        _("valor pago"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pagamento registrado por"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # What registered the payment besides a user (paid_by): a payment event, a sync, an import.
    paid_via = models.CharField(_("pagamento informado por"), max_length=200, blank=True)
    # The Pix charge's txid (API Pix /cob, /cobv; IXC's fn_areceber.pix_txid): a Pix payment
    # notification names it.
    pix_txid = models.CharField(_("txid do Pix"), max_length=35, blank=True, db_index=True)
    # How the debtor pays it (ERP's fn_areceber.linha_digitavel, get_pix): the notices print
    # them when known (notices/texts.py). The line is stored as its digits.
    digitable_line = models.CharField(
        _("linha digitável"),
        max_length=60,
        blank=True,
        validators=[payment_codes.digitable_line_check],
    )
    pix_code = models.CharField(
        _("Pix copia e cola"),
        max_length=payment_codes.PIX_MAX_LENGTH,
        blank=True,
        validators=[payment_codes.pix_code_check],
    )
    disputed = models.BooleanField(_("contestada"), default=False)

    class Meta:
        verbose_name = _("fatura")
        verbose_name_plural = _("faturas")
        ordering = ["-due_date", "-id"]
        indexes = [models.Index(fields=["status", "due_date"], name="invoice_status_due_idx")]
        constraints = [external_unique("invoice_external_unique")]

    def __str__(self) -> str:
        return self.number

    def days_overdue(self, today: datetime.date | None = None) -> int:
        """Days past the due date while open; 0 when paid, cancelled or not yet due."""
        if self.status != InvoiceStatus.OPEN:
            return 0
        today = today or timezone.localdate()
        return max((today - self.due_date).days, 0)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, ValidationError] = {}
        if self.status == InvoiceStatus.PAID:
            if self.paid_at is None:
                errors["paid_at"] = ValidationError(
                    _("Informe a data de pagamento da fatura paga."), code="required"
                )
            if self.paid_amount is None:
                errors["paid_amount"] = ValidationError(
                    _("Informe o valor pago da fatura paga."), code="required"
                )
        elif self.paid_at is not None or self.paid_amount is not None:
            errors["paid_at"] = ValidationError(
                _("Só faturas pagas têm data e valor de pagamento."), code="not_paid"
            )
        if errors:
            raise ValidationError(errors)

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Typed or imported with its dots and spaces, the line is kept as its digits.
        self.digitable_line = payment_codes.digitable_line_clean(self.digitable_line)
        super().save(*args, **kwargs)
