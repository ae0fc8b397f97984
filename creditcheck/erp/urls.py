"""Financeiro > Pagamentos recebidos (screens) and the payment webhooks (no session)."""

from django.urls import path

from creditcheck.erp import views

app_name = "erp"

urlpatterns = [
    path("financeiro/pagamentos/", views.payment_event_list, name="payment_event_list"),
    path(
        "financeiro/pagamentos/<int:pk>/",
        views.payment_event_detail,
        name="payment_event_detail",
    ),
]

webhook_urlpatterns = [
    path("webhooks/<slug:key>/", views.payment_webhook, name="receive"),
    path("webhooks/<slug:key>/pix", views.payment_webhook, name="receive_pix"),
]
