"""Configurações > Política de crédito: the policy's settings and its ordered rules (a formset).

The forms only parse what was typed; what a rule may be (the score scale, ranges, known kinds,
a reason) is decided by the policy service, whose errors are put back on the fields here.
"""

from typing import Any

from django import forms

from creditcheck.core.forms import StyledFormMixin
from creditcheck.decisions.enums import RuleAction, RuleKind
from creditcheck.decisions.rules import SCORE_SCALE
from creditcheck.decisions.services import PolicyInput, PolicyInvalid
from creditcheck.negativation.forms import MoneyField
from providers.base import RESTRICTION_KIND_LABELS

YES_NO = [("1", "Sim"), ("0", "Não")]
EXTRA_RULE_ROWS = 3


class PolicyForm(StyledFormMixin, forms.Form):
    enabled = forms.TypedChoiceField(
        label="Política ativa",
        choices=YES_NO,
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        help_text="Desativada, as consultas não recebem decisão e a ativação de contratos não é "
        "bloqueada.",
    )
    validity_days = forms.IntegerField(
        label="Validade da decisão (dias)", help_text="Depois disso a decisão fica expirada."
    )
    max_plan_value = MoneyField(
        label="Aprovado: valor mensal máximo do plano",
        required=False,
        max_digits=12,
        help_text="Em branco: qualquer plano.",
    )
    comodato = forms.BooleanField(label="Aprovado: equipamento em comodato", required=False)
    deposit = MoneyField(
        label="Aprovado: caução", required=False, max_digits=12, help_text="Em branco: sem caução."
    )


class RuleForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label="Regra", choices=[("", "—"), *RuleKind.choices], required=False)
    score = forms.IntegerField(label="Score menor que", required=False)
    score_min = forms.IntegerField(label="Score de", required=False)
    score_max = forms.IntegerField(label="até", required=False)
    kinds = forms.MultipleChoiceField(
        label="Tipos de restrição",
        choices=[(k.value, label) for k, label in RESTRICTION_KIND_LABELS.items()],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    amount = MoneyField(label="Total acima de", required=False, max_digits=14)
    count = forms.IntegerField(label="Quantidade", required=False)
    action = forms.ChoiceField(label="Resultado", choices=RuleAction.choices, required=False)
    max_plan_value = MoneyField(label="Plano até", required=False, max_digits=14)
    no_comodato = forms.BooleanField(label="Sem comodato", required=False)
    deposit = MoneyField(label="Caução", required=False, max_digits=14)
    reason = forms.CharField(label="Motivo mostrado na decisão", required=False, max_length=1000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        low, high = SCORE_SCALE
        for name in ("score", "score_min", "score_max"):
            self.fields[name].widget.attrs.update(placeholder=f"{low} a {high}")

    @property
    def is_blank(self) -> bool:
        """A row left empty (the extra rows): not a rule."""
        data = getattr(self, "cleaned_data", {})
        return not data.get("kind") and not str(data.get("reason") or "").strip()


RuleFormSet = forms.formset_factory(RuleForm, extra=EXTRA_RULE_ROWS, can_delete=True)


def rule_initial(stored: dict[str, Any]) -> dict[str, Any]:
    return {**stored, "kinds": list(stored.get("kinds") or [])}


def policy_input(form: PolicyForm, rules: Any) -> tuple[PolicyInput, list[RuleForm]]:
    """What the valid forms say, and the rule forms in the order of the input's rules."""
    kept = [f for f in rules.forms if not f.is_blank and not f.cleaned_data.get("DELETE")]
    data = form.cleaned_data
    policy = PolicyInput(
        enabled=data["enabled"],
        validity_days=data["validity_days"],
        max_plan_value=data["max_plan_value"],
        comodato=data["comodato"],
        deposit=data["deposit"],
        rules=[{k: v for k, v in f.cleaned_data.items() if k != "DELETE"} for f in kept],
    )
    return policy, kept


def show_refusal(refusal: PolicyInvalid, form: PolicyForm, kept: list[RuleForm]) -> None:
    """The service's errors on the fields they name."""
    for name, errors in refusal.fields.items():
        form.add_error(name if name in form.fields else None, errors)
    for index, by_field in refusal.rules.items():
        for name, errors in by_field.items():
            kept[index].add_error(name if name in kept[index].fields else None, errors)
