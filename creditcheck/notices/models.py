"""Notices to debtors before a negativação: the per-UF rules, the creditor's data they state,
the customers' consent to electronic notice, and every notice with its delivery events."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from creditcheck.contracts.models import Invoice
from creditcheck.core.enums import State
from creditcheck.core.models import Branch, TimeStampedModel
from creditcheck.customers.models import Customer
from creditcheck.notices.enums import (
    ELECTRONIC,
    NoticeChannel,
    NoticeEventKind,
    NoticeStatus,
    PlanKind,
)


def _recorded_by() -> models.ForeignKey:  # type: ignore[type-arg]
    """Who recorded the row (None: the system, an import or a deleted user)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrado por"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )


class StateNoticeRule(models.Model):
    """A UF's notice rule as edited in Configurações > Comunicados; without a row, the shipped
    default of notices/rules.py applies."""

    state = models.CharField(_("UF"), max_length=2, choices=State.choices, unique=True)
    days = models.PositiveIntegerField(
        _("prazo (dias)"), validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    business_days = models.BooleanField(_("dias úteis"), default=False)
    channels_without_consent = models.JSONField(_("canais sem consentimento"), default=list)
    channels_with_consent = models.JSONField(_("canais com consentimento"), default=list)
    contents = models.JSONField(_("conteúdo obrigatório"), default=list)
    source = models.TextField(_("fonte"))
    updated_at = models.DateTimeField(_("alterada em"), auto_now=True)

    class Meta:
        verbose_name = _("regra de comunicado por UF")
        verbose_name_plural = _("regras de comunicado por UF")
        ordering = ["state"]

    def __str__(self) -> str:
        return self.state


class CreditorProfile(models.Model):
    """What the notices of a branch say of the creditor (its CNPJ is the branch's)."""

    branch = models.OneToOneField(
        Branch, verbose_name=_("filial"), on_delete=models.CASCADE, related_name="creditor"
    )
    legal_name = models.CharField(_("razão social"), max_length=150)
    address = models.CharField(_("endereço"), max_length=250)
    phone = models.CharField(_("telefone"), max_length=20)

    class Meta:
        verbose_name = _("dados do credor")
        verbose_name_plural = _("dados do credor")

    def __str__(self) -> str:
        return self.legal_name


class NoticeConsent(TimeStampedModel):
    """A customer's prior consent to be notified through an electronic channel."""

    customer = models.ForeignKey(
        Customer,
        verbose_name=_("cliente"),
        on_delete=models.CASCADE,
        related_name="notice_consents",
    )
    channel = models.CharField(
        _("canal"), max_length=10, choices=[(c.value, c.label) for c in ELECTRONIC]
    )
    given_on = models.DateField(_("data do consentimento"))
    source = models.CharField(_("origem"), max_length=200)
    revoked_on = models.DateField(_("revogado em"), null=True, blank=True)
    recorded_by = _recorded_by()

    class Meta:
        verbose_name = _("consentimento de comunicado eletrônico")
        verbose_name_plural = _("consentimentos de comunicado eletrônico")
        ordering = ["-given_on", "-id"]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.channel} {self.given_on}"


class DunningStep(TimeStampedModel):
    """One step of a branch's dunning ruler (régua de cobrança): a message through `channel`,
    `offset_days` from each open invoice's due date (negative: before it)."""

    branch = models.ForeignKey(
        Branch, verbose_name=_("filial"), on_delete=models.CASCADE, related_name="dunning_steps"
    )
    name = models.CharField(_("nome"), max_length=80)
    offset_days = models.IntegerField(
        _("dias em relação ao vencimento"),
        validators=[MinValueValidator(-60), MaxValueValidator(180)],
    )
    channel = models.CharField(
        _("canal"), max_length=10, choices=[(c.value, c.label) for c in ELECTRONIC]
    )
    subject = models.CharField(_("assunto (e-mail)"), max_length=200, blank=True)
    template = models.TextField(_("texto"))
    active = models.BooleanField(_("ativa"), default=True)

    class Meta:
        verbose_name = _("etapa da régua de cobrança")
        verbose_name_plural = _("etapas da régua de cobrança")
        ordering = ["branch", "offset_days", "channel"]
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "offset_days", "channel"], name="one_step_per_day_and_channel"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Notice(TimeStampedModel):
    """One notice of a debt to its debtor (a letter posted, an e-mail, an SMS)."""

    customer = models.ForeignKey(
        Customer, verbose_name=_("cliente"), on_delete=models.PROTECT, related_name="notices"
    )
    invoice = models.ForeignKey(
        Invoice, verbose_name=_("fatura"), on_delete=models.PROTECT, related_name="notices"
    )
    channel = models.CharField(_("canal"), max_length=10, choices=NoticeChannel.choices)
    status = models.CharField(
        _("situação"), max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.SENT
    )
    destination = models.CharField(_("destino"), max_length=300)
    subject = models.CharField(_("assunto"), max_length=200, blank=True)
    body = models.TextField(_("texto"))
    contents = models.JSONField(_("conteúdo"), default=list)
    sent_on = models.DateField(_("enviado/postado em"))
    delivered_on = models.DateField(_("entregue em"), null=True, blank=True)
    provider_id = models.CharField(_("identificador no provedor"), max_length=120, blank=True)
    tracking_code = models.CharField(_("código de rastreio"), max_length=40, blank=True)
    # The dunning step that sent it (none for letters recorded by staff): once per invoice.
    step = models.ForeignKey(
        DunningStep,
        verbose_name=_("etapa da régua"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notices",
    )
    status_detail = models.TextField(_("detalhe da situação"), blank=True)
    recorded_by = _recorded_by()

    class Meta:
        verbose_name = _("comunicado")
        verbose_name_plural = _("comunicados")
        ordering = ["-sent_on", "-id"]
        permissions = [
            ("record_notice", _("Pode registrar comunicados e consentimentos")),
            ("download_dossier", _("Pode baixar o dossiê de defesa da negativação")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["invoice", "step"],
                condition=models.Q(step__isnull=False),
                name="one_notice_per_invoice_and_step",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.sent_on:%d/%m/%Y}"


class NoticeEvent(models.Model):
    """What happened to a notice, with the raw evidence (receipt, SMTP answer, callback)."""

    notice = models.ForeignKey(
        Notice, verbose_name=_("comunicado"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("evento"), max_length=10, choices=NoticeEventKind.choices)
    at = models.DateTimeField(_("em"))
    detail = models.TextField(_("detalhe"), blank=True)
    raw = models.TextField(_("evidência"), blank=True)
    # The provider's id of the event (an SMS status callback): the same event is taken once.
    provider_event_id = models.CharField(_("id do evento no provedor"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("evento de comunicado")
        verbose_name_plural = _("eventos de comunicado")
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider_event_id"],
                condition=~models.Q(provider_event_id=""),
                name="one_event_per_provider_event",
            )
        ]

    def __str__(self) -> str:
        return f"{self.notice_id} {self.kind}"


class RepaymentPlan(TimeStampedModel):
    """A repayment plan of an over-indebted consumer (superendividamento, Lei 14.181/2021,
    CDC art. 104-A): the debts it covers are not negativated while it is in force, and their
    registered negativações are removed on `removal_on`."""

    customer = models.ForeignKey(
        Customer,
        verbose_name=_("cliente"),
        on_delete=models.PROTECT,
        related_name="repayment_plans",
    )
    kind = models.CharField(_("tipo"), max_length=15, choices=PlanKind.choices)
    reference = models.CharField(_("processo ou termo"), max_length=60)
    starts_on = models.DateField(_("início"))
    ends_on = models.DateField(_("término"))
    removal_on = models.DateField(_("exclusão dos cadastros em"))
    invoices = models.ManyToManyField(
        Invoice, verbose_name=_("dívidas do plano"), related_name="repayment_plans"
    )
    recorded_by = _recorded_by()

    class Meta:
        verbose_name = _("plano de repactuação")
        verbose_name_plural = _("planos de repactuação")
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference}"
