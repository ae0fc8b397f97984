from django import forms
from django.contrib import admin

from creditcheck.contracts.models import Contract, Invoice
from creditcheck.contracts.services import invoice_status_check


class InvoiceAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    def clean_status(self) -> str:
        status: str = self.cleaned_data["status"]
        invoice_status_check(self.instance.status if self.instance.pk else None, status)
        return status


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = ["id", "customer", "plan", "monthly_amount", "status", "branch", "start_date"]
    list_filter = ["status", "branch"]
    search_fields = ["customer__name", "customer__document", "plan"]
    list_select_related = ["customer", "branch"]
    raw_id_fields = ["customer"]


@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin):
    list_display = ["number", "contract", "amount", "due_date", "status", "paid_at", "disputed"]
    list_filter = ["status", "disputed"]
    search_fields = ["number", "contract__customer__name", "contract__customer__document"]
    list_select_related = ["contract__customer"]
    raw_id_fields = ["contract"]
    date_hierarchy = "due_date"
    # A payment is registered only by contracts.services.invoice_pay ("Registrar pagamento",
    # the API's pay action, payment webhooks, syncs), never by editing these fields.
    readonly_fields = ["paid_at", "paid_amount", "paid_by", "paid_via"]
    form = InvoiceAdminForm
