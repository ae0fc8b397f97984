"""Forms of the compliance screens: the audit-trail filters and the LGPD report request."""

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.db.models import QuerySet

from creditcheck.analysis.forms import UserChoiceField
from creditcheck.compliance.selectors import AuditFilters
from creditcheck.core import documents
from creditcheck.core.enums import AuditAction
from creditcheck.core.forms import BrDateInput, DocumentInput, StyledFormMixin
from creditcheck.core.models import Branch


class AuditFilterForm(StyledFormMixin, forms.Form):
    """Auditoria filters; the same values filter the list and the CSV export."""

    date_from = forms.DateField(label="De", required=False, widget=BrDateInput())
    date_to = forms.DateField(label="Até", required=False, widget=BrDateInput())
    action = forms.ChoiceField(
        label="Ação", choices=[("", "Todas"), *AuditAction.choices], required=False
    )
    user = UserChoiceField(
        label="Usuário", queryset=User.objects.none(), required=False, empty_label="Todos"
    )
    branch = forms.ModelChoiceField(
        label="Filial", queryset=Branch.objects.none(), required=False, empty_label="Todas"
    )
    document = forms.CharField(
        label="CPF/CNPJ", required=False, max_length=18, widget=DocumentInput()
    )
    outcome = forms.CharField(label="Resultado contém", required=False, max_length=100)

    def __init__(
        self, *args: Any, branches: QuerySet[Branch], users: QuerySet[User], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        branch_field = self.fields["branch"]
        assert isinstance(branch_field, forms.ModelChoiceField)
        branch_field.queryset = branches
        user_field = self.fields["user"]
        assert isinstance(user_field, forms.ModelChoiceField)
        user_field.queryset = users

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "A data final deve ser igual ou posterior à inicial.")
        return data

    def filters(self) -> AuditFilters | None:
        """The filters to apply; None when a value is invalid (the list shows its error)."""
        if not self.is_bound:
            return AuditFilters()
        if not self.is_valid():
            return None
        data = self.cleaned_data
        return AuditFilters(
            date_from=data["date_from"],
            date_to=data["date_to"],
            action=data["action"],
            user_id=data["user"].pk if data["user"] else None,
            branch_id=data["branch"].pk if data["branch"] else None,
            document=data["document"],
            outcome=data["outcome"].strip(),
        )


class SubjectReportForm(StyledFormMixin, forms.Form):
    """LGPD > Relatório do titular: the CPF/CNPJ and the file format."""

    document = forms.CharField(
        label="CPF/CNPJ do titular", max_length=18, widget=DocumentInput(attrs={"autofocus": True})
    )
    format = forms.ChoiceField(
        label="Formato",
        choices=[("pdf", "PDF"), ("json", "JSON")],
        initial="pdf",
        widget=forms.RadioSelect,
    )

    def clean_document(self) -> str:
        try:
            return documents.validate(self.cleaned_data["document"])
        except documents.InvalidDocumentError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from exc
