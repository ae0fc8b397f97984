"""Relatórios > Custos (included at relatorios/custos/)."""

from django.urls import path

from creditcheck.costs import views

app_name = "costs"

urlpatterns = [
    path("", views.costs_dashboard, name="dashboard"),
    path("exportar.csv", views.costs_csv, name="csv"),
    path("orcamento/", views.costs_budget, name="budget"),
]
