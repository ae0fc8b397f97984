"""Server-rendered screens, in Portuguese paths; each app's urls.py is included here."""

from django.contrib.auth.views import LogoutView
from django.urls import URLPattern, URLResolver, include, path

from creditcheck.contracts.urls import contract_urlpatterns, finance_urlpatterns
from creditcheck.core import views as core_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", core_views.home, name="home"),
    path("entrar/", core_views.SignInView.as_view(), name="login"),
    # Django's LogoutView accepts POST only: the "Sair" button is a form.
    path("sair/", LogoutView.as_view(), name="logout"),
    # Negativações: financeiro/negativacoes/..., financeiro/faturas/<pk>/{negativar,pagamento}/,
    # clientes/<pk>/negativacoes/ and configuracoes/negativacao/; before the prefixes they share.
    path("", include("creditcheck.negativation.urls")),
    # configuracoes/comunicados/... and clientes/<pk>/comunicados/.
    path("", include("creditcheck.notices.urls")),
    path("clientes/", include("creditcheck.customers.urls")),
    path("contratos/", include((contract_urlpatterns, "contracts"))),
    path("financeiro/", include((finance_urlpatterns, "finance"))),
    path("crm/", include("creditcheck.crm.urls")),
    # Configurações > Integrações is its own app, next to core's Configurações > Filiais.
    path("configuracoes/integracoes/", include("creditcheck.integrations.urls")),
    path("configuracoes/politica-credito/", include("creditcheck.decisions.urls")),
    path("revisoes-credito/", include("creditcheck.decisions.review_urls")),
    path("configuracoes/", include("creditcheck.core.urls")),
    # auditoria/... (the audit trail) and lgpd/ (the data-subject report).
    path("", include("creditcheck.compliance.urls")),
    path("relatorios/custos/", include("creditcheck.costs.urls")),
    # financeiro/pagamentos/...: the payments the webhooks brought.
    path("", include("creditcheck.erp.urls")),
    # analise-credito/..., relatorios/consultas/ and clientes/<pk>/analise-credito/.
    path("", include("creditcheck.analysis.urls")),
]
