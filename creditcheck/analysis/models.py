"""Credit queries (consultas): every attempt, its outcome, the normalized report and the files."""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from creditcheck.analysis.enums import (
    IN_FLIGHT,
    UNFINISHED,
    Billed,
    QueryStatus,
    RefusalCode,
    SubjectType,
)
from creditcheck.core import documents
from creditcheck.core.models import Branch
from creditcheck.crm.models import Lead, Prospect
from creditcheck.customers.models import Customer
from creditcheck.integrations.models import BranchIntegration


class CreditQuery(models.Model):
    subject_type = models.CharField(_("origem"), max_length=10, choices=SubjectType.choices)
    customer = models.ForeignKey(
        Customer,
        verbose_name=_("cliente"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="credit_queries",
    )
    lead = models.ForeignKey(
        Lead,
        verbose_name=_("lead"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="credit_queries",
    )
    prospect = models.ForeignKey(
        Prospect,
        verbose_name=_("prospecção"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="credit_queries",
    )
    document = models.CharField(_("CPF/CNPJ"), max_length=14)
    person_type = models.CharField(_("tipo de pessoa"), max_length=1, blank=True)
    subject_name = models.CharField(_("nome"), max_length=200, blank=True)
    branch = models.ForeignKey(
        Branch, verbose_name=_("filial"), on_delete=models.PROTECT, related_name="credit_queries"
    )
    integration = models.ForeignKey(
        BranchIntegration,
        verbose_name=_("integração"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="queries",
    )
    platform = models.CharField(_("plataforma"), max_length=20, blank=True)
    product = models.CharField(_("produto"), max_length=60, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("usuário"),
        on_delete=models.PROTECT,
        related_name="credit_queries",
    )
    ip_address = models.GenericIPAddressField(_("IP"), null=True, blank=True)
    status = models.CharField(
        _("situação"), max_length=10, choices=QueryStatus.choices, default=QueryStatus.PENDING
    )
    refusal_code = models.CharField(
        _("motivo da recusa"), max_length=30, choices=RefusalCode.choices, blank=True
    )
    override_reason = models.TextField(
        _("justificativa para consultar antes do intervalo"), blank=True
    )
    overridden_query = models.ForeignKey(
        "self",
        verbose_name=_("consulta anterior ignorada"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The query of another branch, in flight when this one was asked for, whose outcome this one
    # received instead of calling the platform a second time (status WAITING until then).
    shared_from = models.ForeignKey(
        "self",
        verbose_name=_("resultado compartilhado da consulta"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="shared_copies",
    )
    # The normalized report (providers.codec.report_to_dict) and the platform's payload as text.
    report = models.JSONField(_("relatório"), null=True, blank=True)
    raw_payload = models.TextField(_("resposta da plataforma"), blank=True)
    protocol = models.CharField(_("protocolo"), max_length=80, blank=True)
    has_restrictions = models.BooleanField(_("possui restrições"), null=True)
    score = models.PositiveIntegerField(_("score"), null=True, blank=True)
    restriction_count = models.PositiveIntegerField(_("restrições"), default=0)
    restriction_amount = models.DecimalField(
        _("valor das restrições"), max_digits=14, decimal_places=2, default=Decimal("0.00")
    )
    billed = models.CharField(_("cobrada"), max_length=7, choices=Billed.choices, default=Billed.NO)
    cost = models.DecimalField(
        _("custo (R$)"), max_digits=8, decimal_places=2, default=Decimal("0.00")
    )
    error_code = models.CharField(_("código do erro"), max_length=60, blank=True)
    error_message = models.TextField(_("mensagem de erro"), blank=True)
    provider_file = models.FileField(
        _("relatório da plataforma"), upload_to="provider-reports/%Y/%m/", blank=True
    )
    provider_file_type = models.CharField(
        _("tipo do relatório da plataforma"), max_length=60, blank=True
    )
    created_at = models.DateTimeField(_("solicitada em"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("iniciada em"), null=True, blank=True)
    finished_at = models.DateTimeField(_("concluída em"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("duração (ms)"), null=True, blank=True)

    class Meta:
        verbose_name = _("consulta de crédito")
        verbose_name_plural = _("consultas de crédito")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("request_creditquery", _("Pode consultar análise de crédito")),
            ("override_requery_interval", _("Pode consultar antes do intervalo de dias")),
            (
                "settle_query_billing",
                _("Pode confirmar se uma consulta com cobrança incerta foi cobrada"),
            ),
        ]
        indexes = [
            # The interval check: last successful query of a document.
            models.Index(fields=["document", "status", "-created_at"], name="query_doc_status_idx"),
            models.Index(fields=["branch", "-created_at"], name="query_branch_created_idx"),
            # The budget check: what the branch's queries in flight hold of its budget.
            models.Index(
                fields=["branch"],
                condition=models.Q(status__in=[s.value for s in IN_FLIGHT]),
                name="query_inflight_branch_idx",
            ),
        ]
        constraints = [
            # Single flight: at most one platform call in progress per document.
            models.UniqueConstraint(
                fields=["document"],
                condition=models.Q(status__in=[s.value for s in IN_FLIGHT]),
                name="one_inflight_query_per_document",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.document_formatted} ({self.get_status_display()})"

    @property
    def document_formatted(self) -> str:
        return documents.format(self.document)

    @property
    def unfinished(self) -> bool:
        """Not finished yet (its own platform call, or the one of another branch it waits for)."""
        return self.status in UNFINISHED

    @property
    def subject(self) -> Any:
        return self.customer or self.lead or self.prospect

    @property
    def restriction_unvalued(self) -> int:
        """How many of the restrictions came without an amount, from the stored report (reports
        stored before totals counted them tell by their detailed rows)."""
        report = self.report if isinstance(self.report, dict) else {}
        counted = sum(int(t.get("unvalued", 0)) for t in report.get("totals", []))
        rows = sum(1 for r in report.get("restrictions", []) if r.get("amount") is None)
        return max(counted, rows)
