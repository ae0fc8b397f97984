"""Comunicados screens: Configurações > Comunicados and the customer's tab."""

from django.urls import path

from creditcheck.notices import views

app_name = "notices"

urlpatterns = [
    path("configuracoes/comunicados/", views.rules, name="rules"),
    path("configuracoes/comunicados/uf/<str:state>/", views.rule_edit, name="rule_edit"),
    path("configuracoes/comunicados/credor/<int:pk>/", views.creditor_edit, name="creditor_edit"),
    path("configuracoes/comunicados/regua/<int:pk>/", views.dunning_steps, name="dunning"),
    path(
        "configuracoes/comunicados/regua/etapas/<int:pk>/",
        views.dunning_step_edit,
        name="dunning_step",
    ),
    path("financeiro/negativacoes/<int:pk>/dossie.pdf", views.negativation_dossier, name="dossier"),
    path("clientes/<int:pk>/comunicados/", views.customer_notices, name="customer"),
    path("clientes/<int:pk>/repactuacao/", views.customer_plans, name="plans"),
]
