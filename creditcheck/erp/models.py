"""Payment sources (who may tell us that an invoice was paid) and the events they sent."""

from typing import Any

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


class ImportStatus(models.TextChoices):
    PREVIEW = "preview", _("Aguardando confirmação")
    QUEUED = "queued", _("Na fila")
    RUNNING = "running", _("Importando")
    DONE = "done", _("Concluída")
    FAILED = "failed", _("Não importada")


class ImportMode(models.TextChoices):
    SKIP_ERRORS = "skip_errors", _("Importar as linhas válidas e relatar as com erro")
    ALL_OR_NOTHING = "all_or_nothing", _("Importar só se nenhuma linha tiver erro")


def import_upload_to(instance: "ImportJob", filename: str) -> str:
    import uuid

    suffix = filename.rsplit(".", 1)[-1].lower()[:5]
    return f"imports/{uuid.uuid4().hex}.{suffix}"


class ImportJob(models.Model):
    """One uploaded file: its preview, its progress (resumable by row) and its outcome."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("enviado por"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    branch = models.ForeignKey(
        Branch,
        verbose_name=_("filial"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Filial dos clientes do arquivo."),
    )
    file = models.FileField(_("arquivo"), upload_to=import_upload_to)
    original_name = models.CharField(_("nome do arquivo"), max_length=200)
    preset = models.CharField(_("layout"), max_length=10)
    source = models.CharField(_("origem"), max_length=SOURCE_MAX_LENGTH)
    mode = models.CharField(_("linhas com erro"), max_length=15, choices=ImportMode.choices)
    encoding = models.CharField(_("codificação"), max_length=30, blank=True)
    status = models.CharField(
        _("situação"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PREVIEW
    )
    total_rows = models.PositiveIntegerField(_("linhas"), default=0)
    processed_rows = models.PositiveIntegerField(_("linhas processadas"), default=0)
    created = models.PositiveIntegerField(_("criados"), default=0)
    updated = models.PositiveIntegerField(_("atualizados"), default=0)
    unchanged = models.PositiveIntegerField(_("sem alteração"), default=0)
    error_rows = models.PositiveIntegerField(_("linhas com erro"), default=0)
    # [{"line": 3, "external_id": "...", "messages": ["..."]}], in file order.
    errors = models.JSONField(_("erros"), default=list, blank=True)
    message = models.CharField(_("mensagem"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("enviado em"), auto_now_add=True)
    finished_at = models.DateTimeField(_("concluído em"), null=True, blank=True)

    class Meta:
        verbose_name = _("importação")
        verbose_name_plural = _("importações")
        ordering = ["-created_at", "-id"]
        permissions = [("import_records", _("Pode importar clientes, contratos e faturas"))]

    def __str__(self) -> str:
        return self.original_name

    @property
    def progress_percent(self) -> int:
        return 100 if not self.total_rows else self.processed_rows * 100 // self.total_rows


class IxcConnection(TimeStampedModel):
    """An ISP's IXCProvedor: where to read it, as whom, and which filial is which branch."""

    name = models.CharField(_("nome"), max_length=120)
    base_url = models.URLField(_("URL do IXC"), max_length=300)
    # Fernet token of {"token": "<user id>:<secret>"}, like the platforms' credentials.
    token_encrypted = models.TextField(_("token (cifrado)"), blank=True, editable=False)
    # {"<IXC filial id>": <branch pk>}; receivables of an unmapped filial go to default_branch.
    branch_map = models.JSONField(_("filiais do IXC → filiais"), default=dict, blank=True)
    default_branch = models.ForeignKey(
        Branch, verbose_name=_("filial padrão"), on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(
        _("origem"), max_length=SOURCE_MAX_LENGTH, default="ixc",
        help_text=_("Origem gravada nos registros sincronizados."),
    )  # fmt: skip
    # `ultima_atualizacao` of the newest record brought in: the next sync asks from there.
    watermark = models.CharField(_("última atualização lida"), max_length=19, blank=True)
    active = models.BooleanField(_("ativa"), default=True)
    # The ERP's `filial` table as last read: [{"id": "1", "name": "Matriz", "active": true}],
    # what the mapping screen offers (every sync reads it again).
    filiais = models.JSONField(_("filiais do IXC"), default=list, blank=True)
    filiais_synced_at = models.DateTimeField(_("filiais lidas em"), null=True, blank=True)

    class Meta:
        verbose_name = _("conexão com o IXCProvedor")
        verbose_name_plural = _("conexões com o IXCProvedor")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def set_token(self, token: str) -> None:
        self.token_encrypted = encrypt_credentials({"token": token})

    @property
    def token(self) -> str:
        return decrypt_credentials(self.token_encrypted).get("token", "")


class SyncRun(models.Model):
    """One run of a connection's sync: counts per table and the errors, for the sync log."""

    connection = models.ForeignKey(
        IxcConnection, verbose_name=_("conexão"), on_delete=models.CASCADE, related_name="runs"
    )
    started_at = models.DateTimeField(_("início"), auto_now_add=True)
    finished_at = models.DateTimeField(_("fim"), null=True, blank=True)
    ok = models.BooleanField(_("concluída"), default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pedida por"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Vazio: a sincronização agendada."),
    )
    # Progress of the run: records read from the ERP, and how many of them were applied.
    stage = models.CharField(_("etapa"), max_length=60, blank=True)
    total = models.PositiveIntegerField(_("registros lidos"), default=0)
    processed = models.PositiveIntegerField(_("registros processados"), default=0)
    since = models.CharField(_("a partir de"), max_length=19, blank=True)
    # {"customers": {"created": 3, "updated": 0, "unchanged": 9, "error": 0}, ...}
    counts = models.JSONField(_("contagens"), default=dict)
    errors = models.JSONField(_("erros"), default=list)
    message = models.CharField(_("mensagem"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("sincronização")
        verbose_name_plural = _("sincronizações")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.connection} {self.started_at:%d/%m/%Y %H:%M}"

    @property
    def running(self) -> bool:
        return self.finished_at is None

    @property
    def progress_percent(self) -> int:
        if not self.running:
            return 100
        return self.processed * 100 // self.total if self.total else 0

    def count(self, outcome: str) -> int:
        return sum(table.get(outcome, 0) for table in self.counts.values())

    @property
    def table_counts(self) -> list[dict[str, Any]]:
        """For the sync log: each table's counts, labelled."""
        return [
            {
                "kind": kind,
                "counts": [
                    (label, self.counts.get(kind, {})[outcome])
                    for outcome, label in SYNC_OUTCOMES.items()
                    if self.counts.get(kind, {}).get(outcome)
                ],
            }
            for kind in SYNC_TABLES
        ]

    @property
    def error_lines(self) -> list[dict[str, str]]:
        return [
            {
                "table": SYNC_TABLES.get(error.get("table", ""), error.get("table", "")),
                "external_id": error.get("external_id", ""),
                "summary": "; ".join(
                    f"{name}: {_joined(messages)}"
                    for name, messages in (error.get("errors") or {}).items()
                )
                or error.get("code", ""),
            }
            for error in self.errors
        ]


def _joined(messages: Any) -> str:
    return " ".join(map(str, messages)) if isinstance(messages, list) else str(messages)


SYNC_TABLES = {
    "customers": _("Cliente"),
    "contracts": _("Contrato"),
    "invoices": _("Conta a receber"),
}
SYNC_OUTCOMES = {
    "created": _("Criados"),
    "updated": _("Atualizados"),
    "unchanged": _("Sem alteração"),
    "error": _("Com erro"),
}
