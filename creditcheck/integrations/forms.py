"""Configurações > Integrações forms: the global flags and one branch's platform integration."""

from collections.abc import Collection, Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from creditcheck.core.forms import StyledFormMixin
from creditcheck.core.models import Branch
from creditcheck.integrations.enums import Environment
from creditcheck.integrations.models import BranchIntegration, CreditAnalysisSettings
from creditcheck.integrations.platforms import default_base_url
from creditcheck.integrations.services import (
    SETTINGS_FIELDS,
    credentials_masked,
    credit_settings_validate,
)
from providers import registry
from providers.base import CredentialField

YES_NO = [("1", "Sim"), ("0", "Não")]

# Preselected on a new integration: the bureau most ISPs contract directly.
PREFERRED_PLATFORM = "spcbrasil"

# Credential inputs are prefixed so a platform's field names never clash with the form's own.
CREDENTIAL_PREFIX = "credential_"


class CreditSettingsForm(StyledFormMixin, forms.Form):
    enabled = forms.TypedChoiceField(
        label=CreditAnalysisSettings._meta.get_field("enabled").verbose_name,
        choices=YES_NO,
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect(attrs={"data-toggles": "requery-interval"}),
        help_text="Com Não, as consultas e negativações ficam indisponíveis em todo o sistema.",
    )
    requery_interval_days = forms.IntegerField(
        label=CreditAnalysisSettings._meta.get_field("requery_interval_days").verbose_name,
        min_value=0,
        max_value=3650,
        required=False,
        help_text="0 = sem intervalo. Disponível somente com Sim.",
        widget=forms.NumberInput(
            # A class, not style="": the Content-Security-Policy allows no inline style.
            attrs={"data-interval-input": "1", "inputmode": "numeric", "class": "max-w-10rem"}
        ),
    )

    def __init__(self, *args: Any, current: CreditAnalysisSettings, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "enabled": "1" if current.enabled else "0",
                "requery_interval_days": current.requery_interval_days,
            },
        )
        super().__init__(*args, **kwargs)
        self.current = current
        # The browser keeps the interval disabled while "Não" is chosen (static/js/integrations.js).
        if not self._enabled_shown():
            self.fields["requery_interval_days"].widget.attrs["disabled"] = True

    def _enabled_shown(self) -> bool:
        if self.is_bound:
            return self.data.get(self.add_prefix("enabled")) == "1"
        return bool(self.current.enabled)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "enabled" in data:  # the service's rules, shown as this form's field errors
            try:
                credit_settings_validate(
                    current=self.current,
                    enabled=data["enabled"],
                    requery_interval_days=data.get("requery_interval_days"),
                )
            except ValidationError as exc:
                for name, errors in exc.message_dict.items():
                    self.add_error(name if name in self.fields else None, errors)
        return data


def credential_fields(platform: str) -> tuple[CredentialField, ...]:
    return registry.get(platform).credential_fields


def _preferred_platform() -> str:
    keys = registry.all_keys()
    return PREFERRED_PLATFORM if PREFERRED_PLATFORM in keys else keys[0]


class BranchIntegrationForm(StyledFormMixin, forms.Form):
    """A branch integration. Credentials are never rendered back: blank keeps the stored ones."""

    branch = forms.ModelChoiceField(label="Filial", queryset=Branch.objects.none())
    platform = forms.ChoiceField(label="Plataforma", choices=registry.choices)
    environment = forms.ChoiceField(label="Ambiente", choices=Environment.choices)
    base_url = forms.URLField(
        label="URL base", required=False, max_length=300, assume_scheme="https"
    )
    product = forms.CharField(label="Produto padrão", required=False, max_length=60)
    cost_per_query = forms.DecimalField(
        label="Custo por consulta (R$)",
        min_value=Decimal("0.00"),
        max_digits=8,
        decimal_places=2,
        localize=True,
        error_messages={"min_value": "Informe um valor igual ou maior que zero."},
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "0,00"}),
        help_text="Valor cobrado pela plataforma por consulta; aparece no aviso de custo.",
    )
    is_default = forms.BooleanField(label="Padrão para consultas da filial", required=False)
    active = forms.BooleanField(label="Ativa", required=False)

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        branches: QuerySet[Branch],
        integration: BranchIntegration | None = None,
        platform: str = "",
        environment: str = "",
    ) -> None:
        initial: dict[str, Any] = {"active": True, "cost_per_query": Decimal("0.00")}
        if integration is not None:
            initial.update({name: getattr(integration, name) for name in SETTINGS_FIELDS})
            initial["branch"] = integration.branch_id
        # A platform/environment chosen on screen (GET params when the select changes).
        if platform in registry.all_keys():
            initial["platform"] = platform
        if environment in Environment.values:
            initial["environment"] = environment
        initial.setdefault("platform", _preferred_platform())
        initial.setdefault("environment", Environment.PRODUCTION)
        super().__init__(data, initial=initial)
        self.integration = integration
        branch_field = self.fields["branch"]
        assert isinstance(branch_field, forms.ModelChoiceField)
        branch_field.queryset = branches
        self.platform_key = self._chosen("platform", registry.all_keys())
        self.environment_key = self._chosen("environment", Environment.values)
        self._add_credential_fields()
        self._set_product_field()
        default_url = default_base_url(self.platform_key, self.environment_key)
        self.fields["base_url"].help_text = (
            f"Em branco: {default_url}"
            if default_url
            else "Obrigatória: esta plataforma não publica um endereço padrão."
        )
        self.fields["base_url"].widget.attrs["placeholder"] = default_url or "https://"

    def _chosen(self, name: str, allowed: Collection[str]) -> str:
        value = self.data.get(name) if self.is_bound else None
        if value in allowed:
            return str(value)
        return str(self.initial[name])

    @property
    def platform_label(self) -> str:
        return registry.trade_name(self.platform_key)

    @property
    def same_platform_as_stored(self) -> bool:
        return self.integration is not None and self.integration.platform == self.platform_key

    def _add_credential_fields(self) -> None:
        stored: dict[str, str] = {}
        if self.same_platform_as_stored and self.integration is not None:
            stored = dict(credentials_masked(self.integration))
        for spec in credential_fields(self.platform_key):
            widget: forms.Widget = (
                forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"})
                if spec.secret
                else forms.TextInput(attrs={"autocomplete": "off"})
            )
            masked = stored.get(spec.label, "")
            help_text = f"Salvo: {masked}. Em branco: mantém o valor salvo." if masked else ""
            if not spec.required:
                help_text = f"Opcional. {help_text}".strip()
            self.fields[CREDENTIAL_PREFIX + spec.name] = forms.CharField(
                label=spec.label,
                # Field-level feedback; the service still checks the merged credentials.
                required=spec.required and not masked,
                max_length=500,
                strip=True,
                widget=widget,
                help_text=help_text,
            )

    def _set_product_field(self) -> None:
        products: list[dict[str, Any]] = []
        if self.integration is not None and self.same_platform_as_stored:
            products = self.integration.products
        if products and self.integration is not None:
            choices = [(p["code"], f"{p['name']} ({p['code']})") for p in products]
            current = self.integration.product
            if current and current not in {code for code, _ in choices}:
                choices.insert(0, (current, current))
            self.fields["product"] = forms.ChoiceField(
                label="Produto padrão",
                choices=[("", "Padrão da plataforma"), *choices],
                required=False,
                help_text="Produtos sincronizados com a plataforma.",
            )
        else:
            if self.integration is not None and not self.same_platform_as_stored:
                self.initial["product"] = ""  # the stored code belongs to the other platform
            self.fields["product"].help_text = (
                "Código do produto na plataforma. Em branco: o padrão da plataforma. Depois de "
                "salvar, use Sincronizar produtos para escolher da lista."
            )

    def credential_bound_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(CREDENTIAL_PREFIX)]

    @property
    def credentials(self) -> dict[str, str]:
        return {
            name.removeprefix(CREDENTIAL_PREFIX): value
            for name, value in self.cleaned_data.items()
            if name.startswith(CREDENTIAL_PREFIX)
        }

    def add_service_errors(self, error: ValidationError) -> None:
        """Show the service's errors on the fields they name; the rest above the form."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, messages in error.message_dict.items():
            self.add_error(name if name in self.fields else None, messages)
