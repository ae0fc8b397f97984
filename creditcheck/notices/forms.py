"""Forms of the notice screens: a UF's rule, the creditor's data, a consent, a posted letter."""

from typing import Any

from django import forms

from creditcheck.contracts.models import Invoice
from creditcheck.core.forms import BrDateInput, StyledFormMixin
from creditcheck.customers.models import Customer
from creditcheck.notices.enums import ELECTRONIC, NoticeChannel, NoticeContent, PlanKind
from creditcheck.notices.models import CreditorProfile, DunningStep
from creditcheck.notices.refusals import NoticeRefused
from creditcheck.notices.selectors import open_invoices_of
from creditcheck.notices.texts import KNOWN_FIELDS

DATE_ERRORS = {"required": "Informe a data.", "invalid": "Data inválida (dd/mm/aaaa)."}


class NoticeRuleForm(StyledFormMixin, forms.Form):
    days = forms.IntegerField(
        label="Prazo (dias)",
        min_value=1,
        max_value=365,
        error_messages={
            "required": "Informe o prazo.",
            "min_value": "Mínimo 1 dia.",
            "max_value": "Máximo 365 dias.",
            "invalid": "Informe um número de dias.",
        },
    )
    business_days = forms.BooleanField(
        label="Contar em dias úteis (feriados da UF)", required=False
    )
    channels_without_consent = forms.MultipleChoiceField(
        label="Canais aceitos sem consentimento prévio",
        choices=NoticeChannel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    channels_with_consent = forms.MultipleChoiceField(
        label="Canais aceitos com consentimento prévio",
        choices=NoticeChannel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    contents = forms.MultipleChoiceField(
        label="Conteúdo obrigatório do comunicado",
        choices=NoticeContent.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    source = forms.CharField(
        label="Fonte (lei, artigo)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Informe a fonte da regra."},
    )


class CreditorProfileForm(StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = CreditorProfile
        fields = ["legal_name", "address", "phone"]
        error_messages = {
            "legal_name": {"required": "Informe a razão social."},
            "address": {"required": "Informe o endereço."},
            "phone": {"required": "Informe o telefone."},
        }


class ConsentForm(StyledFormMixin, forms.Form):
    channel = forms.ChoiceField(
        label="Canal",
        choices=[(c.value, c.label) for c in ELECTRONIC],
        error_messages={"required": "Escolha o canal.", "invalid_choice": "Canal inválido."},
    )
    given_on = forms.DateField(
        label="Data do consentimento", widget=BrDateInput(), error_messages=DATE_ERRORS
    )
    source = forms.CharField(
        label="Origem (ex.: contrato assinado, portal do assinante)",
        max_length=200,
        error_messages={"required": "Informe a origem do consentimento."},
    )


class LetterForm(StyledFormMixin, forms.Form):
    invoice = forms.ModelChoiceField(
        label="Fatura",
        queryset=Invoice.objects.none(),
        error_messages={"required": "Escolha a fatura.", "invalid_choice": "Fatura inválida."},
    )
    posted_on = forms.DateField(
        label="Postada em", widget=BrDateInput(), error_messages=DATE_ERRORS
    )
    tracking_code = forms.CharField(label="Código de rastreio", max_length=40, required=False)

    def __init__(self, *args: Any, customer: Customer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        invoice_field = self.fields["invoice"]
        assert isinstance(invoice_field, forms.ModelChoiceField)
        invoice_field.queryset = open_invoices_of(customer).order_by("due_date")
        invoice_field.label_from_instance = _invoice_label  # type: ignore[method-assign,assignment]


class RepaymentPlanForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label="Tipo", choices=PlanKind.choices, error_messages={"required": "Escolha o tipo."}
    )
    reference = forms.CharField(
        label="Processo ou termo de conciliação",
        max_length=60,
        error_messages={"required": "Informe o processo ou o termo."},
    )
    starts_on = forms.DateField(label="Início", widget=BrDateInput(), error_messages=DATE_ERRORS)
    ends_on = forms.DateField(label="Término", widget=BrDateInput(), error_messages=DATE_ERRORS)
    removal_on = forms.DateField(
        label="Exclusão dos cadastros em",
        widget=BrDateInput(),
        error_messages=DATE_ERRORS,
        help_text="Data em que o plano manda retirar o consumidor dos cadastros de inadimplentes.",
    )
    invoices = forms.ModelMultipleChoiceField(
        label="Dívidas do plano",
        queryset=Invoice.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Escolha ao menos uma dívida do plano.",
            "invalid_choice": "Fatura inválida.",
        },
    )

    def __init__(self, *args: Any, customer: Customer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        invoice_field = self.fields["invoices"]
        assert isinstance(invoice_field, forms.ModelMultipleChoiceField)
        invoice_field.queryset = open_invoices_of(customer).order_by("due_date")
        invoice_field.label_from_instance = _invoice_label  # type: ignore[method-assign,assignment]


def _invoice_label(invoice: Invoice) -> str:
    return f"{invoice.number} — venc. {invoice.due_date:%d/%m/%Y} — R$ {invoice.amount}"


def refusal_to_form(form: forms.BaseForm, refusal: NoticeRefused) -> None:
    """Show a service refusal on its field (or above the form)."""
    form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)


class DunningStepForm(StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = DunningStep
        fields = ["name", "offset_days", "channel", "subject", "template", "active"]
        widgets = {"template": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "offset_days": "Negativo: antes do vencimento (-3 = D-3); positivo: depois (D+20).",
            "template": "Campos: " + ", ".join(f"{{{name}}}" for name in KNOWN_FIELDS) + ".",
        }
        error_messages = {
            "name": {"required": "Informe o nome da etapa."},
            "offset_days": {
                "required": "Informe os dias.",
                "invalid": "Informe um número de dias.",
                "min_value": "Mínimo -60 dias.",
                "max_value": "Máximo 180 dias.",
            },
            "template": {"required": "Informe o texto da mensagem."},
        }
