"""What the negativação lists show of a record: no "Visível em" once it left the bureau."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client

from creditcheck.core.models import Branch
from creditcheck.negativation.enums import NegativationStatus as S
from providers.sandbox.server import RunningSandbox
from tests.credit_setup import connect_branch
from tests.factories import ContractFactory, InvoiceFactory, negativation_for
from tests.html import parse

pytestmark = pytest.mark.django_db

VISIBLE_ON = dt.date(2026, 3, 20)


@pytest.mark.parametrize(
    ("status", "shown"),
    [
        (S.AWAITING_NOTICE, VISIBLE_ON),
        (S.ACTIVE, VISIBLE_ON),
        (S.REMOVAL_REQUESTED, VISIBLE_ON),
        (S.REMOVED, None),
        (S.REJECTED, None),
    ],
)
def test_visible_on_shown_only_while_at_the_bureau(
    branch: Branch, sandbox: RunningSandbox, status: str, shown: dt.date | None
) -> None:
    integration = connect_branch(branch, sandbox, "soawebservice")
    invoice = InvoiceFactory.create(contract=ContractFactory.create(customer__branch=branch))

    negativation = negativation_for(invoice, integration, status, visible_on=VISIBLE_ON)

    assert negativation.visible_on_shown == shown


def test_negativation_list_shows_no_visibility_date_for_removed(
    client: Client, financial: User, branch: Branch, sandbox: RunningSandbox
) -> None:
    integration = connect_branch(branch, sandbox, "soawebservice")
    contract = ContractFactory.create(customer__branch=branch)
    active = negativation_for(
        InvoiceFactory.create(contract=contract), integration, S.ACTIVE, visible_on=VISIBLE_ON
    )
    removed = negativation_for(
        InvoiceFactory.create(contract=contract), integration, S.REMOVED, visible_on=VISIBLE_ON
    )
    client.force_login(financial)

    response = client.get("/financeiro/negativacoes/")

    doc = parse(response)
    headers = [
        th.text_content() for th in doc.xpath('//table[@data-testid="negativation-table"]//th')
    ]
    column = headers.index("Visível em") + 1
    visible = {
        int(row.get("data-negativation")): row.xpath(f"./td[{column}]")[0].text_content()
        for row in doc.xpath("//tr[@data-negativation]")
    }
    assert visible == {active.pk: "20/03/2026", removed.pk: "—"}
