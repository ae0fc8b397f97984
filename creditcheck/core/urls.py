"""Configurações screens (the API routes live in creditcheck/api_urls.py)."""

from django.urls import path

from creditcheck.core import views

app_name = "settings"

urlpatterns = [
    path("filiais/", views.branch_list, name="branch_list"),
    path("filiais/nova/", views.branch_create, name="branch_create"),
    path("filiais/<int:pk>/", views.branch_edit, name="branch_edit"),
]
