"""Configurações > Política de crédito screens (the API routes live in creditcheck/api_urls.py)."""

from django.urls import path

from creditcheck.decisions import views

app_name = "decisions"

urlpatterns = [
    path("", views.policy_list, name="list"),
    path("nova/", views.policy_create, name="create"),
    path("<int:pk>/", views.policy_edit, name="edit"),
]
