"""Payment sources are configured in the admin: the secret is write-only and stored encrypted."""

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from creditcheck.core.audit import audit_record
from creditcheck.core.enums import AuditAction
from creditcheck.erp.ixc import ixc_sync
from creditcheck.erp.models import IxcConnection, PaymentEvent, PaymentSource, SyncRun


class PaymentSourceForm(forms.ModelForm):  # type: ignore[type-arg]
    new_secret = forms.CharField(
        label="Segredo",
        required=False,
        strip=True,
        min_length=16,
        widget=forms.PasswordInput(render_value=False),
        help_text=(
            "Asaas: o token de autenticação do webhook (cabeçalho asaas-access-token). Pix: o "
            "segredo que o proxy envia em X-Webhook-Secret (ou o parâmetro hmac). Assinado: a "
            "chave do HMAC-SHA256. Em branco mantém o atual; nunca é mostrado de novo."
        ),
    )

    class Meta:
        model = PaymentSource
        fields = ["key", "name", "kind", "branch", "invoice_source", "active"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("new_secret") and not (self.instance.pk and self.instance.secret):
            self.add_error("new_secret", "Informe o segredo da fonte.")
        return data


@admin.register(PaymentSource)
class PaymentSourceAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = PaymentSourceForm
    list_display = ["name", "key", "kind", "branch", "invoice_source", "active"]

    def save_model(self, request: HttpRequest, obj: PaymentSource, form: Any, change: bool) -> None:
        secret_changed = bool(form.cleaned_data.get("new_secret"))
        if secret_changed:
            obj.set_secret(form.cleaned_data["new_secret"])
        super().save_model(request, obj, form, change)
        audit_record(
            action=AuditAction.SETTINGS_CHANGE,
            user=request.user,
            branch=obj.branch,
            outcome="payment_source_saved",
            target=obj,
            details={
                "key": obj.key,
                "kind": obj.kind,
                "invoice_source": obj.invoice_source,
                "active": obj.active,
                "secret_changed": secret_changed,
            },
        )


@admin.register(PaymentEvent)
class PaymentEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["received_at", "source", "event_id", "event_type", "status", "invoice"]
    list_filter = ["status", "kind", "source"]
    search_fields = ["event_id", "reference", "invoice__number"]
    raw_id_fields = ["invoice"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class IxcConnectionForm(forms.ModelForm):  # type: ignore[type-arg]
    new_token = forms.CharField(
        label="Token do webservice",
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="No formato <id do usuário>:<token>, como o IXC o mostra. Em branco mantém o "
        "atual; nunca é mostrado de novo.",
    )

    class Meta:
        model = IxcConnection
        fields = ["name", "base_url", "default_branch", "branch_map", "source", "active"]


@admin.register(IxcConnection)
class IxcConnectionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = IxcConnectionForm
    list_display = ["name", "base_url", "default_branch", "watermark", "active"]
    actions = ["sync_now"]

    def save_model(self, request: HttpRequest, obj: IxcConnection, form: Any, change: bool) -> None:
        if form.cleaned_data.get("new_token"):
            obj.set_token(form.cleaned_data["new_token"])
        super().save_model(request, obj, form, change)

    @admin.action(description="Sincronizar agora")
    def sync_now(self, request: HttpRequest, queryset: Any) -> None:
        for connection in queryset:
            run = ixc_sync(connection=connection)
            self.message_user(request, f"{connection.name}: {run.counts or run.message}")


@admin.register(SyncRun)
class SyncRunAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["started_at", "connection", "ok", "since", "counts", "message"]
    list_filter = ["ok", "connection"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
