"""The main screens under their Content-Security-Policy in chromium: nothing refused, and the
scripts that remain (Bootstrap, htmx, app.js, Swagger UI) still work.

Every browser test also fails on a violation (tests/browser/conftest.py `page`); this one goes
through the screens no other browser test opens.
"""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from tests.browser.conftest import csp_violations
from tests.factories import PASSWORD
from tests.test_authorization_matrix import World

pytestmark = pytest.mark.browser


def test_main_screens_break_no_rule_of_the_policy(
    page: Page, log_in: Callable[[str, str], None], world: World, administrator: User
) -> None:
    # Given rows of every kind, and an administrator who may open every screen and the admin
    query, customer = world.query("own"), world.customer("own")
    world.invoice("own")
    world.negativation("own")
    administrator.is_staff = administrator.is_superuser = True
    administrator.save()

    page.goto("/entrar/")
    expect(page.get_by_role("button", name="Entrar")).to_be_visible()
    log_in(administrator.username, PASSWORD)
    expect(page.get_by_role("navigation").first).to_be_visible()

    screens = [
        "/clientes/",
        "/clientes/novo/",
        f"/clientes/{customer.pk}/",
        f"/clientes/{customer.pk}/analise-credito/",
        "/analise-credito/nova/",
        f"/analise-credito/{query.pk}/",
        f"/analise-credito/historico/?customer={customer.pk}",
        "/relatorios/consultas/",
        "/relatorios/custos/",
        "/financeiro/faturas/",
        "/financeiro/negativacoes/",
        "/financeiro/negativacoes/elegiveis/",
        "/financeiro/negativacoes/prazos/",
        "/crm/leads/",
        "/crm/prospeccoes/",
        "/configuracoes/integracoes/",
        f"/configuracoes/integracoes/{world.integration('own').pk}/",
        "/configuracoes/filiais/",
        "/configuracoes/negativacao/",
        "/auditoria/",
        "/lgpd/",
        "/admin/",
        "/admin/auth/user/",
    ]
    # When the administrator opens each one
    opened = {}
    for url in screens:
        response = page.goto(url)
        assert response is not None
        page.wait_for_load_state("load")
        opened[url] = response.status

    # Then each answered, and none broke the policy
    assert opened == dict.fromkeys(screens, 200)
    assert csp_violations(page) == []

    # and Bootstrap's scripts work: the user menu drops down
    page.goto("/clientes/")
    page.get_by_test_id("user-menu").click()
    expect(page.get_by_role("button", name="Sair")).to_be_visible()
    assert csp_violations(page) == []


def test_swagger_ui_renders_the_api_under_the_policy(
    page: Page, log_in: Callable[[str, str], None], administrator: User
) -> None:
    log_in(administrator.username, PASSWORD)

    page.goto("/api/v1/docs/")

    # Swagger UI loaded the schema (with the session) and lists the operations
    expect(page.get_by_text("CreditCheck API").first).to_be_visible()
    expect(page.locator(".opblock-tag", has_text="customers").first).to_be_visible()
    assert csp_violations(page) == []
