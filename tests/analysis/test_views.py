"""Credit-query screens with the Django test client; queries reach the sandboxes over real HTTP
and run in-process after commit (hence transactional tests where a query runs).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from creditcheck.analysis.enums import Billed, QueryStatus, RefusalCode, SubjectType
from creditcheck.analysis.models import CreditQuery
from creditcheck.analysis.presenters import score_gauge
from creditcheck.core.enums import Role
from creditcheck.core.models import Branch
from creditcheck.customers.models import Customer
from providers.sandbox.scenarios import CLEAN_CPF, SMALL_RESTRICTION_CPF
from providers.sandbox.server import RunningSandbox
from tests.credit_setup import connect_branch, enable_credit_analysis, integration_on
from tests.factories import CreditQueryFactory, CustomerFactory, LeadFactory, ProspectFactory
from tests.html import parse, texts, texts_by_testid
from tests.sandbox_client import billed_calls, inject_fault, ledger
from tests.sse_client import stream_body

if TYPE_CHECKING:  # the test client's response type exists only in django-stubs
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

PLATFORM = "spcbrasil"
PLATFORM_NAME = "SPC Brasil"
NEW_URL = "/analise-credito/nova/"

transactional = pytest.mark.django_db(transaction=True)


@pytest.fixture
def customer(branch: Branch) -> Customer:
    return CustomerFactory.create(
        name="Ana Restrição Pequena", document=SMALL_RESTRICTION_CPF, branch=branch
    )


def local(value: object) -> str:
    assert hasattr(value, "tzinfo")
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")  # type: ignore[arg-type]


def consult(client: Client, branch: Branch, **subject: object) -> Response:
    data = {key: str(value) for key, value in subject.items()}
    data["branch"] = str(branch.pk)
    return client.post(NEW_URL, data)


# --- The query page ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_query_page_disabled_shows_reason_without_button(
    client_for: Callable[[User], Client],
    attendant: User,
    customer: Customer,
    sandbox: RunningSandbox,
) -> None:
    connect_branch(customer.branch, sandbox, PLATFORM)

    response = client_for(attendant).get(NEW_URL, {"customer": customer.pk})

    assert response.status_code == 200
    assert texts_by_testid(response, "integration-disabled") == [
        "Consultas indisponíveis A integração com análise de crédito está desativada "
        '("Utiliza integração com análise de crédito" = Não). Peça ao administrador para '
        "ativá-la em Configurações > Integrações."
    ]
    assert parse(response).xpath('//main//button[@type="submit"]') == []
    assert texts_by_testid(response, "subject-document") == ["123.456.789-09"]


@transactional
def test_query_post_disabled_is_refused_without_platform_call(
    client_for: Callable[[User], Client],
    attendant: User,
    customer: Customer,
    sandbox: RunningSandbox,
) -> None:
    connect_branch(customer.branch, sandbox, PLATFORM)

    response = consult(client_for(attendant), customer.branch, customer=customer.pk)

    assert response.status_code == 200
    assert texts_by_testid(response, "refusal-alert") == [
        "Consulta não realizada. A integração com análise de crédito está desativada em "
        "Configurações > Integrações."
    ]
    refused = CreditQuery.objects.get()
    assert (refused.status, refused.refusal_code, refused.user, refused.ip_address) == (
        QueryStatus.REFUSED,
        RefusalCode.INTEGRATION_DISABLED,
        attendant,
        "127.0.0.1",
    )
    assert ledger(sandbox) == []


@pytest.mark.django_db
def test_query_page_lists_only_branches_with_integration_and_their_cost(
    client_for: Callable[[User], Client],
    make_user: Callable[..., User],
    branch: Branch,
    other_branch: Branch,
    sandbox: RunningSandbox,
) -> None:
    integration_on(branch, sandbox, PLATFORM, cost="12.50")
    user = make_user(Role.ATTENDANT, [branch, other_branch], username="atendente2")
    lead = LeadFactory.create(name="Lead Sem Integração", document=CLEAN_CPF, branch=other_branch)

    response = client_for(user).get(NEW_URL, {"lead": lead.pk})

    doc = parse(response)
    options = [
        (o.get("value"), o.text_content()) for o in doc.xpath('//select[@name="branch"]/option')
    ]
    assert options == [(str(branch.pk), "Filial São Paulo")]
    platforms = [
        (o.get("value"), o.text_content()) for o in doc.xpath('//select[@name="platform"]/option')
    ]
    assert platforms == [("spcbrasil", "SPC Brasil · R$ 12,50 por consulta (padrão)")]
    assert texts_by_testid(response, "cost-warning") == [
        "Esta ação pode gerar custo para a empresa. Por este motivo, consulte somente quando for "
        "necessário. Custo por consulta na Filial São Paulo (SPC Brasil): R$ 12,50"
    ]
    assert texts(response, '//main//button[@type="submit"]') == ["Consultar"]


@pytest.mark.django_db
def test_query_page_branch_change_returns_that_branchs_cost(
    client_for: Callable[[User], Client],
    make_user: Callable[..., User],
    branch: Branch,
    other_branch: Branch,
    sandbox: RunningSandbox,
) -> None:
    integration_on(branch, sandbox, PLATFORM, cost="12.50")
    connect_branch(other_branch, sandbox, PLATFORM, cost="3.99")
    user = make_user(Role.ATTENDANT, [branch, other_branch], username="atendente2")
    customer = CustomerFactory.create(document=CLEAN_CPF, branch=branch)

    response = client_for(user).get(
        NEW_URL,
        {"customer": customer.pk, "branch": other_branch.pk},
        headers={"HX-Request": "true"},
    )

    assert "<html" not in response.content.decode()
    assert texts_by_testid(response, "query-cost") == ["R$ 3,99"]


@pytest.mark.django_db
def test_query_page_customer_of_other_branch_is_not_found(
    client_for: Callable[[User], Client], attendant: User, other_branch: Branch
) -> None:
    stranger = CustomerFactory.create(branch=other_branch)

    response = client_for(attendant).get(NEW_URL, {"customer": stranger.pk})

    assert response.status_code == 404


@transactional
def test_query_post_runs_and_redirects_to_result_with_score_and_restrictions(
    client_for: Callable[[User], Client],
    attendant: User,
    customer: Customer,
    sandbox: RunningSandbox,
) -> None:
    integration_on(customer.branch, sandbox, PLATFORM, cost="12.50")
    client = client_for(attendant)

    response = consult(client, customer.branch, customer=customer.pk)

    query = CreditQuery.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/analise-credito/{query.pk}/"
    assert (query.status, query.customer, query.score, query.cost) == (
        QueryStatus.SUCCEEDED,
        customer,
        520,
        Decimal("12.50"),
    )
    assert billed_calls(sandbox, document=SMALL_RESTRICTION_CPF) == 1

    result = client.get(response["Location"])
    assert result.status_code == 200
    assert texts_by_testid(result, "score-value") == ["520"]
    gauge = score_gauge(520)
    assert gauge is not None
    # SVG coordinates with a dot: pt-BR formatting ("105,0") would break the arc
    assert parse(result).xpath("//svg[@class='score-gauge']/path/@d") == [
        "M 20 100 A 80 80 0 0 1 180 100",
        f"M 20 100 A 80 80 0 0 1 {gauge['x']} {gauge['y']}",
    ]
    assert "." in str(gauge["x"])
    assert texts_by_testid(result, "result-summary")[0].startswith(
        "Constam restrições 1 ocorrência, total R$ 189,90"
    )
    assert texts_by_testid(result, "query-document") == ["123.456.789-09"]
    assert texts_by_testid(result, "query-cost") == ["R$ 12,50"]
    assert texts_by_testid(result, "section-total") == ["R$ 189,90"]
    assert texts(result, '//*[@data-testid="section"]//tbody/tr/td[2]') == [
        "NET RAPIDA TELECOM LTDA"
    ]
    assert texts(result, '//a[@data-testid="download-report"]') == [
        "Relatório de análise de crédito"
    ]


@transactional
def test_result_pdf_downloads_as_attachment(
    client_for: Callable[[User], Client],
    attendant: User,
    customer: Customer,
    sandbox: RunningSandbox,
) -> None:
    integration_on(customer.branch, sandbox, PLATFORM)
    client = client_for(attendant)
    consult(client, customer.branch, customer=customer.pk)
    query = CreditQuery.objects.get()

    response = client.get(f"/analise-credito/{query.pk}/relatorio.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="analise-credito-{query.pk}.pdf"'
    )
    assert response.content[:5] == b"%PDF-"


@transactional
def test_result_of_other_branch_is_not_found(
    client_for: Callable[[User], Client],
    attendant: User,
    other_attendant: User,
    other_branch: Branch,
    sandbox: RunningSandbox,
) -> None:
    integration_on(other_branch, sandbox, PLATFORM)
    consult(client_for(other_attendant), other_branch, document=CLEAN_CPF)
    query = CreditQuery.objects.get(status=QueryStatus.SUCCEEDED)

    client = client_for(attendant)
    assert client.get(f"/analise-credito/{query.pk}/").status_code == 404
    assert client.get(f"/analise-credito/{query.pk}/relatorio.pdf").status_code == 404


@transactional
def test_query_inside_interval_shows_dates_and_link_without_call(
    client_for: Callable[[User], Client],
    attendant: User,
    seller: User,
    customer: Customer,
    sandbox: RunningSandbox,
) -> None:
    integration_on(customer.branch, sandbox, PLATFORM, interval_days=30)
    consult(client_for(attendant), customer.branch, customer=customer.pk)
    first = CreditQuery.objects.get()
    lead = LeadFactory.create(document=SMALL_RESTRICTION_CPF, branch=customer.branch)

    response = consult(client_for(seller), customer.branch, lead=lead.pk)

    assert response.status_code == 200
    assert texts_by_testid(response, "last-query-at") == [local(first.created_at)]
    assert texts_by_testid(response, "last-query-user") == [attendant.get_full_name()]
    assert texts_by_testid(response, "next-allowed-at") == [
        local(first.created_at + dt.timedelta(days=30))
    ]
    links = parse(response).xpath('//a[@data-testid="last-query-link"]/@href')
    assert links == [f"/analise-credito/{first.pk}/"]
    assert texts_by_testid(response, "override") == []
    assert texts(response, '//main//button[@type="submit"]') == []
    assert billed_calls(sandbox, document=SMALL_RESTRICTION_CPF) == 1
    refused = CreditQuery.objects.exclude(pk=first.pk).get()
    assert (refused.lead, refused.refusal_code) == (lead, RefusalCode.REQUERY_INTERVAL)


@transactional
def test_query_inside_interval_of_another_branch_says_only_when_it_is_allowed(
    client_for: Callable[[User], Client],
    attendant: User,
    other_branch_attendant: User,
    branch: Branch,
    other_branch: Branch,
) -> None:
    consult(client_for(attendant), branch, document=CLEAN_CPF)
    first = CreditQuery.objects.get()

    response = consult(client_for(other_branch_attendant), other_branch, document=CLEAN_CPF)

    assert texts_by_testid(response, "interval-other-branch") == [
        "Este CPF/CNPJ já foi consultado em outra filial. Uma nova consulta só é permitida a "
        f"partir de {local(first.created_at + dt.timedelta(days=30))}."
    ]
    assert texts_by_testid(response, "last-query-at") == []
    assert texts_by_testid(response, "last-query-user") == []
    html = response.content.decode()
    assert attendant.get_full_name() not in html and attendant.get_username() not in html
    # The copy of the result into this branch is still offered.
    assert parse(response).xpath('//form[@data-testid="reuse-form"]') != []


@transactional
def test_query_inside_interval_override_requires_reason_and_permission(
    client_for: Callable[[User], Client],
    attendant: User,
    administrator: User,
    customer: Customer,
    sandbox: RunningSandbox,
) -> None:
    integration_on(customer.branch, sandbox, PLATFORM, interval_days=30)
    consult(client_for(attendant), customer.branch, customer=customer.pk)
    first = CreditQuery.objects.get()
    client = client_for(administrator)

    offered = consult(client, customer.branch, customer=customer.pk)
    assert len(texts_by_testid(offered, "override")) == 1
    assert texts(offered, '//main//button[@type="submit"]') == ["Consultar mesmo assim"]

    blank = consult(
        client, customer.branch, customer=customer.pk, override="1", override_reason="  "
    )
    assert texts(blank, '//*[@data-field-error="override_reason"]') == [
        "Informe a justificativa para consultar antes do intervalo."
    ]
    assert texts_by_testid(blank, "last-query-at") == [local(first.created_at)]
    assert billed_calls(sandbox, document=SMALL_RESTRICTION_CPF) == 1

    done = consult(
        client,
        customer.branch,
        customer=customer.pk,
        override="1",
        override_reason="Cliente pediu reanálise após quitar a dívida.",
    )
    second = CreditQuery.objects.filter(status=QueryStatus.SUCCEEDED).exclude(pk=first.pk).get()
    assert done["Location"] == f"/analise-credito/{second.pk}/"
    assert (second.override_reason, second.overridden_query) == (
        "Cliente pediu reanálise após quitar a dívida.",
        first,
    )
    assert billed_calls(sandbox, document=SMALL_RESTRICTION_CPF) == 2


@transactional
def test_query_override_without_permission_is_refused(
    client_for: Callable[[User], Client],
    attendant: User,
    customer: Customer,
    sandbox: RunningSandbox,
) -> None:
    integration_on(customer.branch, sandbox, PLATFORM, interval_days=30)
    client = client_for(attendant)
    consult(client, customer.branch, customer=customer.pk)

    response = consult(
        client,
        customer.branch,
        customer=customer.pk,
        override="1",
        override_reason="Quero consultar de novo.",
    )

    assert len(texts_by_testid(response, "interval-alert")) == 1
    assert billed_calls(sandbox, document=SMALL_RESTRICTION_CPF) == 1


@transactional
def test_platform_fault_shows_failed_state(
    client_for: Callable[[User], Client],
    attendant: User,
    customer: Customer,
    sandbox: RunningSandbox,
) -> None:
    integration_on(customer.branch, sandbox, PLATFORM)
    inject_fault(sandbox, PLATFORM, "http500")
    client = client_for(attendant)

    response = consult(client, customer.branch, customer=customer.pk)
    result = client.get(response["Location"])

    query = CreditQuery.objects.get()
    assert query.status == QueryStatus.FAILED
    failed = texts_by_testid(result, "query-failed")
    assert len(failed) == 1
    assert failed[0].startswith(f"A consulta falhou {query.error_message}")
    assert texts_by_testid(result, "error-code") == [query.error_code]
    assert query.error_code != ""
    assert parse(result).xpath('//a[@data-testid="download-report"]') == []


@pytest.mark.django_db
def test_failed_query_with_unknown_billing_says_so(
    client_for: Callable[[User], Client], attendant: User, branch: Branch
) -> None:
    query = CreditQueryFactory.create(
        branch=branch,
        user=attendant,
        status=QueryStatus.FAILED,
        error_code="timeout",
        error_message="A plataforma de análise de crédito não respondeu.",
        billed=Billed.UNKNOWN,
    )

    response = client_for(attendant).get(f"/analise-credito/{query.pk}/")

    assert texts_by_testid(response, "billed-unknown") == [
        "Não foi possível confirmar se a consulta foi cobrada. Verifique com a plataforma antes "
        "de consultar de novo."
    ]


@pytest.mark.django_db
def test_running_query_polls_status_then_asks_for_the_result(
    client_for: Callable[[User], Client], attendant: User, branch: Branch
) -> None:
    query = CreditQueryFactory.create(branch=branch, user=attendant, status=QueryStatus.RUNNING)
    client = client_for(attendant)

    page = client.get(f"/analise-credito/{query.pk}/")
    progress = parse(page).xpath('//*[@data-testid="query-progress"]')
    assert [(p.get("hx-get"), p.get("hx-trigger")) for p in progress] == [
        (f"/analise-credito/{query.pk}/situacao/", "every 1s")
    ]
    live = parse(page).xpath('//*[@id="query-live"]')[0]
    assert (live.get("sse-connect"), live.get("hx-get"), live.get("hx-select")) == (
        f"/analise-credito/{query.pk}/eventos/?desde=running",
        f"/analise-credito/{query.pk}/",
        "#query-live",
    )
    polling = client.get(f"/analise-credito/{query.pk}/situacao/")
    assert "HX-Trigger" not in polling
    assert texts_by_testid(polling, "progress-title") == [f"Consultando {PLATFORM_NAME}…"]

    CreditQuery.objects.filter(pk=query.pk).update(status=QueryStatus.SUCCEEDED)
    finished = client.get(f"/analise-credito/{query.pk}/situacao/")
    assert (finished.status_code, finished["HX-Trigger"], finished.content) == (
        204,
        "query-finished",
        b"",
    )
    page = parse(client.get(f"/analise-credito/{query.pk}/"))
    assert page.xpath('//*[@id="query-live"]/@sse-connect') == []


@pytest.mark.django_db
def test_query_events_announce_a_change_from_the_state_the_page_shows(
    client_for: Callable[[User], Client], attendant: User, branch: Branch
) -> None:
    query = CreditQuery.objects.create(
        subject_type=SubjectType.DOCUMENT,
        document=CLEAN_CPF,
        branch=branch,
        user=attendant,
        platform=PLATFORM,
        status=QueryStatus.PENDING,
    )
    client = client_for(attendant)
    url = f"/analise-credito/{query.pk}/eventos/"

    unchanged = stream_body(client.get(f"{url}?desde=running"))  # pending shows as running
    CreditQuery.objects.filter(pk=query.pk).update(status=QueryStatus.FAILED)
    changed = stream_body(client.get(f"{url}?desde=running"))

    assert unchanged == "retry: 2000\n\n"
    assert changed == "retry: 2000\n\nevent: changed\ndata: failed\n\n"


@pytest.mark.django_db
def test_query_events_of_another_branch_are_not_found(
    client_for: Callable[[User], Client], attendant: User, other_branch: Branch
) -> None:
    query = CreditQuery.objects.create(
        subject_type=SubjectType.DOCUMENT,
        document=CLEAN_CPF,
        branch=other_branch,
        user=attendant,
        platform=PLATFORM,
        status=QueryStatus.RUNNING,
    )

    response = client_for(attendant).get(f"/analise-credito/{query.pk}/eventos/")

    assert response.status_code == 404


# --- Entry points -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_customer_edit_button_disabled_with_reason_when_integration_off(
    client_for: Callable[[User], Client], attendant: User, customer: Customer
) -> None:
    response = client_for(attendant).get(f"/clientes/{customer.pk}/")

    assert texts_by_testid(response, "consult-credit") == []
    assert texts_by_testid(response, "consult-credit-disabled") == [
        "Consultar análise de crédito Integração com análise de crédito desativada"
    ]


@pytest.mark.django_db
def test_entry_points_link_to_the_query_page_when_enabled(
    client_for: Callable[[User], Client],
    attendant: User,
    seller: User,
    customer: Customer,
    branch: Branch,
) -> None:
    enable_credit_analysis()
    lead = LeadFactory.create(branch=branch)
    prospect = ProspectFactory.create(branch=branch)

    edit = client_for(attendant).get(f"/clientes/{customer.pk}/")
    customers = client_for(attendant).get("/clientes/")
    leads = client_for(seller).get("/crm/leads/")
    prospects = client_for(seller).get("/crm/prospeccoes/")
    prospect_edit = client_for(seller).get(f"/crm/prospeccoes/{prospect.pk}/")

    def hrefs(response: Response) -> list[str]:
        return parse(response).xpath('//a[@data-testid="consult-credit"]/@href')

    assert hrefs(edit) == [f"{NEW_URL}?customer={customer.pk}"]
    assert hrefs(customers) == [f"{NEW_URL}?customer={customer.pk}"]
    assert hrefs(leads) == [f"{NEW_URL}?lead={lead.pk}"]
    assert hrefs(prospects) == [f"{NEW_URL}?prospect={prospect.pk}"]
    menu = parse(prospect_edit).xpath('//*[@data-testid="credit-menu"]//a')
    assert [(a.text_content().strip(), a.get("href")) for a in menu] == [
        ("Consulta de crédito", f"{NEW_URL}?prospect={prospect.pk}"),
        ("Consultas anteriores", f"/analise-credito/historico/?prospect={prospect.pk}"),
    ]


@transactional
def test_customer_credit_tab_lists_the_customers_queries(
    client_for: Callable[[User], Client],
    attendant: User,
    customer: Customer,
    sandbox: RunningSandbox,
) -> None:
    integration_on(customer.branch, sandbox, PLATFORM, cost="12.50")
    client = client_for(attendant)
    consult(client, customer.branch, customer=customer.pk)
    CustomerFactory.create(document=CLEAN_CPF, branch=customer.branch)
    query = CreditQuery.objects.get()

    response = client.get(f"/clientes/{customer.pk}/analise-credito/")

    rows = parse(response).xpath('//*[@data-testid="history-table"]/tbody/tr')
    assert [[" ".join(td.text_content().split()) for td in row.xpath("td")] for row in rows] == [
        [
            local(query.created_at),
            "Filial São Paulo",
            attendant.get_full_name(),
            "SPC Brasil",
            "Concluída",
            "520",
            "1 · R$ 189,90",
            "R$ 12,50",
            "Ver",
        ]
    ]
    assert texts(response, '//ul[contains(@class, "nav-tabs")]//a[@aria-current="page"]') == [
        "Análise de crédito"
    ]


# --- Relatórios > Consultas -------------------------------------------------------------------


@transactional
def test_report_filters_totals_and_csv_export(
    client_for: Callable[[User], Client],
    attendant: User,
    customer: Customer,
    sandbox: RunningSandbox,
) -> None:
    integration_on(customer.branch, sandbox, PLATFORM, cost="12.50")
    client = client_for(attendant)
    consult(client, customer.branch, customer=customer.pk)
    consult(client, customer.branch, document="529.982.247-25")
    restricted, clean = CreditQuery.objects.order_by("id")

    everything = client.get("/relatorios/consultas/")
    assert texts_by_testid(everything, "total-count") == ["2"]
    assert texts_by_testid(everything, "total-cost") == ["R$ 25,00"]
    assert texts_by_testid(everything, "total-with-restrictions") == ["1"]

    filtered = client.get("/relatorios/consultas/", {"result": "with_restrictions"})
    assert texts(filtered, '//*[@data-testid="query-table"]/tbody/tr/td[1]') == [str(restricted.pk)]
    assert texts_by_testid(filtered, "total-cost") == ["R$ 12,50"]
    by_document = client.get("/relatorios/consultas/", {"document": "529.982.247-25"})
    assert texts(by_document, '//*[@data-testid="query-table"]/tbody/tr/td[1]') == [str(clean.pk)]

    export = client.get("/relatorios/consultas/exportar.csv", {"result": "with_restrictions"})
    body = b"".join(export.streaming_content).decode("utf-8")  # type: ignore[attr-defined]
    assert export["Content-Type"] == "text/csv; charset=utf-8"
    assert body.startswith("\ufeffNº;Data;Filial;Usuário;")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    assert rows == [
        [
            "Nº",
            "Data",
            "Filial",
            "Usuário",
            "Origem",
            "Nome",
            "CPF/CNPJ",
            "Plataforma",
            "Produto",
            "Situação",
            "Resultado",
            "Decisão",
            "Motivos da decisão",
            "Score",
            "Restrições",
            "Valor das restrições (R$)",
            "Custo (R$)",
            "Cobrada",
            "Protocolo",
            "Erro",
        ],
        [
            str(restricted.pk),
            local(restricted.created_at),
            "Filial São Paulo",
            attendant.get_full_name(),
            "Cliente",
            "Ana Restrição Pequena",
            "123.456.789-09",
            "SPC Brasil",
            restricted.product,
            "Concluída",
            "Constam restrições",
            "",  # no credit policy: no decision
            "",
            "520",
            "1",
            "189,90",
            "12,50",
            "Sim",
            restricted.protocol,
            "",
        ],
    ]


@pytest.mark.django_db
def test_report_invalid_period_shows_error_and_no_rows(
    client_for: Callable[[User], Client], attendant: User
) -> None:
    response = client_for(attendant).get(
        "/relatorios/consultas/", {"date_from": "10/03/2025", "date_to": "01/03/2025"}
    )

    assert texts(response, '//*[@data-field-error="date_to"]') == [
        "Até: A data final deve ser igual ou posterior à inicial."
    ]
    assert texts_by_testid(response, "total-count") == ["0"]


def make_queries(count: int, user: User, branch: Branch, customer: Customer) -> None:
    for _ in range(count):
        CreditQueryFactory.create(
            subject_type=SubjectType.CUSTOMER,
            customer=customer,
            subject_name=customer.name,
            document=customer.document,
            branch=branch,
            user=user,
            status=QueryStatus.SUCCEEDED,
            has_restrictions=False,
            cost=Decimal("12.50"),
        )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/relatorios/consultas/",
        "/clientes/{pk}/analise-credito/",
        "/analise-credito/historico/?customer={pk}",
    ],
)
def test_query_lists_do_not_grow_queries_with_rows(
    client_for: Callable[[User], Client], attendant: User, customer: Customer, url: str
) -> None:
    client = client_for(attendant)
    page_url = url.format(pk=customer.pk)

    def queries_for_rows(rows: int) -> int:
        make_queries(rows - CreditQuery.objects.count(), attendant, customer.branch, customer)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page_url)
        assert (
            len(parse(response).xpath('//tbody/tr/td/a[contains(@href, "/analise-credito/")]'))
            == rows
        )
        return len(captured)

    client.get(page_url)  # warm up: the settings row is created on first read
    assert queries_for_rows(1) == queries_for_rows(3)


@pytest.mark.django_db
def test_history_of_a_lead_lists_its_queries_and_hides_other_branches(
    client_for: Callable[[User], Client], attendant: User, branch: Branch, other_branch: Branch
) -> None:
    lead = LeadFactory.create(name="Lead Histórico", document=CLEAN_CPF, branch=branch)
    stranger = LeadFactory.create(branch=other_branch)
    query = CreditQueryFactory.create(
        subject_type=SubjectType.LEAD,
        lead=lead,
        branch=branch,
        user=attendant,
        status=QueryStatus.REFUSED,
        refusal_code=RefusalCode.REQUERY_INTERVAL,
    )
    client = client_for(attendant)

    response = client.get("/analise-credito/historico/", {"lead": lead.pk})

    assert texts(response, "//h1") == ["Consultas de crédito"]
    assert parse(response).xpath('//*[@data-testid="history-table"]//a/@href') == [
        f"/analise-credito/{query.pk}/"
    ]
    assert client.get("/analise-credito/historico/", {"lead": stranger.pk}).status_code == 404


@transactional
def test_result_offers_platform_report_when_stored(
    client_for: Callable[[User], Client],
    attendant: User,
    customer: Customer,
    sandbox: RunningSandbox,
) -> None:
    # Crédito na Medida sends its own PDF when the person has restrictions.
    integration_on(customer.branch, sandbox, "creditonamedida")
    client = client_for(attendant)
    consult(client, customer.branch, customer=customer.pk)
    query = CreditQuery.objects.get()
    assert query.provider_file.name != ""

    result = client.get(f"/analise-credito/{query.pk}/")
    download = client.get(f"/analise-credito/{query.pk}/relatorio-plataforma/")

    assert parse(result).xpath('//a[@data-testid="download-provider-report"]/@href') == [
        f"/analise-credito/{query.pk}/relatorio-plataforma/"
    ]
    assert download["Content-Disposition"] == (
        f'attachment; filename="relatorio-plataforma-{query.pk}.pdf"'
    )
    assert b"".join(download.streaming_content)[:5] == b"%PDF-"  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_platform_report_missing_is_not_found(
    client_for: Callable[[User], Client], attendant: User, branch: Branch
) -> None:
    query = CreditQueryFactory.create(
        branch=branch, user=attendant, status=QueryStatus.SUCCEEDED, has_restrictions=False
    )

    response = client_for(attendant).get(f"/analise-credito/{query.pk}/relatorio-plataforma/")

    assert response.status_code == 404


@pytest.mark.django_db
def test_an_invalid_bare_document_is_answered_on_the_first_step(
    client_for: Callable[[User], Client],
    attendant: User,
    branch: Branch,
    sandbox: RunningSandbox,
) -> None:
    integration_on(branch, sandbox)

    page = client_for(attendant).get(NEW_URL, {"document": "123.456.789-00"}).content.decode()
    valid = client_for(attendant).get(NEW_URL, {"document": CLEAN_CPF}).content.decode()

    assert "CPF inválido" in page
    assert "Esta ação pode gerar custo" not in page  # no cost confirmation for it
    assert "Esta ação pode gerar custo" in valid
    assert not CreditQuery.objects.exists()


@transactional
def test_uncertain_billing_settled_on_the_result_screen(
    client_for: Callable[[User], Client],
    attendant: User,
    financial: User,
    uncertain_query: CreditQuery,
) -> None:
    query = uncertain_query
    url = f"/analise-credito/{query.pk}/"
    # Who asked for the query sees the warning, without the settlement.
    assert texts_by_testid(client_for(attendant).get(url), "settle-billing") == []
    assert client_for(attendant).post(f"{url}cobranca/", {"billed": "no"}).status_code == 403

    client = client_for(financial)
    page = client.get(url)
    response = client.post(f"{url}cobranca/", {"billed": "no"}, follow=True)

    assert parse(page).xpath('//button[@data-testid="settle-not-billed"]/@value') == ["no"]
    assert response.redirect_chain == [(url, 302)]
    assert "Cobrança registrada: consulta não cobrada." in response.content.decode()
    assert texts_by_testid(response, "settle-billing") == []
    row = CreditQuery.objects.get(pk=query.pk)
    assert (row.billed, row.cost) == (Billed.NO, Decimal("0.00"))
