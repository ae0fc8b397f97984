"""CRM screens: the lead's "Análise de crédito" menu, the CRM breadcrumb and formatted phones."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from creditcheck.core.models import Branch
from tests.credit_setup import enable_credit_analysis
from tests.factories import LeadFactory, ProspectFactory
from tests.html import parse, text

pytestmark = pytest.mark.django_db


def _links(content: bytes, xpath: str) -> list[tuple[str, str]]:
    return [(text(a), a.get("href", "")) for a in parse(content).xpath(xpath)]


def test_lead_edit_offers_query_and_previous_queries(
    client: Client, attendant: User, branch: Branch
) -> None:
    enable_credit_analysis()
    lead = LeadFactory.create(name="Lead Com Menu", document="52998224725", branch=branch)
    client.force_login(attendant)

    response = client.get(f"/crm/leads/{lead.pk}/")

    assert _links(response.content, '//*[@data-testid="credit-menu"]//a') == [
        ("Consulta de crédito", f"/analise-credito/nova/?lead={lead.pk}"),
        ("Consultas anteriores", f"/analise-credito/historico/?lead={lead.pk}"),
    ]


def test_lead_edit_menu_query_disabled_while_integration_off(
    client: Client, attendant: User, branch: Branch
) -> None:
    lead = LeadFactory.create(branch=branch)
    client.force_login(attendant)

    response = client.get(f"/crm/leads/{lead.pk}/")

    assert _links(response.content, '//*[@data-testid="credit-menu"]//a') == [
        ("Consultas anteriores", f"/analise-credito/historico/?lead={lead.pk}"),
    ]
    assert "Integração com análise de crédito desativada" in response.content.decode()


def test_crm_breadcrumb_links_to_the_leads(client: Client, seller: User, branch: Branch) -> None:
    lead = LeadFactory.create(branch=branch)
    prospect = ProspectFactory.create(branch=branch)
    client.force_login(seller)

    for url in ("/crm/leads/", f"/crm/leads/{lead.pk}/", f"/crm/prospeccoes/{prospect.pk}/"):
        response = client.get(url)
        assert _links(response.content, '//*[@data-testid="crm-breadcrumb"]') == [
            ("CRM", "/crm/leads/")
        ], url


def test_lead_and_prospect_lists_show_phones_masked(
    client: Client, seller: User, branch: Branch
) -> None:
    LeadFactory.create(name="Lead Celular", phone="11980001371", branch=branch)
    ProspectFactory.create(name="Prospect Fixo", phone="3130001371", branch=branch)
    client.force_login(seller)

    leads = client.get("/crm/leads/").content.decode()
    prospects = client.get("/crm/prospeccoes/").content.decode()

    assert "<td>(11) 98000-1371</td>" in leads
    assert "<td>(31) 3000-1371</td>" in prospects


@pytest.mark.parametrize(
    ("url", "subject"),
    [("/crm/leads/", "lead"), ("/crm/prospeccoes/", "prospect"), ("/clientes/", "customer")],
)
def test_lists_show_the_last_score_band_and_date(
    client: Client, seller: User, branch: Branch, url: str, subject: str
) -> None:
    from creditcheck.analysis.enums import QueryStatus
    from creditcheck.analysis.models import CreditQuery
    from tests.factories import CustomerFactory

    factory: dict[str, Any] = {
        "lead": LeadFactory,
        "prospect": ProspectFactory,
        "customer": CustomerFactory,
    }
    record = factory[subject].create(name="Com Análise", document="52998224725", branch=branch)
    factory[subject].create(name="Sem Análise", branch=branch)
    query = CreditQuery.objects.create(
        subject_type=subject,
        **{subject: record},
        document=record.document,
        branch=branch,
        user=seller,
        platform="spcbrasil",
        status=QueryStatus.SUCCEEDED,
        score=720,
        has_restrictions=True,
        report={"score": {"value": 720, "band": "B"}},
    )
    client.force_login(seller)

    response = client.get(url)

    doc = parse(response)
    cells = {
        text(row.xpath(".//td[1]")[0]): text(row.xpath('.//*[@data-testid="last-query"]')[0])
        for row in doc.xpath("//tbody/tr")
    }
    assert cells == {
        "Com Análise": f"Score 720 · B {query.created_at:%d/%m/%Y} · com restrições",
        "Sem Análise": "—",
    }
    assert doc.xpath('//*[@data-testid="last-query"]//a/@href') == [f"/analise-credito/{query.pk}/"]
