"""Forms of Relatórios > Custos: the month and filial filter (screen, CSV and API alike) and the
administrator's budget change."""

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet

from creditcheck.core.forms import BranchFilterForm, StyledFormMixin
from creditcheck.core.models import Branch
from creditcheck.costs.budgets import current_month

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


class MonthInput(forms.TextInput):
    input_type = "month"


class CostsFilterForm(BranchFilterForm):
    q = None  # type: ignore[assignment]  # Django's way to drop an inherited field: no search
    month = forms.CharField(label="Mês", required=False, widget=MonthInput())
    field_order = ["month", "branch"]

    def __init__(self, *args: Any, branches: QuerySet[Branch], **kwargs: Any) -> None:
        super().__init__(*args, branches=branches, **kwargs)
        self.branches = branches
        if self.is_bound and not str(self.data.get("month") or "").strip():
            # No month asked: the current one, shown in the filter as well as reported.
            self.data = {**dict(self.data.items()), "month": f"{current_month():%Y-%m}"}

    def clean_month(self) -> dt.date:
        value = self.cleaned_data["month"].strip()
        if not value:
            return current_month()
        match = MONTH_RE.match(value)
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise forms.ValidationError("Informe o mês no formato AAAA-MM.", code="invalid_month")
        return dt.date(int(match.group(1)), int(match.group(2)), 1)

    def selected_branches(self) -> QuerySet[Branch]:
        branch = self.cleaned_data.get("branch")
        return self.branches.filter(pk=branch.pk) if branch else self.branches


class BudgetForm(StyledFormMixin, forms.Form):
    SET = "set"
    RAISE = "raise"

    branch = forms.ModelChoiceField(label="Filial", queryset=Branch.objects.none())
    action = forms.ChoiceField(
        label="Ação",
        choices=[(SET, "Definir orçamento mensal"), (RAISE, "Aumentar o orçamento deste mês")],
    )
    amount = forms.DecimalField(
        label="Valor (R$)",
        required=False,
        min_value=Decimal("0.00"),
        max_digits=12,
        decimal_places=2,
        localize=True,
        help_text="Orçamento mensal vazio: sem limite.",
    )

    def __init__(self, *args: Any, branches: QuerySet[Branch], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        branch_field = self.fields["branch"]
        assert isinstance(branch_field, forms.ModelChoiceField)
        branch_field.queryset = branches

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        branch = cleaned.get("branch")
        if cleaned.get("action") == self.RAISE:
            if not cleaned.get("amount"):
                self.add_error("amount", "Informe o valor do acréscimo.")
            elif branch is not None and not hasattr(branch, "budget"):
                self.add_error("branch", "Esta filial não tem orçamento: não há limite a aumentar.")
        return cleaned
