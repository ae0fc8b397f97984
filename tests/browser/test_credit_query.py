"""The credit query end to end in the browser, as staff meet it: integration off, turned on in
Configurações > Integrações, consulted from a customer, then from a lead and a prospect inside the
re-query interval, and a platform failure. The branch integration points at the sandbox fixture.
"""

import datetime as dt
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from creditcheck.analysis.enums import QueryStatus
from creditcheck.analysis.models import CreditQuery
from creditcheck.core.models import Branch
from creditcheck.crm.models import Lead, Prospect
from creditcheck.customers.models import Customer
from creditcheck.integrations.models import CreditAnalysisSettings
from providers.sandbox.scenarios import CLEAN_CPF, SMALL_RESTRICTION_CPF
from providers.sandbox.server import RunningSandbox
from tests.browser.conftest import sign_in
from tests.credit_setup import connect_branch, integration_on
from tests.factories import PASSWORD, CustomerFactory, LeadFactory, ProspectFactory
from tests.sandbox_client import billed_calls, inject_fault

PLATFORM = "spcbrasil"

pytestmark = pytest.mark.browser


@pytest.fixture
def customer(branch: Branch) -> Customer:
    return CustomerFactory.create(
        name="Ana Paula Restrição", document=SMALL_RESTRICTION_CPF, branch=branch
    )


@pytest.fixture
def lead(branch: Branch) -> Lead:
    return LeadFactory.create(
        name="Ana Paula (lead)", document=SMALL_RESTRICTION_CPF, branch=branch
    )


@pytest.fixture
def prospect(branch: Branch) -> Prospect:
    return ProspectFactory.create(
        name="Ana Paula (prospecção)", document=SMALL_RESTRICTION_CPF, branch=branch
    )


def local(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")


def sign_out(page: Page) -> None:
    page.context.clear_cookies()


def test_credit_query_from_off_to_result_interval_and_failure(
    page: Page,
    log_in: Callable[[str, str], None],
    screenshot: Callable[[str], Path],
    sandbox: RunningSandbox,
    branch: Branch,
    administrator: User,
    attendant: User,
    seller: User,
    customer: Customer,
    lead: Lead,
    prospect: Prospect,
) -> None:
    connect_branch(branch, sandbox, PLATFORM, cost="12.50")

    # Given the integration is off: the attendant sees the action, disabled, with the reason
    log_in(attendant.username, PASSWORD)
    page.goto(f"/clientes/{customer.pk}/")
    disabled = page.get_by_test_id("consult-credit-disabled")
    expect(disabled.get_by_role("button", name="Consultar análise de crédito")).to_be_disabled()
    expect(disabled).to_contain_text("Integração com análise de crédito desativada")
    expect(page.get_by_role("link", name="Consultar análise de crédito")).to_have_count(0)
    screenshot("credit_customer_integration_off")
    page.goto("/clientes/")
    expect(page.get_by_role("button", name="Consultar")).to_be_disabled()
    # and even the query page itself offers no way to consult
    page.goto(f"/analise-credito/nova/?customer={customer.pk}")
    expect(page.get_by_test_id("integration-disabled")).to_contain_text(
        "A integração com análise de crédito está desativada"
    )
    expect(page.get_by_role("button", name="Consultar")).to_have_count(0)

    # When an admin turns it on in Configurações > Integrações with a 30-day interval
    sign_out(page)
    log_in(administrator.username, PASSWORD)
    page.get_by_role("button", name="Configurações").click()
    page.get_by_role("link", name="Integrações").click()
    expect(page.get_by_role("heading", name="Integrações", level=1)).to_be_visible()
    interval = page.get_by_label("Intervalo de dias para consultar o mesmo CPF/CNPJ")
    expect(page.get_by_label("Não")).to_be_checked()
    expect(interval).to_be_disabled()
    page.get_by_label("Sim").check()
    expect(interval).to_be_enabled()
    page.get_by_label("Não").check()
    expect(interval).to_be_disabled()
    page.get_by_label("Sim").check()
    interval.fill("30")
    screenshot("credit_settings_on")
    page.get_by_role("button", name="Salvar").click()
    expect(page.get_by_role("alert")).to_contain_text("Configurações de análise de crédito salvas.")
    expect(interval).to_have_value("30")
    settings_row = CreditAnalysisSettings.load()
    assert (settings_row.enabled, settings_row.requery_interval_days) == (True, 30)

    # Then the attendant consults the customer, confirming the cost warning
    sign_out(page)
    log_in(attendant.username, PASSWORD)
    page.goto(f"/clientes/{customer.pk}/")
    page.get_by_role("link", name="Consultar análise de crédito").click()
    expect(page.get_by_test_id("subject-document")).to_have_text("123.456.789-09")
    expect(page.get_by_label("Filial")).to_have_value(str(branch.pk))
    warning = page.get_by_test_id("cost-warning")
    expect(warning).to_contain_text(
        "Esta ação pode gerar custo para a empresa. Por este motivo, consulte somente quando for "
        "necessário."
    )
    expect(warning.get_by_test_id("query-cost")).to_have_text("R$ 12,50")
    screenshot("credit_query_confirm")
    page.get_by_role("button", name="Consultar").click()

    # and sees score and restrictions
    expect(page).to_have_url(re.compile(r"/analise-credito/\d+/$"))
    expect(page.get_by_test_id("score-value")).to_have_text("520")
    expect(page.get_by_test_id("result-summary")).to_contain_text("Constam restrições")
    expect(page.get_by_test_id("restriction-amount")).to_have_text("R$ 189,90")
    expect(page.get_by_text("NET RAPIDA TELECOM LTDA").first).to_be_visible()
    screenshot("credit_query_result")
    first = CreditQuery.objects.get(status=QueryStatus.SUCCEEDED)
    assert billed_calls(sandbox, document=SMALL_RESTRICTION_CPF) == 1

    # and downloads the printable report
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Relatório de análise de crédito").click()
    download = download_info.value
    assert download.suggested_filename == f"analise-credito-{first.pk}.pdf"
    assert Path(download.path()).read_bytes()[:5] == b"%PDF-"

    # and finds it in the customer's "Análise de crédito" tab
    page.get_by_test_id("subject-name").get_by_role("link").click()
    page.locator(".nav-tabs").get_by_role("link", name="Análise de crédito").click()
    history = page.get_by_test_id("history-table").locator("tbody tr")
    expect(history).to_have_count(1)
    expect(history.first).to_contain_text("520")
    expect(history.first).to_contain_text("R$ 189,90")
    screenshot("credit_customer_tab")

    # When a seller consults the same CPF from CRM > Leads right away
    sign_out(page)
    log_in(seller.username, PASSWORD)
    page.goto("/crm/leads/")
    screenshot("credit_lead_list")
    page.get_by_test_id("lead-table").get_by_role("button", name="Ações").click()
    page.get_by_test_id("lead-table").get_by_role("link", name="Análise de crédito").click()

    # Then, before any cost is shown, the interval alert gives the last query's date and user,
    # and when a new one is allowed
    alert = page.get_by_test_id("interval-alert")
    expect(alert.get_by_test_id("last-query-at")).to_have_text(local(first.created_at))
    expect(alert.get_by_test_id("last-query-user")).to_have_text(attendant.get_full_name())
    expect(alert.get_by_test_id("next-allowed-at")).to_have_text(
        local(first.created_at + dt.timedelta(days=30))
    )
    expect(page.get_by_role("button", name="Consultar")).to_have_count(0)
    screenshot("credit_query_interval_alert")

    # and the same happens from the prospect's edit screen menu
    page.goto(f"/crm/prospeccoes/{prospect.pk}/")
    page.get_by_role("button", name="Análise de crédito").click()
    screenshot("credit_prospect_menu")
    page.get_by_role("link", name="Consulta de crédito").click()
    expect(page.get_by_test_id("subject-document")).to_have_text("123.456.789-09")
    expect(page.get_by_test_id("cost-warning")).to_have_count(0)
    expect(page.get_by_test_id("interval-alert").get_by_test_id("last-query-at")).to_have_text(
        local(first.created_at)
    )
    page.get_by_test_id("last-query-link").click()
    expect(page).to_have_url(
        f"{page.url.split('/analise-credito/')[0]}/analise-credito/{first.pk}/"
    )
    expect(page.get_by_test_id("score-value")).to_have_text("520")
    assert billed_calls(sandbox, document=SMALL_RESTRICTION_CPF) == 1

    # and Relatórios > Consultas counts the one query made, and no refused attempt: the
    # interval stopped the others before they were asked for
    page.get_by_role("button", name="Relatórios").click()
    page.get_by_role("link", name="Consultas").click()
    expect(page.get_by_test_id("total-count")).to_have_text("1")
    expect(page.get_by_test_id("total-refused")).to_have_text("0")
    expect(page.get_by_test_id("total-cost")).to_have_text("R$ 12,50")
    expect(page.get_by_test_id("total-with-restrictions")).to_have_text("1")
    screenshot("credit_report")


def test_credit_query_platform_fault_shows_failed_state(
    page: Page,
    log_in: Callable[[str, str], None],
    screenshot: Callable[[str], Path],
    sandbox: RunningSandbox,
    branch: Branch,
    attendant: User,
) -> None:
    integration_on(branch, sandbox, PLATFORM, interval_days=30)
    customer = CustomerFactory.create(name="Bruno Falha", document=CLEAN_CPF, branch=branch)
    inject_fault(sandbox, PLATFORM, "http500")

    log_in(attendant.username, PASSWORD)
    page.goto(f"/clientes/{customer.pk}/")
    page.get_by_role("link", name="Consultar análise de crédito").click()
    page.get_by_role("button", name="Consultar").click()

    failed = page.get_by_test_id("query-failed")
    expect(failed).to_contain_text("A consulta falhou")
    query = CreditQuery.objects.get()
    assert query.status == QueryStatus.FAILED
    expect(failed).to_contain_text(query.error_message)
    expect(page.get_by_test_id("error-code")).to_have_text(query.error_code)
    expect(page.get_by_test_id("download-report")).to_have_count(0)
    expect(page.get_by_role("link", name="Nova consulta")).to_be_visible()
    screenshot("credit_query_failed")


def test_same_cpf_from_two_branches_at_once_one_call_both_see_the_result(
    page: Page,
    browser: Browser,
    live_server: object,
    log_in: Callable[[str, str], None],
    screenshot: Callable[[str], Path],
    sandbox: RunningSandbox,
    branch: Branch,
    other_branch: Branch,
    attendant: User,
    other_attendant: User,
) -> None:
    integration_on(branch, sandbox, PLATFORM, cost="12.50", interval_days=30)
    connect_branch(other_branch, sandbox, PLATFORM, cost="9.00")
    other_context = browser.new_context(
        base_url=str(live_server), locale="pt-BR", timezone_id="America/Sao_Paulo"
    )
    other_context.set_default_timeout(10_000)
    other_page = other_context.new_page()
    # Given two attendants of two branches on the confirmation of the same CPF
    log_in(attendant.username, PASSWORD)
    page.goto(f"/analise-credito/nova/?document={SMALL_RESTRICTION_CPF}")
    sign_in(other_page, other_attendant.username, PASSWORD)
    other_page.goto(f"/analise-credito/nova/?document={SMALL_RESTRICTION_CPF}")
    expect(other_page.get_by_test_id("query-cost")).to_have_text("R$ 9,00")
    shots = screenshot("credit_query_shared_confirm").parent

    # When the first consults, and the platform takes its time to answer
    sandbox.state.latency_ms[PLATFORM] = 4000
    page.get_by_role("button", name="Consultar").click(no_wait_after=True)
    deadline = time.monotonic() + 5
    while not CreditQuery.objects.filter(status=QueryStatus.RUNNING).exists():
        assert time.monotonic() < deadline, "the first query never started"
        time.sleep(0.05)
    # and the second consults meanwhile, in the other branch
    other_page.get_by_role("button", name="Consultar").click()

    # Then the second waits for the first query instead of calling the platform again
    expect(other_page.get_by_test_id("query-progress")).to_contain_text(
        "Aguardando a consulta deste CPF/CNPJ em andamento em outra filial"
    )
    expect(other_page.get_by_test_id("shared-from")).to_contain_text("Aguardando o resultado")
    other_page.screenshot(path=str(shots / "credit_query_shared_waiting.png"), full_page=True)
    # and, once the platform answers, both see score and restrictions
    expect(other_page.get_by_test_id("score-value")).to_have_text("520", timeout=20_000)
    expect(other_page.get_by_test_id("shared-from")).to_contain_text("sem custo para esta filial")
    expect(other_page.get_by_test_id("query-cost")).to_have_text("R$ 0,00")
    expect(page.get_by_test_id("score-value")).to_have_text("520", timeout=20_000)
    expect(page.get_by_test_id("query-cost")).to_have_text("R$ 12,50")
    screenshot("credit_query_shared_first_branch")
    other_page.screenshot(path=str(shots / "credit_query_shared_other_branch.png"), full_page=True)
    # for one billed platform call
    assert billed_calls(sandbox, document=SMALL_RESTRICTION_CPF) == 1
    other_context.close()
