"""Forms of the credit-query screens: the query confirmation and the report filters."""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import QuerySet

from creditcheck.analysis.enums import Billed, QueryStatus
from creditcheck.analysis.selectors import QueryFilters
from creditcheck.core.fields import DocumentFormField
from creditcheck.core.formatting import money
from creditcheck.core.forms import DocumentInput, PeriodFilterForm, StyledFormMixin
from creditcheck.core.models import Branch
from creditcheck.integrations.models import BranchIntegration
from creditcheck.integrations.platforms import platform_filter_choices


@dataclass(frozen=True)
class BranchOption:
    """A filial where the user may query, with the integrations its queries may use (one per
    platform, its default first)."""

    branch: Branch
    integrations: tuple[BranchIntegration, ...]

    @property
    def label(self) -> str:
        return self.branch.name


def integration_label(integration: BranchIntegration) -> str:
    cost = money(integration.cost_per_query)
    default = " (padrão)" if integration.is_default else ""
    return f"{integration.get_platform_display()} · {cost} por consulta{default}"


class CreditQueryForm(StyledFormMixin, forms.Form):
    """The confirmation step of every query entry point.

    The branch is validated against all the user's branches, not only those listed: whether a
    branch can query is the query service's decision, and its refusal is recorded.
    """

    branch = forms.ModelChoiceField(label="Filial", queryset=Branch.objects.none())
    # Validated by the query service too: the filial's active integration with that platform.
    platform = forms.ChoiceField(label="Plataforma", required=False)
    product = forms.ChoiceField(label="Produto", required=False)
    override_reason = forms.CharField(
        label="Justificativa",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Por que é necessário consultar antes do fim do intervalo. Fica registrada.",
    )
    override = forms.BooleanField(required=False, widget=forms.HiddenInput)
    # "Ver o resultado nesta filial": inside the interval, copy the last query of a branch the
    # user cannot open instead of refusing (the query service decides).
    reuse_result = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        data: Any = None,
        *,
        branches: QuerySet[Branch],
        options: list[BranchOption],
        preferred_branch_id: int | None = None,
        branch_id: str = "",
        platform: str = "",
    ) -> None:
        self.options = options
        by_id = {str(option.branch.pk): option for option in options}
        chosen = (data or {}).get("branch") or branch_id
        if chosen not in by_id:
            preferred = str(preferred_branch_id) if preferred_branch_id else ""
            chosen = (
                preferred if preferred in by_id else (str(options[0].branch.pk) if options else "")
            )
        self.selected: BranchOption | None = by_id.get(chosen)
        integrations = self.selected.integrations if self.selected else ()
        by_platform = {integration.platform: integration for integration in integrations}
        platform = (data or {}).get("platform") or platform
        # The integration whose price the cost warning shows: the one asked for, else the default.
        self.integration: BranchIntegration | None = by_platform.get(platform) or (
            integrations[0] if integrations else None
        )
        initial_platform = self.integration.platform if self.integration else ""
        super().__init__(data, initial={"branch": chosen, "platform": initial_platform})
        branch_field = self.fields["branch"]
        assert isinstance(branch_field, forms.ModelChoiceField)
        branch_field.queryset = branches
        branch_field.choices = [(str(option.branch.pk), option.label) for option in options]
        platform_field = self.fields["platform"]
        assert isinstance(platform_field, forms.ChoiceField)
        platform_field.choices = [(i.platform, integration_label(i)) for i in integrations]
        product_field = self.fields["product"]
        assert isinstance(product_field, forms.ChoiceField)
        product_field.choices = self._product_choices()

    def _product_choices(self) -> list[tuple[str, str]]:
        if self.integration is None:
            return [("", "Padrão da integração")]
        integration = self.integration
        default = (
            f"Padrão da integração ({integration.product})"
            if integration.product
            else ("Padrão da integração")
        )
        choices = [("", default)]
        choices += [(p["code"], f"{p['name']} ({p['code']})") for p in integration.products]
        return choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("override") and not data.get("override_reason", "").strip():
            self.add_error(
                "override_reason", "Informe a justificativa para consultar antes do intervalo."
            )
        return data


class DocumentChoiceForm(StyledFormMixin, forms.Form):
    """A bare CPF/CNPJ to consult: the query page opened without a customer, lead or prospect."""

    document = DocumentFormField(label="CPF/CNPJ", widget=DocumentInput(attrs={"autofocus": True}))


class QueryReportFilterForm(PeriodFilterForm):
    """Relatórios > Consultas filters; the same values filter the list and the CSV export."""

    RESULT_CHOICES = [
        ("", "Todos"),
        ("with_restrictions", "Com restrições"),
        ("clean", "Sem restrições (nada consta)"),
    ]

    platform = forms.ChoiceField(
        label="Plataforma", choices=platform_filter_choices, required=False
    )
    result = forms.ChoiceField(label="Resultado", choices=RESULT_CHOICES, required=False)
    status = forms.ChoiceField(
        label="Situação", choices=[("", "Todas"), *QueryStatus.choices], required=False
    )
    document = forms.CharField(
        label="CPF/CNPJ", required=False, max_length=18, widget=DocumentInput()
    )

    def filters(self) -> QueryFilters | None:
        """The filters to apply; None when a value is invalid (the list shows its error)."""
        if not self.is_bound:
            return QueryFilters()
        if not self.is_valid():
            return None
        data = self.cleaned_data
        return QueryFilters(
            date_from=data["date_from"],
            date_to=data["date_to"],
            branch_id=data["branch"].pk if data["branch"] else None,
            platform=data["platform"],
            user_id=data["user"].pk if data["user"] else None,
            status=data["status"],
            result=data["result"],
            document=data["document"],
        )


class BillingSettlementForm(forms.Form):
    """Whether a query whose billing the platform left unknown was billed."""

    billed = forms.ChoiceField(
        label="Cobrada",
        choices=[(Billed.YES.value, "Foi cobrada"), (Billed.NO.value, "Não foi cobrada")],
        error_messages={"required": "Informe se a consulta foi cobrada."},
    )
