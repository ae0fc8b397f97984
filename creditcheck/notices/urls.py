"""Comunicados screens: Configurações > Comunicados and the customer's tab."""

from django.urls import path

from creditcheck.notices import views

app_name = "notices"

urlpatterns = [
    path("configuracoes/comunicados/", views.rules, name="rules"),
    path("configuracoes/comunicados/uf/<str:state>/", views.rule_edit, name="rule_edit"),
    path("configuracoes/comunicados/credor/<int:pk>/", views.creditor_edit, name="creditor_edit"),
    path("clientes/<int:pk>/comunicados/", views.customer_notices, name="customer"),
    path("clientes/<int:pk>/repactuacao/", views.customer_plans, name="plans"),
]
