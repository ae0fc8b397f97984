"""Every main screen fits a 1366×768 screen: no page wider than the viewport (issue 16, item 5).

The demo data (`make run`'s) with every branch connected to the four sandboxes and a few queries
made, signed in as the administrator (who sees every branch, so the widest tables). Each screen
is saved as a PNG in $SCREENS_DIR (or the test's tmp dir) to be looked at.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from playwright.sync_api import Page

from creditcheck.analysis.models import CreditQuery
from creditcheck.analysis.services import CreditQueryRefused, credit_query_request
from creditcheck.analysis.subjects import subject_from_customer, subject_from_document
from creditcheck.contracts.models import Contract, Invoice
from creditcheck.core.models import Branch
from creditcheck.crm.models import Lead, Prospect
from creditcheck.customers.models import Customer
from creditcheck.demo import DEMO_PASSWORD, demo_load
from creditcheck.negativation.models import Negativation
from providers.sandbox.scenarios import SMALL_RESTRICTION_CPF
from providers.sandbox.server import RunningSandbox
from tests.factories import negativation_for

pytestmark = pytest.mark.browser

WIDTH, HEIGHT = 1366, 768
# The tables wider than their scrolling box, by data-testid.
TABLES_CUT_OFF = """
[...document.querySelectorAll(".table-responsive")]
  .filter((box) => box.scrollWidth > box.clientWidth + 1)
  .map((box) => `${box.querySelector("table")?.dataset.testid || "?"}: ${box.scrollWidth}px`)
"""


def _demo_with_queries(sandbox: RunningSandbox) -> dict[str, int]:
    demo_load()
    call_command(
        "configure_sandbox_integrations", "--url", sandbox.url, "--enable", stdout=io.StringIO()
    )
    admin = User.objects.get(username="admin")
    customers = list(Customer.objects.order_by("pk")[:4])
    branch = Branch.objects.order_by("pk").first()
    assert branch is not None
    subjects = [(subject_from_customer(c), c.branch) for c in customers]
    subjects.append((subject_from_document(SMALL_RESTRICTION_CPF), branch))
    # The last one again, inside the interval: a refused attempt, listed too
    subjects.append(subjects[0])
    for subject, in_branch in subjects:
        with contextlib.suppress(CreditQueryRefused):
            credit_query_request(subject=subject, branch=in_branch, user=admin)
    query = CreditQuery.objects.filter(status="succeeded", customer=customers[0]).get()
    invoice = Invoice.objects.filter(contract__customer__branch=branch).order_by("pk").first()
    assert invoice is not None
    integration = branch.integrations.filter(platform="soawebservice").get()
    negativation = negativation_for(invoice, integration)
    return {
        "customer": customers[0].pk,
        "contract": Contract.objects.filter(customer=customers[0]).values_list("pk", flat=True)[0],
        "invoice": invoice.pk,
        "query": query.pk,
        "lead": Lead.objects.order_by("pk").values_list("pk", flat=True)[0],
        "prospect": Prospect.objects.order_by("pk").values_list("pk", flat=True)[0],
        "negativation": Negativation.objects.get(pk=negativation.pk).pk,
        "integration": integration.pk,
        "branch": branch.pk,
    }


def _main_screens(ids: dict[str, int]) -> dict[str, str]:
    return {
        "inicio": "/",
        "clientes": "/clientes/",
        "cliente_dados": f"/clientes/{ids['customer']}/",
        "cliente_contratos": f"/clientes/{ids['customer']}/contratos/",
        "cliente_faturas": f"/clientes/{ids['customer']}/faturas/",
        "cliente_analise": f"/clientes/{ids['customer']}/analise-credito/",
        "cliente_negativacoes": f"/clientes/{ids['customer']}/negativacoes/",
        "contratos": "/contratos/",
        "contrato": f"/contratos/{ids['contract']}/",
        "faturas": "/financeiro/faturas/",
        "fatura": f"/financeiro/faturas/{ids['invoice']}/",
        "negativacoes": "/financeiro/negativacoes/",
        "negativacao": f"/financeiro/negativacoes/{ids['negativation']}/",
        "elegiveis": f"/financeiro/negativacoes/elegiveis/?branch={ids['branch']}",
        "prazos": "/financeiro/negativacoes/prazos/",
        "leads": "/crm/leads/",
        "lead": f"/crm/leads/{ids['lead']}/",
        "prospeccoes": "/crm/prospeccoes/",
        "prospeccao": f"/crm/prospeccoes/{ids['prospect']}/",
        "consulta_nova": "/analise-credito/nova/?document=52998224725",
        "consulta_cliente": f"/analise-credito/nova/?customer={ids['customer']}",
        "consulta_resultado": f"/analise-credito/{ids['query']}/",
        "historico_lead": f"/analise-credito/historico/?lead={ids['lead']}",
        "relatorio_consultas": "/relatorios/consultas/",
        "relatorio_custos": "/relatorios/custos/",
        "auditoria": "/auditoria/",
        "lgpd": "/lgpd/",
        "integracoes": "/configuracoes/integracoes/",
        "integracao": f"/configuracoes/integracoes/{ids['integration']}/",
        "integracao_nova": "/configuracoes/integracoes/nova/",
        "cliente_novo": "/clientes/novo/",
        "negativar": f"/financeiro/faturas/{ids['invoice']}/negativar/",
        "filiais": "/configuracoes/filiais/",
        "negativacao_config": "/configuracoes/negativacao/",
    }


def test_main_screens_fit_1366_wide(
    page: Page,
    log_in: Callable[[str, str], None],
    screenshot: Callable[[str], Path],
    sandbox: RunningSandbox,
) -> None:
    ids = _demo_with_queries(sandbox)
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    log_in("admin", DEMO_PASSWORD)

    too_wide: dict[str, int] = {}
    cut_off: dict[str, list[str]] = {}
    dashed: list[str] = []  # selects showing Django's "---------" instead of "Selecione…"
    for name, url in _main_screens(ids).items():
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        inner_width = page.evaluate("window.innerWidth")
        assert inner_width == WIDTH
        if scroll_width > inner_width:
            too_wide[url] = scroll_width
        # A table scrolling inside its card hides columns just the same (the cost, "Editar")
        hidden = page.evaluate(TABLES_CUT_OFF)
        if hidden:
            cut_off[url] = hidden
        if page.locator("option", has_text="---------").count():
            dashed.append(url)
        screenshot(f"layout_{name}")

    assert (too_wide, cut_off, dashed) == ({}, {}, [])
