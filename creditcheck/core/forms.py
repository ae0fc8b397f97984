"""Form building blocks shared by every screen, and the Filiais (branch) form."""

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Model, Q, QuerySet
from django.forms.boundfield import BoundField
from django.utils.functional import Promise

from creditcheck.core import documents
from creditcheck.core.fields import format_cep
from creditcheck.core.formatting import phone
from creditcheck.core.models import Branch
from creditcheck.core.selectors import filter_given

_CHECK_WIDGETS = (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect)
_SELECT_WIDGETS = (forms.Select, forms.SelectMultiple)

# The postal address block of customers and prospects, in the order of the paper form.
ADDRESS_FIELDS = ["cep", "street", "number", "complement", "district", "city", "state"]

_M = TypeVar("_M", bound=Model)


class DocumentInput(forms.TextInput):
    """Shows a stored CPF/CNPJ masked; what the user typed comes back exactly as typed."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"data-mask": "document", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        return documents.format(value) if value else None


class CepInput(forms.TextInput):
    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        defaults = {"data-mask": "cep", "placeholder": "00000-000", "inputmode": "numeric"}
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        return format_cep(value) if value else None


class PhoneInput(forms.TextInput):
    def __init__(self) -> None:
        super().__init__(attrs={"placeholder": "(11) 91234-5678", "type": "tel"})

    def format_value(self, value: Any) -> str | None:
        # A number stored as bare digits is shown masked; anything typed otherwise comes back
        # exactly as typed.
        if value and str(value).isdigit():
            return phone(str(value))
        return super().format_value(value)


class BrDateInput(forms.DateInput):
    """dd/mm/aaaa text field: the pt-BR input format, independent of the browser's locale."""

    def __init__(self) -> None:
        super().__init__(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/aaaa"})


def name_or_document_condition(text: str, prefix: str = "") -> Q:
    """Match `name`, or the CPF/CNPJ `document` typed masked, bare or partially.

    `prefix` reaches the fields through a relation ("contract__customer__"). Leads and prospects
    have the same two fields, so their lists search the same way.
    """
    text = text.strip()
    condition = Q(**{f"{prefix}name__icontains": text})
    normalized = documents.normalize(text)
    # A name has no digits; anything with digits may be (part of) a document.
    if any(char.isdigit() for char in normalized):
        condition |= Q(**{f"{prefix}document__contains": normalized})
    return condition


def searched(queryset: QuerySet[_M], text: str, prefix: str = "", *also: str) -> QuerySet[_M]:
    """`queryset` narrowed to a filter bar's search box: the name or CPF/CNPJ of the person at
    `prefix`, or any field of `also` containing the text. A blank box narrows nothing."""
    if not (text := text.strip()):
        return queryset
    condition = name_or_document_condition(text, prefix)
    for field in also:
        condition |= Q(**{f"{field}__icontains": text})
    return queryset.filter(condition)


class DateRangeForm(forms.Form):
    """A filter form's period (its `date_from` and `date_to` fields): the end may not come
    before the start."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "A data final deve ser igual ou posterior à inicial.")
        return data


class StyledBoundField(BoundField):
    """Renders widgets with Bootstrap classes, and marks fields with errors as invalid."""

    def build_widget_attrs(self, attrs: Any, widget: Any = None) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if isinstance(widget, _CHECK_WIDGETS):
            css = "form-check-input"
        elif isinstance(widget, _SELECT_WIDGETS):
            css = "form-select"
        else:
            css = "form-control"
        if self.form.is_bound and self.errors:
            css += " is-invalid"
        attrs["class"] = f"{attrs.get('class', '')} {css}".strip()
        return attrs


# What an empty select says instead of Django's "---------".
SELECT_PROMPT = "Selecione…"
_DJANGO_BLANK_LABEL = "---------"


def _prompt_blank_choice(field: forms.Field) -> None:
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label == _DJANGO_BLANK_LABEL:
            field.empty_label = SELECT_PROMPT
    elif isinstance(field, forms.ChoiceField):
        choices = list(field.choices)  # type: ignore[arg-type]  # stubs: also a mapping
        if ("", _DJANGO_BLANK_LABEL) in choices:
            field.choices = [
                ("", SELECT_PROMPT) if choice == ("", _DJANGO_BLANK_LABEL) else choice
                for choice in choices
            ]


class StyledFormMixin:
    """Bootstrap look for every form; the server validates, so the browser must not block.
    Empty selects say "Selecione…"."""

    bound_field_class: type[BoundField] | None = StyledBoundField
    use_required_attribute = False
    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            _prompt_blank_choice(field)


class BranchFilterForm(StyledFormMixin, forms.Form):
    """Base of the lists' filter bars: free-text search and a filial among the user's ones."""

    q = forms.CharField(label="Buscar", required=False)
    branch = forms.ModelChoiceField(
        label="Filial", queryset=Branch.objects.none(), required=False, empty_label="Todas"
    )

    def __init__(self, *args: Any, branches: QuerySet[Branch], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        branch_field = self.fields["branch"]
        assert isinstance(branch_field, forms.ModelChoiceField)
        branch_field.queryset = branches


def choice_filter(label: str, choices: Sequence[tuple[str, str | Promise]]) -> forms.ChoiceField:
    """A filter bar's optional choice, "Todas" (no filtering) first."""
    return forms.ChoiceField(label=label, choices=[("", "Todas"), *choices], required=False)


class PersonFilterForm(BranchFilterForm, Generic[_M]):
    """Filter bar of the lists of people (customers, leads, prospects): name or CPF/CNPJ, filial."""

    # More fields the search box looks in (containing the text), e.g. the ERP's id.
    search_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["placeholder"] = "Nome, CPF ou CNPJ"

    def filter(self, queryset: QuerySet[_M]) -> QuerySet[_M]:
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        queryset = searched(queryset, data["q"], "", *self.search_fields)
        return filter_given(queryset, branch=data["branch"])


class BranchScopedModelForm(StyledFormMixin, forms.ModelForm):
    """A record of one of the user's branches: the filial choice offers only those."""

    def __init__(self, *args: Any, branches: QuerySet[Branch], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        branch_field = self.fields["branch"]
        assert isinstance(branch_field, forms.ModelChoiceField)
        branch_field.queryset = branches
        branch_field.empty_label = None


class UserChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]  # stubs' generic
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.get_username())


class PeriodFilterForm(StyledFormMixin, DateRangeForm):
    """Report filters by period, filial and user (querysets given by the view, already scoped).

    Field order: subclasses declare theirs after these four.
    """

    date_from = forms.DateField(label="De", required=False, widget=BrDateInput())
    date_to = forms.DateField(label="Até", required=False, widget=BrDateInput())
    branch = forms.ModelChoiceField(
        label="Filial", queryset=Branch.objects.none(), required=False, empty_label="Todas"
    )
    user = UserChoiceField(
        label="Usuário",
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label="Todos",
    )

    def __init__(
        self, *args: Any, branches: QuerySet[Branch], users: QuerySet[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        branch_field = self.fields["branch"]
        assert isinstance(branch_field, forms.ModelChoiceField)
        branch_field.queryset = branches
        user_field = self.fields["user"]
        assert isinstance(user_field, forms.ModelChoiceField)
        user_field.queryset = users


class LoginForm(StyledFormMixin, AuthenticationForm):
    pass


class BranchForm(StyledFormMixin, forms.ModelForm):
    members = forms.ModelMultipleChoiceField(
        label="Usuários",
        queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="Usuários que trabalham nesta filial e veem os seus dados.",
    )

    class Meta:
        model = Branch
        fields = ["name", "cnpj", "state", "city", "active", "members"]
        widgets = {"cnpj": DocumentInput()}
