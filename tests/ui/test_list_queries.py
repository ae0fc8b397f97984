"""N+1 guards: every list screen runs the same number of queries for 1 row and for 3 rows."""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pytest_django import DjangoAssertNumQueries

from creditcheck.core.models import Branch
from tests.factories import (
    ContractFactory,
    CustomerFactory,
    InvoiceFactory,
    LeadFactory,
    ProspectFactory,
)

ROW_FACTORIES: dict[str, Callable[[Branch], object]] = {
    "/clientes/": lambda branch: CustomerFactory.create(branch=branch),
    "/contratos/": lambda branch: ContractFactory.create(customer__branch=branch),
    "/financeiro/faturas/": lambda branch: InvoiceFactory.create(contract__customer__branch=branch),
    "/crm/leads/": lambda branch: LeadFactory.create(branch=branch),
    "/crm/prospeccoes/": lambda branch: ProspectFactory.create(branch=branch),
}


@pytest.mark.parametrize("url", list(ROW_FACTORIES))
def test_list_queries_do_not_grow_with_rows(
    url: str,
    client: Client,
    administrator: User,
    branch: Branch,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    client.force_login(administrator)
    make_row = ROW_FACTORIES[url]
    make_row(branch)
    client.get(url)  # warm-up: the first request creates lazy singleton rows and fills caches
    with CaptureQueriesContext(connection) as one_row:
        assert client.get(url).status_code == 200

    make_row(branch)
    make_row(branch)
    with django_assert_num_queries(len(one_row.captured_queries)):
        assert client.get(url).status_code == 200


def test_customer_invoices_tab_queries_do_not_grow_with_rows(
    client_for: Callable[[User], Client],
    attendant: User,
    branch: Branch,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    contract = ContractFactory.create(customer__branch=branch)
    url = f"/clientes/{contract.customer_id}/faturas/"
    client = client_for(attendant)
    InvoiceFactory.create(contract=contract)
    client.get(url)  # warm-up, as above
    with CaptureQueriesContext(connection) as one_row:
        client.get(url)

    InvoiceFactory.create_batch(2, contract=contract)
    with django_assert_num_queries(len(one_row.captured_queries)):
        client.get(url)
