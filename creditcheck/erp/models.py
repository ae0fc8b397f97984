"""Payment sources (who may tell us that an invoice was paid) and the events they sent."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from creditcheck.core.external import SOURCE_MAX_LENGTH
from creditcheck.core.models import Branch, TimeStampedModel
from creditcheck.erp.enums import EventKind, EventStatus, SourceKind
from creditcheck.integrations.secrets import decrypt_credentials, encrypt_credentials


class PaymentSource(TimeStampedModel):
    """A gateway, PSP or system that notifies payments at /webhooks/<key>/."""

    key = models.SlugField(
        _("identificador"),
        max_length=40,
        unique=True,
        help_text=_("Parte do endereço do webhook: /webhooks/<identificador>/."),
    )
    name = models.CharField(_("nome"), max_length=120)
    kind = models.CharField(_("tipo"), max_length=10, choices=SourceKind.choices)
    branch = models.ForeignKey(
        Branch,
        verbose_name=_("filial"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payment_sources",
        help_text=_("Só faturas desta filial são baixadas; vazio: todas as filiais."),
    )
    invoice_source = models.CharField(
        _("origem das faturas"),
        max_length=SOURCE_MAX_LENGTH,
        blank=True,
        help_text=_(
            "Origem (ex.: ixc) cujo código de fatura a referência do pagamento traz; "
            "vazio: a referência é o número da fatura."
        ),
    )
    # Fernet token of {"secret": ...}, like the platforms' credentials. Never shown.
    secret_encrypted = models.TextField(_("segredo (cifrado)"), blank=True, editable=False)
    active = models.BooleanField(_("ativa"), default=True)

    class Meta:
        verbose_name = _("fonte de pagamentos")
        verbose_name_plural = _("fontes de pagamentos")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"

    def set_secret(self, secret: str) -> None:
        self.secret_encrypted = encrypt_credentials({"secret": secret})

    @property
    def secret(self) -> str:
        return decrypt_credentials(self.secret_encrypted).get("secret", "")


class PaymentEvent(models.Model):
    """One payment notice as a source sent it (raw), and what it did.

    Unique per source and the source's event id (Asaas `id`, Pix `endToEndId`, the signed
    webhook's `id`): a redelivery finds the stored event and changes nothing.
    """

    source = models.ForeignKey(
        PaymentSource, verbose_name=_("fonte"), on_delete=models.PROTECT, related_name="events"
    )
    event_id = models.CharField(_("identificador do evento"), max_length=120)
    event_type = models.CharField(_("evento"), max_length=60)
    kind = models.CharField(_("natureza"), max_length=10, choices=EventKind.choices)
    status = models.CharField(_("resultado"), max_length=15, choices=EventStatus.choices)
    reference = models.CharField(_("referência da fatura"), max_length=120, blank=True)
    amount = models.DecimalField(_("valor"), max_digits=12, decimal_places=2, null=True, blank=True)
    paid_on = models.DateField(_("data do pagamento"), null=True, blank=True)
    invoice = models.ForeignKey(
        "contracts.Invoice",
        verbose_name=_("fatura"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payment_events",
    )
    # The invoice's branch once matched, else the source's: who may see the event.
    branch = models.ForeignKey(
        Branch,
        verbose_name=_("filial"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    message = models.CharField(_("mensagem"), max_length=300, blank=True)
    raw = models.TextField(_("conteúdo recebido"))
    received_at = models.DateTimeField(_("recebido em"), auto_now_add=True)
    deliveries = models.PositiveIntegerField(_("entregas"), default=1)
    last_delivery_at = models.DateTimeField(_("última entrega"), auto_now_add=True)
    matched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vinculado por"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    matched_at = models.DateTimeField(_("vinculado em"), null=True, blank=True)

    class Meta:
        verbose_name = _("evento de pagamento")
        verbose_name_plural = _("eventos de pagamento")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "event_id"], name="payment_event_once")
        ]
        indexes = [models.Index(fields=["status", "received_at"], name="payment_event_status_idx")]
        permissions = [("match_paymentevent", _("Pode vincular um pagamento a uma fatura"))]

    def __str__(self) -> str:
        return f"{self.source.key} {self.event_id}"
