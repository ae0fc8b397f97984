"""The IXC sync against the local sandbox of IXCProvedor's webservice API, over HTTP."""

from __future__ import annotations

import pytest
import requests
from django.utils import timezone

from creditcheck.contracts.enums import InvoiceStatus
from creditcheck.contracts.models import Contract, Invoice
from creditcheck.core.models import Branch
from creditcheck.customers.models import Customer
from creditcheck.erp.ixc import ixc_sync
from creditcheck.erp.models import IxcConnection
from creditcheck.negativation.enums import NegativationStatus as S
from creditcheck.negativation.services import negativation_include
from providers.base import AuthenticationFailed
from providers.ixc import IxcClient, IxcError
from providers.sandbox.ixc import TOKEN
from providers.sandbox.server import RunningSandbox
from tests.credit_setup import connect_branch, enable_credit_analysis
from tests.erp.conftest import PLATFORM, removal_calls
from tests.notice_setup import letter_posted

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def connection(branch: Branch, other_branch: Branch, sandbox: RunningSandbox) -> IxcConnection:
    row = IxcConnection(
        name="IXC Demo", base_url=f"{sandbox.url}/ixc", default_branch=branch,
        branch_map={"2": other_branch.pk},
    )  # fmt: skip
    row.set_token(TOKEN)
    row.save()
    return row


def test_first_sync_brings_the_demo_erp_in_and_second_changes_nothing(
    connection: IxcConnection, branch: Branch, other_branch: Branch
) -> None:
    run = ixc_sync(connection=connection)

    assert (run.ok, run.errors) == (True, [])
    assert run.counts == {
        "customers": {"created": 12}, "contracts": {"created": 12}, "invoices": {"created": 35},
    }  # fmt: skip
    company = Customer.objects.get(external_source="ixc", external_id="104")
    assert (company.person_type, len(company.document), company.city) == (
        "J",
        14,
        "São Paulo",
    )
    assert Customer.objects.get(external_id="103").branch == other_branch  # filial 2, mapped
    assert Customer.objects.get(external_id="101").branch == branch
    assert Invoice.objects.get(external_id="9002").status == InvoiceStatus.PAID
    assert Invoice.objects.get(external_id="9005").status == InvoiceStatus.OPEN  # partial
    assert Invoice.objects.get(external_id="9008").status == InvoiceStatus.CANCELLED
    assert not Invoice.objects.filter(external_id="9011").exists()  # liberado = N
    assert (
        Contract.objects.get(external_id="502").monthly_amount
        == Invoice.objects.get(external_id="9004").amount
    )

    again = ixc_sync(connection=connection)

    assert again.since == "2026-11-01 08:00:00"
    # The rows at the watermark come again, unchanged; the two received in February do not.
    assert again.counts["invoices"] == {"unchanged": 33}


def test_paid_receivable_found_by_the_sync_requests_the_removal_once(
    connection: IxcConnection, branch: Branch, sandbox: RunningSandbox
) -> None:
    ixc_sync(connection=connection)
    enable_credit_analysis()
    connect_branch(branch, sandbox, PLATFORM)
    invoice = Invoice.objects.get(external_id="9001")
    letter_posted(invoice)  # the UF's notice rule met: the inclusion goes out at once
    negativation = negativation_include(invoice=invoice, user=None)
    today = timezone.localdate()
    IxcClient(connection.base_url, TOKEN).receive_payment("9001", f"{today:%d/%m/%Y}", "129.90")

    run = ixc_sync(connection=connection)

    # The rows at the watermark come again, unchanged (the two received in February, older, do
    # not); the one received now is updated.
    assert run.counts["invoices"] == {"updated": 1, "unchanged": 32}
    invoice.refresh_from_db()
    assert (invoice.status, invoice.paid_at, invoice.paid_via) == (
        InvoiceStatus.PAID,
        today,
        "Sincronização IXC (IXC Demo)",
    )
    negativation.refresh_from_db()
    assert negativation.status == S.REMOVED
    assert removal_calls(sandbox) == 1


def test_ixc_sandbox_quirks_reach_the_client_as_errors(sandbox: RunningSandbox) -> None:
    url = f"{sandbox.url}/ixc"
    with pytest.raises(AuthenticationFailed):
        IxcClient(url, "1:errado").list_page("cliente", filters=[], page=1, rows=10)
    with pytest.raises(IxcError, match=r"Campo fn_areceber\.nao_existe"):
        IxcClient(url, TOKEN).list_page(
            "fn_areceber", filters=[("nao_existe", "=", "1")], page=1, rows=10
        )
    auth = ("1", TOKEN.split(":")[1])
    no_header = requests.post(f"{url}/webservice/v1/cliente", json={}, auth=auth, timeout=5)
    html = requests.post(
        f"{url}/webservice/v1/cliente", data=b"{no", auth=auth, headers={"ixcsoft": "listar"},
        timeout=5,
    )  # fmt: skip
    table = requests.post(
        f"{url}/webservice/v1/nada", json={}, auth=auth, headers={"ixcsoft": "listar"}, timeout=5
    )
    assert (no_header.status_code, html.status_code, table.status_code) == (404, 200, 500)
    assert html.text.startswith("<div")


def test_ixc_listing_pages_and_filters_as_strings(sandbox: RunningSandbox) -> None:
    client = IxcClient(f"{sandbox.url}/ixc", TOKEN)

    total, first = client.list_page("fn_areceber", filters=[("status", "=", "R")], page=1, rows=10)
    everything = list(client.list_all("fn_areceber", filters=[], rows=7))

    assert total == 1 and first[0]["id"] == "9002" and first[0]["valor_recebido"] == "99.90"
    assert len(everything) == 36
    assert [r["id"] for r in everything] == sorted((r["id"] for r in everything), key=int)
    assert {type(v) for r in everything for v in r.values()} == {str}
