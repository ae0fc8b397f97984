"""Negativação screens. Included at the site root because they live under four prefixes:
Financeiro (financeiro/negativacoes/ and the invoice actions under financeiro/faturas/<pk>/),
the customer's tab (clientes/<pk>/negativacoes/) and Configurações (configuracoes/negativacao/).
"""

from django.urls import path

from creditcheck.negativation import views

app_name = "negativation"

urlpatterns = [
    path("financeiro/negativacoes/", views.negativation_list, name="list"),
    path("financeiro/negativacoes/lote/", views.negativation_batch, name="batch"),
    path("financeiro/negativacoes/elegiveis/", views.eligible_list, name="eligible"),
    path(
        "financeiro/negativacoes/elegiveis/negativar/",
        views.eligible_include,
        name="eligible_include",
    ),
    path("financeiro/negativacoes/prazos/", views.deadline_board, name="board"),
    path("financeiro/negativacoes/<int:pk>/", views.negativation_detail, name="detail"),
    path("financeiro/negativacoes/<int:pk>/eventos/", views.negativation_events, name="events"),
    path(
        "financeiro/negativacoes/<int:pk>/atualizar/",
        views.negativation_refresh,
        name="refresh",
    ),
    path("financeiro/faturas/<int:pk>/negativar/", views.invoice_negativate, name="include"),
    path("financeiro/faturas/<int:pk>/pagamento/", views.invoice_payment, name="pay"),
    path("clientes/<int:pk>/negativacoes/", views.customer_negativations, name="customer"),
    path("configuracoes/negativacao/", views.settings_page, name="settings"),
    path(
        "configuracoes/negativacao/filiais/<int:pk>/",
        views.settings_branch,
        name="settings_branch",
    ),
]
