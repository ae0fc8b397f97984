"""Negativações (debts registered at the bureaus), their history, and their settings."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from creditcheck.contracts.models import Invoice
from creditcheck.core.models import Branch, TimeStampedModel
from creditcheck.customers.models import Customer
from creditcheck.integrations.models import BranchIntegration
from creditcheck.negativation.enums import (
    LIVE,
    InclusionReason,
    NegativationStatus,
    RemovalReason,
)
from creditcheck.notices.models import Notice


class BranchNegativationSettings(models.Model):
    """Per-branch rules of the automatic inclusion (Configurações > Integrações)."""

    branch = models.OneToOneField(
        Branch,
        verbose_name=_("filial"),
        on_delete=models.CASCADE,
        related_name="negativation_settings",
    )
    auto_include = models.BooleanField(_("Negativar automaticamente"), default=False)
    days_after_due = models.PositiveIntegerField(
        _("Dias após o vencimento para negativar"),
        default=30,
        validators=[MinValueValidator(1)],
    )
    min_amount = models.DecimalField(
        _("Valor mínimo (R$)"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0.00"))],
    )
    run_hour = models.PositiveSmallIntegerField(
        _("Hora da execução diária"), default=8, validators=[MaxValueValidator(23)]
    )
    integration = models.ForeignKey(
        BranchIntegration,
        verbose_name=_("integração usada"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Vazio: a integração padrão da filial."),
    )
    inclusion_reason_code = models.CharField(_("natureza da inclusão"), max_length=20, blank=True)
    removal_reason_code = models.CharField(_("motivo de baixa padrão"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("configuração de negativação")
        verbose_name_plural = _("configurações de negativação")

    def __str__(self) -> str:
        return str(self.branch)


class Negativation(TimeStampedModel):
    invoice = models.ForeignKey(
        Invoice, verbose_name=_("fatura"), on_delete=models.PROTECT, related_name="negativations"
    )
    customer = models.ForeignKey(
        Customer,
        verbose_name=_("cliente"),
        on_delete=models.PROTECT,
        related_name="negativations",
    )
    branch = models.ForeignKey(
        Branch, verbose_name=_("filial"), on_delete=models.PROTECT, related_name="negativations"
    )
    integration = models.ForeignKey(
        BranchIntegration,
        verbose_name=_("integração"),
        on_delete=models.PROTECT,
        related_name="negativations",
    )
    platform = models.CharField(_("plataforma"), max_length=20)
    status = models.CharField(
        _("situação"),
        max_length=20,
        choices=NegativationStatus.choices,
        default=NegativationStatus.REQUESTED,
    )
    document = models.CharField(_("CPF/CNPJ"), max_length=14)
    amount = models.DecimalField(_("valor"), max_digits=10, decimal_places=2)
    due_date = models.DateField(_("vencimento"))
    reason_code = models.CharField(_("natureza da inclusão"), max_length=20, blank=True)
    reason = models.CharField(
        _("motivo da negativação"),
        max_length=20,
        choices=InclusionReason.choices,
        default=InclusionReason.OVERDUE,
    )
    platform_id = models.CharField(_("identificador na plataforma"), max_length=120, blank=True)
    automatic = models.BooleanField(_("automática"), default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("solicitada por"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("enviada em"), null=True, blank=True)
    visible_on = models.DateField(_("visível a partir de"), null=True, blank=True)
    active_at = models.DateTimeField(_("ativa em"), null=True, blank=True)
    removal_reason = models.CharField(
        _("motivo da baixa"), max_length=15, choices=RemovalReason.choices, blank=True
    )
    removal_platform_code = models.CharField(
        _("motivo de baixa na plataforma"), max_length=20, blank=True
    )
    removal_requested_at = models.DateTimeField(_("baixa solicitada em"), null=True, blank=True)
    removal_deadline = models.DateField(_("prazo legal da baixa"), null=True, blank=True)
    removed_at = models.DateTimeField(_("baixada em"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("tentativas"), default=0)
    next_attempt_at = models.DateTimeField(_("próxima tentativa"), null=True, blank=True)
    # The notice that met the UF's rule (notices/compliance.py), and the day it did.
    notice = models.ForeignKey(
        Notice,
        verbose_name=_("comunicado que cumpriu a regra"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="negativations",
    )
    notice_met_on = models.DateField(_("prazo do comunicado cumprido em"), null=True, blank=True)
    error_code = models.CharField(_("código do erro"), max_length=60, blank=True)
    error_message = models.TextField(_("mensagem de erro"), blank=True)

    class Meta:
        verbose_name = _("negativação")
        verbose_name_plural = _("negativações")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("include_negativation", _("Pode negativar")),
            ("remove_negativation", _("Pode dar baixa em negativação")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["invoice"],
                condition=models.Q(status__in=[s.value for s in LIVE]),
                name="one_live_negativation_per_invoice",
            )
        ]
        indexes = [
            models.Index(fields=["status", "removal_deadline"], name="negativation_deadline_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.invoice} — {self.get_status_display()}"

    @property
    def visible_on_shown(self) -> dt.date | None:
        """ "Visível em" of the lists: none for a record no longer at the bureau (removed) or
        never there (rejected), whose past date would read as a current visibility."""
        if self.status in (NegativationStatus.REMOVED, NegativationStatus.REJECTED):
            return None
        return self.visible_on


class NegativationEvent(models.Model):
    """One transition of a negativação: its history, as staff and auditors read it."""

    negativation = models.ForeignKey(
        Negativation,
        verbose_name=_("negativação"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    from_status = models.CharField(_("de"), max_length=20, blank=True)
    to_status = models.CharField(_("para"), max_length=20)
    at = models.DateTimeField(_("em"), auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("usuário"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    message = models.TextField(_("mensagem"), blank=True)

    class Meta:
        verbose_name = _("evento de negativação")
        verbose_name_plural = _("eventos de negativação")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status}"


class SweepRequest(models.Model):
    """One invoice the daily sweep found eligible, waiting to become a negativação (outbox).

    The sweep records tens of thousands of these at once, so the row is lean: no foreign-key
    constraint or index (the invoice id is checked again, with every rule, when the request is
    processed by negativation_include). Processed requests are kept 30 days, then deleted.
    """

    invoice = models.ForeignKey(
        Invoice,
        verbose_name=_("fatura"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    branch = models.ForeignKey(
        Branch,
        verbose_name=_("filial"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("registrada em"))
    processed_at = models.DateTimeField(_("processada em"), null=True, blank=True)
    negativation = models.ForeignKey(
        Negativation,
        verbose_name=_("negativação criada"),
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    outcome = models.TextField(_("resultado"), blank=True)

    class Meta:
        verbose_name = _("solicitação da rotina diária")
        verbose_name_plural = _("solicitações da rotina diária")
        # No index beyond the primary key: the sweep writes tens of thousands of these at
        # once. A request queued twice (the sweep ran again before the first was processed) is
        # harmless: negativation_include refuses a second live negativação of the same invoice.

    def __str__(self) -> str:
        return f"{self.invoice_id} ({'processada' if self.processed_at else 'na fila'})"
