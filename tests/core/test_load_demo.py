import datetime
import io
import os
import subprocess

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from creditcheck.analysis.identity import names_agree
from creditcheck.contracts.enums import InvoiceStatus
from creditcheck.contracts.models import Contract, Invoice
from creditcheck.core import documents
from creditcheck.core.models import Branch
from creditcheck.core.selectors import branches_for
from creditcheck.crm.models import Lead, Prospect
from creditcheck.customers.models import Customer
from creditcheck.demo import DEMO_DOCUMENTS, demo_load
from providers.sandbox.scenarios import IDENTITY_RECORDS, subject_for
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.django_db

MODELS = (Branch, User, Customer, Contract, Invoice, Lead, Prospect)


def snapshot() -> dict[str, list[tuple[object, ...]]]:
    return {
        model.__name__: list(model.objects.order_by("pk").values_list())  # type: ignore[attr-defined]
        for model in MODELS
    }


def test_load_demo_prints_every_demo_users_credentials() -> None:
    out = io.StringIO()

    call_command("load_demo", stdout=out)

    text = out.getvalue()
    for username in ("atendente", "vendedor", "financeiro", "admin"):
        assert f"  {username} " in text
    assert text.count("senha: demo1234") == 4


def test_load_demo_twice_changes_nothing() -> None:
    call_command("load_demo", stdout=io.StringIO())
    first = snapshot()

    call_command("load_demo", stdout=io.StringIO())

    assert snapshot() == first


def test_load_demo_creates_branches_in_three_states_with_sao_paulo() -> None:
    demo_load()

    assert sorted(Branch.objects.values_list("state", flat=True)) == ["MG", "PR", "SP"]


def test_load_demo_customers_have_valid_documents_and_complete_addresses() -> None:
    demo_load()

    customers = list(Customer.objects.all())
    assert len(customers) == 49
    assert {c.person_type for c in customers} == {"F", "J"}
    assert all(documents.is_valid(c.document) for c in customers)
    assert "12ABC34501DE35" in {c.document for c in customers}
    for customer in customers:
        customer.full_clean()
        assert customer.cep and customer.street and customer.number and customer.district
        assert customer.city and customer.state


def test_load_demo_documents_are_valid_and_unique() -> None:
    assert len(DEMO_DOCUMENTS) == len(set(DEMO_DOCUMENTS))
    assert all(documents.is_valid(document) for document in DEMO_DOCUMENTS)


def test_load_demo_has_paid_open_and_overdue_invoices_relative_to_today() -> None:
    today = datetime.date(2026, 8, 3)

    demo_load(today=today)

    open_invoices = Invoice.objects.filter(status=InvoiceStatus.OPEN)
    overdue = {invoice.days_overdue(today) for invoice in open_invoices}
    assert {0, 5, 35, 400} <= overdue
    assert Invoice.objects.filter(status=InvoiceStatus.PAID).count() == 147
    assert Contract.objects.count() == 49
    assert Lead.objects.count() == 12
    assert Prospect.objects.count() == 9


def test_load_demo_users_log_in_and_see_their_branches() -> None:
    demo_load()
    everything = {"Filial São Paulo", "Filial Belo Horizonte", "Filial Curitiba"}
    expected = {
        "atendente": {"Filial São Paulo"},
        "vendedor": {"Filial São Paulo", "Filial Belo Horizonte"},
        "financeiro": {"Filial Belo Horizonte", "Filial Curitiba"},
        "admin": everything,
    }

    for username, branch_names in expected.items():
        user = User.objects.get(username=username)
        assert user.check_password("demo1234") is True
        assert {branch.name for branch in branches_for(user)} == branch_names


def test_demo_users_own_branch_is_their_first_one() -> None:
    from creditcheck.core.selectors import home_branch_id

    demo_load()

    names: dict[int | None, str] = dict(Branch.objects.values_list("pk", "name"))
    own = {
        user.username: names.get(home_branch_id(user))
        for user in User.objects.filter(
            username__in=["atendente", "vendedor", "financeiro", "admin"]
        )
    }
    # Not the first by name (Filial Belo Horizonte) but the first of each user's list
    assert own == {
        "atendente": "Filial São Paulo",
        "vendedor": "Filial São Paulo",
        "financeiro": "Filial Belo Horizonte",
        "admin": "Filial São Paulo",
    }


def test_load_demo_banner_names_the_address_it_is_given() -> None:
    out = io.StringIO()

    call_command("load_demo", url="http://127.0.0.1:8123/", stdout=out)

    assert "Usuários de demonstração (http://127.0.0.1:8123/entrar/):" in out.getvalue()
    assert "8000" not in out.getvalue()


@pytest.mark.parametrize(
    ("env", "args", "url"),
    [
        ({}, [], "http://127.0.0.1:8000"),
        ({"PORT": "8123"}, [], "http://127.0.0.1:8123"),
        ({}, ["HOST=0.0.0.0", "PORT=9001"], "http://0.0.0.0:9001"),
    ],
)
def test_make_run_passes_its_server_address_to_the_banner(
    env: dict[str, str], args: list[str], url: str
) -> None:
    # `make -n` prints the recipe lines without running them.
    environment = {k: v for k, v in os.environ.items() if k not in ("HOST", "PORT")}
    printed = subprocess.run(
        ["make", "-n", "run", *args],
        cwd=REPO_ROOT,
        env={**environment, **env},
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    assert f"manage.py load_demo --url {url}\n" in printed
    host, port = url.removeprefix("http://").split(":")
    assert f"creditcheck.asgi:application --host {host} --port {port} " in printed


def test_demo_customers_carry_the_identity_the_sandbox_answers() -> None:
    # A demo query shows an identity divergence only for the scenario made to show one.
    demo_load()

    customers = Customer.objects.exclude(document__in=IDENTITY_RECORDS)
    assert customers.count() > 0
    for customer in customers:
        bureau = subject_for(customer.document)
        company = customer.person_type == "J"
        assert names_agree(customer.name, bureau.name, company=company), customer.document
        if not company:
            assert customer.birth_date == bureau.birth_date, customer.document
            assert names_agree(customer.mother_name, bureau.mother_name), customer.document
    assert Customer.objects.filter(document__in=IDENTITY_RECORDS).count() == 2
