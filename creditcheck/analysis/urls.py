"""Credit-query screens. Included at the site root because they live under three prefixes: the
query pages (analise-credito/), the report (relatorios/) and the customer's tab (clientes/).
"""

from django.urls import path

from creditcheck.analysis import views

app_name = "analysis"

urlpatterns = [
    path("analise-credito/nova/", views.query_new, name="new"),
    path("analise-credito/historico/", views.query_history, name="history"),
    path("analise-credito/<int:pk>/", views.query_detail, name="detail"),
    path("analise-credito/<int:pk>/situacao/", views.query_status, name="status"),
    path("analise-credito/<int:pk>/eventos/", views.query_events, name="events"),
    path("analise-credito/<int:pk>/cobranca/", views.query_settle_billing, name="settle_billing"),
    path("analise-credito/<int:pk>/relatorio.pdf", views.query_report_pdf, name="report_pdf"),
    path(
        "analise-credito/<int:pk>/relatorio-plataforma/",
        views.query_provider_report,
        name="provider_report",
    ),
    path("relatorios/consultas/", views.query_report, name="report"),
    path("relatorios/consultas/exportar.csv", views.query_report_csv, name="report_csv"),
    path("clientes/<int:pk>/analise-credito/", views.customer_credit, name="customers_credit"),
]
