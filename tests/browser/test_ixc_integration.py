"""Configurações > Integrações > IXCProvedor in the browser: connect, read and map the
filiais, "Sincronizar agora", and the sync log with its counts (IXC sandbox over HTTP)."""

from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from creditcheck.core.models import Branch
from creditcheck.customers.models import Customer
from creditcheck.erp.models import IxcConnection
from providers.sandbox.ixc import TOKEN
from providers.sandbox.server import RunningSandbox
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_connect_map_filiais_sync_now_and_read_the_log(
    page: Page,
    log_in: Callable[[str, str], None],
    screenshot: Callable[[str], Path],
    administrator: User,
    branch: Branch,
    other_branch: Branch,
    sandbox: RunningSandbox,
) -> None:
    log_in(administrator.username, PASSWORD)

    # Given the administrator adds the ISP's IXC on the Integrações screen
    page.goto("/configuracoes/integracoes/")
    expect(page.get_by_test_id("ixc-table")).to_contain_text("Nenhum IXCProvedor conectado")
    page.get_by_role("link", name="Nova conexão com o IXC").click()
    page.get_by_label("Nome").fill("IXC do provedor")
    page.get_by_label("URL do IXC").fill(f"{sandbox.url}/ixc")
    page.get_by_label("Token do webservice").fill(TOKEN)
    page.get_by_label("Filial padrão").select_option(str(branch.pk))
    page.get_by_role("button", name="Salvar").click()

    # When the filiais are read from the IXC and filial 2 is mapped to the other branch
    page.get_by_test_id("ixc-filiais-read").click()
    expect(page.get_by_test_id("ixc-filiais-read-at")).to_contain_text("2 filiais lidas do IXC")
    page.get_by_label("2 — BH").select_option(str(other_branch.pk))
    page.get_by_role("button", name="Salvar").click()
    expect(page.get_by_text("Mapeamento das filiais do IXC salvo.")).to_be_visible()
    screenshot("ixc_filiais")

    # and "Sincronizar agora" is pressed on the Integrações screen
    page.goto("/configuracoes/integracoes/")
    row = page.locator("tr[data-ixc]")
    expect(row.get_by_test_id("ixc-filiais-count")).to_have_text("2 (1 mapeada)")
    expect(row.get_by_test_id("ixc-last-run")).to_contain_text("Nunca sincronizada")
    row.get_by_role("button", name="Sincronizar agora").click()

    # Then the sync log shows the run finished with the counts of each table
    run = page.get_by_test_id("ixc-runs").locator("tbody tr").first
    expect(run.get_by_test_id("run-status")).to_contain_text("Concluída")
    expect(run.get_by_test_id("run-customers")).to_contain_text("Criados: 12")
    expect(run.get_by_test_id("run-invoices")).to_contain_text("Criados: 35")
    screenshot("ixc_runs")
    assert Customer.objects.filter(external_source="ixc", branch=other_branch).count() == 4

    # and the token is stored encrypted, never shown again
    connection = IxcConnection.objects.get()
    assert TOKEN not in connection.token_encrypted
    page.goto(f"/configuracoes/integracoes/ixc/{connection.pk}/")
    expect(page.get_by_test_id("ixc-token-stored")).to_be_visible()
    expect(page.get_by_label("Token do webservice")).to_have_value("")

    # and a second run reads only what changed: nothing new
    page.get_by_role("link", name="Sincronizações").click()
    page.get_by_test_id("ixc-sync-now").click()
    expect(page.get_by_test_id("ixc-runs").locator("tbody tr")).to_have_count(2)
    latest = page.get_by_test_id("ixc-runs").locator("tbody tr").first
    expect(latest.get_by_test_id("run-invoices")).to_contain_text("Sem alteração: 33")
    expect(latest.get_by_test_id("run-customers")).not_to_contain_text("Criados")
