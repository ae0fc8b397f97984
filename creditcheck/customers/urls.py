"""Clientes screens (the API routes live in creditcheck/api_urls.py)."""

from django.urls import path

from creditcheck.customers import views

app_name = "customers"

urlpatterns = [
    path("", views.customer_list, name="list"),
    path("novo/", views.customer_create, name="create"),
    path("<int:pk>/", views.customer_edit, name="edit"),
    path("<int:pk>/contratos/", views.customer_contracts, name="contracts"),
    path("<int:pk>/faturas/", views.customer_invoices, name="invoices"),
]
