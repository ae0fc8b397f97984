"""Configurações > Integrações screens (the API routes live in creditcheck/api_urls.py)."""

from django.urls import path

from creditcheck.integrations import views

app_name = "integrations"

urlpatterns = [
    path("", views.settings_page, name="settings"),
    path("nova/", views.integration_create, name="create"),
    path("<int:pk>/", views.integration_edit, name="edit"),
    path("<int:pk>/testar/", views.integration_test, name="test"),
    path("<int:pk>/sincronizar-produtos/", views.integration_sync_products, name="sync_products"),
]
