"""Integration settings: the global credit-analysis flags and per-branch platform configurations."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from creditcheck.core.models import Branch, TimeStampedModel
from creditcheck.integrations.enums import Environment
from providers import registry


class CreditAnalysisSettings(models.Model):
    """The one row of global settings edited in Configurações > Integrações."""

    enabled = models.BooleanField(_("Utiliza integração com análise de crédito"), default=False)
    requery_interval_days = models.PositiveIntegerField(
        _("Intervalo de dias para consultar o mesmo CPF/CNPJ"),
        default=0,
        help_text=_("0 = sem intervalo. Consultar o mesmo CPF/CNPJ antes disso gera um alerta."),
    )
    updated_at = models.DateTimeField(_("atualizado em"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("atualizado por"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("configuração de análise de crédito")
        verbose_name_plural = _("configurações de análise de crédito")

    def __str__(self) -> str:
        return str(_("Configurações de análise de crédito"))

    @classmethod
    def load(cls) -> "CreditAnalysisSettings":
        row, _created = cls.objects.get_or_create(pk=1)
        return row


class BranchIntegration(TimeStampedModel):
    """One branch's contract with one platform: where to call, as whom, and what it costs."""

    branch = models.ForeignKey(
        Branch, verbose_name=_("filial"), on_delete=models.PROTECT, related_name="integrations"
    )
    # Choices from the registry, read when used: a new platform needs no migration.
    platform = models.CharField(
        _("plataforma"), max_length=registry.KEY_MAX_LENGTH, choices=registry.choices
    )
    environment = models.CharField(
        _("ambiente"), max_length=15, choices=Environment.choices, default=Environment.PRODUCTION
    )
    base_url = models.URLField(_("URL base"), max_length=300)
    # Fernet token of a JSON object; see integrations/secrets.py. Never shown or returned.
    credentials_encrypted = models.TextField(
        _("credenciais (cifradas)"), blank=True, editable=False
    )
    product = models.CharField(_("produto padrão"), max_length=60, blank=True)
    products = models.JSONField(_("produtos sincronizados"), default=list, blank=True)
    products_synced_at = models.DateTimeField(_("produtos sincronizados em"), null=True, blank=True)
    cost_per_query = models.DecimalField(
        _("custo por consulta (R$)"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0.00"))],
    )
    is_default = models.BooleanField(_("padrão para consultas"), default=False)
    active = models.BooleanField(_("ativa"), default=True)
    last_test_at = models.DateTimeField(_("último teste em"), null=True, blank=True)
    last_test_ok = models.BooleanField(_("último teste ok"), null=True, blank=True)
    last_test_message = models.CharField(_("resultado do último teste"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("integração da filial")
        verbose_name_plural = _("integrações das filiais")
        ordering = ["branch__name", "-is_default", "platform"]
        constraints = [
            models.UniqueConstraint(
                fields=["branch"],
                condition=models.Q(is_default=True),
                name="one_default_integration_per_branch",
            )
        ]

    def __str__(self) -> str:
        return f"{self.branch} — {self.get_platform_display()} ({self.get_environment_display()})"
