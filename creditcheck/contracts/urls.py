"""Contratos and Financeiro screens (the API routes live in creditcheck/api_urls.py)."""

from django.urls import path

from creditcheck.contracts import views

contract_urlpatterns = [
    path("", views.contract_list, name="list"),
    path("<int:pk>/", views.contract_detail, name="detail"),
    path("<int:pk>/ativar/", views.contract_activate_view, name="activate"),
]

finance_urlpatterns = [
    path("faturas/", views.invoice_list, name="invoice_list"),
    path("faturas/<int:pk>/", views.invoice_detail, name="invoice_detail"),
]
