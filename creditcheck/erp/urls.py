"""Financeiro > Pagamentos recebidos (screens) and the payment webhooks (no session)."""

from django.urls import path

from creditcheck.erp import ixc_views, views

app_name = "erp"

urlpatterns = [
    path("financeiro/pagamentos/", views.payment_event_list, name="payment_event_list"),
    path(
        "financeiro/pagamentos/<int:pk>/",
        views.payment_event_detail,
        name="payment_event_detail",
    ),
    path("configuracoes/importar/", views.import_list, name="import_list"),
    path("configuracoes/importar/<int:pk>/", views.import_detail, name="import_detail"),
    path(
        "configuracoes/importar/<int:pk>/erros.csv", views.import_errors_csv, name="import_errors"
    ),
    path("configuracoes/integracoes/ixc/nova/", ixc_views.ixc_create, name="ixc_create"),
    path("configuracoes/integracoes/ixc/<int:pk>/", ixc_views.ixc_edit, name="ixc_edit"),
    path(
        "configuracoes/integracoes/ixc/<int:pk>/filiais/",
        ixc_views.ixc_filiais,
        name="ixc_filiais",
    ),
    path(
        "configuracoes/integracoes/ixc/<int:pk>/sincronizar/",
        ixc_views.ixc_sync_now,
        name="ixc_sync",
    ),
    path(
        "configuracoes/integracoes/ixc/<int:pk>/sincronizacoes/",
        ixc_views.ixc_runs,
        name="ixc_runs",
    ),
]

webhook_urlpatterns = [
    path("webhooks/<slug:key>/", views.payment_webhook, name="receive"),
    path("webhooks/<slug:key>/pix", views.payment_webhook, name="receive_pix"),
]
