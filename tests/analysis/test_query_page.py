"""The query page of issue 16: the user's own filial preselected, a choice of each active
integration of the filial with its price, and the re-query interval alert before any cost."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client

from creditcheck.analysis.models import CreditQuery
from creditcheck.analysis.services import credit_query_request
from creditcheck.analysis.subjects import subject_from_document, subject_from_lead
from creditcheck.core.enums import Role
from creditcheck.core.models import Branch
from providers.sandbox.scenarios import CLEAN_CPF
from providers.sandbox.server import RunningSandbox
from tests.credit_setup import connect_branch, integration_on
from tests.factories import LeadFactory, ProspectFactory
from tests.html import parse, text, texts_by_testid

NEW_URL = "/analise-credito/nova/"


def _selected(content: bytes, name: str) -> list[str]:
    selected: list[str] = parse(content).xpath(f'//select[@name="{name}"]/option[@selected]/@value')
    return selected


@pytest.mark.django_db
def test_bare_document_preselects_the_users_own_branch(
    make_user: Callable[..., User],
    client: Client,
    branch: Branch,
    other_branch: Branch,
    sandbox: RunningSandbox,
) -> None:
    integration_on(branch, sandbox, cost="12.50")
    connect_branch(other_branch, sandbox, cost="30.00")
    # Filial São Paulo is the user's first filial; Filial Belo Horizonte comes first by name
    user = make_user(Role.SELLER, [branch], username="vendedor2")
    user.branches.add(other_branch)
    client.force_login(user)

    response = client.get(NEW_URL, {"document": CLEAN_CPF})

    assert _selected(response.content, "branch") == [str(branch.pk)]


def _options(content: bytes, name: str) -> list[tuple[str, str]]:
    return [
        (o.get("value"), text(o)) for o in parse(content).xpath(f'//select[@name="{name}"]/option')
    ]


@pytest.mark.django_db
def test_query_page_offers_each_active_integration_with_its_price(
    client: Client, attendant: User, branch: Branch, sandbox: RunningSandbox
) -> None:
    integration_on(branch, sandbox, "soawebservice", cost="7.00")
    inactive = connect_branch(branch, sandbox, "connectsa", cost="1.00")
    inactive.active = False
    inactive.is_default = False
    inactive.save()
    connect_branch(branch, sandbox, "spcbrasil", cost="12.50")  # the default
    client.force_login(attendant)

    page = client.get(NEW_URL, {"document": CLEAN_CPF})
    switched = client.get(
        NEW_URL,
        {"document": CLEAN_CPF, "branch": str(branch.pk), "platform": "soawebservice"},
        headers={"HX-Request": "true"},
    )

    assert _options(page.content, "platform") == [
        ("spcbrasil", "SPC Brasil · R$ 12,50 por consulta (padrão)"),
        ("soawebservice", "SOAWebService · R$ 7,00 por consulta"),
    ]
    assert _selected(page.content, "platform") == ["spcbrasil"]
    assert texts_by_testid(page, "query-cost") == ["R$ 12,50"]
    assert _selected(switched.content, "platform") == ["soawebservice"]
    assert texts_by_testid(switched, "query-cost") == ["R$ 7,00"]


@pytest.mark.django_db(transaction=True)
def test_query_post_uses_the_chosen_platform(
    client: Client, attendant: User, branch: Branch, sandbox: RunningSandbox
) -> None:
    chosen = integration_on(branch, sandbox, "soawebservice", cost="7.00")
    connect_branch(branch, sandbox, "spcbrasil", cost="12.50")
    client.force_login(attendant)

    response = client.post(
        NEW_URL, {"document": CLEAN_CPF, "branch": branch.pk, "platform": "soawebservice"}
    )

    query = CreditQuery.objects.get()
    assert response["Location"] == f"/analise-credito/{query.pk}/"
    assert (query.integration, query.cost) == (chosen, Decimal("7.00"))


@pytest.mark.django_db(transaction=True)
def test_query_page_inside_interval_alerts_before_any_cost(
    client: Client,
    attendant: User,
    make_user: Callable[..., User],
    branch: Branch,
    sandbox: RunningSandbox,
) -> None:
    integration_on(branch, sandbox, cost="12.50", interval_days=30)
    first = credit_query_request(
        subject=subject_from_document(CLEAN_CPF), branch=branch, user=attendant
    ).query
    colleague = make_user(Role.ATTENDANT, [branch], username="colega")
    client.force_login(colleague)

    response = client.get(NEW_URL, {"document": CLEAN_CPF})

    assert len(texts_by_testid(response, "interval-alert")) == 1
    assert texts_by_testid(response, "last-query-user") == [
        attendant.get_full_name() or attendant.get_username()
    ]
    # No cost is shown and nothing can be confirmed: the interval stops the query first
    assert texts_by_testid(response, "cost-warning") == []
    assert texts_by_testid(response, "query-form") == []
    assert "R$ 12,50" not in response.content.decode()
    # Looking is not an attempt: only the first query is stored
    assert list(CreditQuery.objects.values_list("pk", flat=True)) == [first.pk]


@pytest.mark.django_db(transaction=True)
def test_query_page_inside_interval_offers_override_after_the_alert(
    client: Client, attendant: User, administrator: User, branch: Branch, sandbox: RunningSandbox
) -> None:
    integration_on(branch, sandbox, cost="12.50", interval_days=30)
    credit_query_request(subject=subject_from_document(CLEAN_CPF), branch=branch, user=attendant)
    client.force_login(administrator)

    response = client.get(NEW_URL, {"document": CLEAN_CPF})

    html = response.content.decode()
    assert html.index('data-testid="interval-alert"') < html.index('data-testid="cost-warning"')
    assert len(texts_by_testid(response, "override")) == 1


# --- "Consultas anteriores" offers the result of another branch's query -----------------------


@pytest.mark.django_db(transaction=True)
def test_history_offers_the_result_of_another_branchs_query_for_reuse(
    client: Client,
    attendant: User,
    other_branch_attendant: User,
    branch: Branch,
    other_branch: Branch,
) -> None:
    lead = LeadFactory.create(document=CLEAN_CPF, branch=branch)
    source = credit_query_request(subject=subject_from_lead(lead), branch=branch, user=attendant)
    prospect = ProspectFactory.create(document=CLEAN_CPF, branch=other_branch)
    client.force_login(other_branch_attendant)

    history = client.get("/analise-credito/historico/", {"prospect": prospect.pk})

    [offer] = parse(history).xpath('//*[@data-testid="reuse-offer"]')
    assert "Consulta recente em outra filial." in offer.text_content()
    assert attendant.get_username() not in history.content.decode()
    fields = {i.get("name"): i.get("value") for i in offer.xpath(".//input[@type='hidden']")}
    assert {k: v for k, v in fields.items() if k != "csrfmiddlewaretoken"} == {
        "prospect": str(prospect.pk),
        "branch": str(other_branch.pk),
        "platform": "spcbrasil",
        "reuse_result": "1",
    }

    [form] = offer.xpath(".//form")
    copied = client.post(form.get("action"), fields)

    copy = CreditQuery.objects.get(shared_from=source.query)
    assert copied["Location"] == f"/analise-credito/{copy.pk}/"
    assert (copy.prospect, copy.branch, copy.cost) == (prospect, other_branch, Decimal("0.00"))
    again = client.get("/analise-credito/historico/", {"prospect": prospect.pk})
    assert texts_by_testid(again, "reuse-offer") == []  # the copy is now listed, in this branch


@pytest.mark.django_db
def test_history_offers_no_reuse_outside_the_interval(
    client: Client, other_branch_attendant: User, other_branch: Branch
) -> None:
    prospect = ProspectFactory.create(document=CLEAN_CPF, branch=other_branch)
    client.force_login(other_branch_attendant)

    history = client.get("/analise-credito/historico/", {"prospect": prospect.pk})

    assert history.status_code == 200
    assert texts_by_testid(history, "reuse-offer") == []
