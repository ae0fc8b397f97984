"""Forms of the compliance screens: the audit-trail filters and the LGPD report request."""

from django import forms

from creditcheck.compliance.selectors import AuditFilters
from creditcheck.core import documents
from creditcheck.core.enums import AuditAction
from creditcheck.core.forms import DocumentInput, PeriodFilterForm, StyledFormMixin


class AuditFilterForm(PeriodFilterForm):
    """Auditoria filters; the same values filter the list and the CSV export."""

    action = forms.ChoiceField(
        label="Ação", choices=[("", "Todas"), *AuditAction.choices], required=False
    )
    document = forms.CharField(
        label="CPF/CNPJ", required=False, max_length=18, widget=DocumentInput()
    )
    outcome = forms.CharField(label="Resultado contém", required=False, max_length=100)

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
