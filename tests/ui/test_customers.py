import datetime
from collections.abc import Callable
from decimal import Decimal

import lxml.html
import pytest
from django.contrib.auth.models import User
from django.test import Client

from creditcheck.contracts.enums import InvoiceStatus
from creditcheck.core.enums import PersonType, Role, State
from creditcheck.core.models import Branch
from creditcheck.customers.models import Customer
from tests.factories import ContractFactory, CustomerFactory, InvoiceFactory


def _form_data(customer: Customer, **changes: str) -> dict[str, str]:
    """The "Dados" form as the browser posts it for `customer`, with `changes` applied."""
    data = {
        "person_type": customer.person_type,
        "name": customer.name,
        "document": customer.document_formatted,
        "birth_date": customer.birth_date.strftime("%d/%m/%Y") if customer.birth_date else "",
        "mother_name": customer.mother_name,
        "cep": customer.cep,
        "street": customer.street,
        "number": customer.number,
        "complement": customer.complement,
        "district": customer.district,
        "city": customer.city,
        "state": customer.state,
        "phone": customer.phone,
        "email": customer.email,
        "branch": str(customer.branch_id),
        "status": customer.status,
    }
    data.update(changes)
    return data


def _listed_names(content: str, customers: list[Customer]) -> list[str]:
    return [c.name for c in customers if f">{c.name}</a>" in content]


@pytest.mark.parametrize("typed", ["529.982.247-25", "52998224725", "529.982", " 529982247-25 "])
def test_customer_list_search_by_document_masked_or_bare(
    client_for: Callable[[User], Client], attendant: User, customer: Customer, typed: str
) -> None:
    unrelated = CustomerFactory.create(
        name="Carlos Souza", document="16899535009", branch=customer.branch
    )

    response = client_for(attendant).get("/clientes/", {"q": typed})

    assert response.status_code == 200
    assert _listed_names(response.content.decode(), [customer, unrelated]) == [customer.name]


def test_customer_list_search_by_alphanumeric_cnpj_masked(
    client_for: Callable[[User], Client], attendant: User, branch: Branch, customer: Customer
) -> None:
    company = CustomerFactory.create(alphanumeric=True, document="12ABC34501DE35", branch=branch)

    response = client_for(attendant).get("/clientes/", {"q": "12.abc.345/01de-35"})

    content = response.content.decode()
    assert _listed_names(content, [customer, company]) == [company.name]
    assert "12.ABC.345/01DE-35" in content


def test_customer_list_search_by_name_ignores_case(
    client_for: Callable[[User], Client], attendant: User, customer: Customer
) -> None:
    other = CustomerFactory.create(name="Carlos Souza", branch=customer.branch)

    response = client_for(attendant).get("/clientes/", {"q": "graças"})

    assert _listed_names(response.content.decode(), [customer, other]) == [customer.name]


def test_customer_list_shows_document_masked(
    client_for: Callable[[User], Client], attendant: User, customer: Customer
) -> None:
    response = client_for(attendant).get("/clientes/")

    content = response.content.decode()
    assert '<td class="font-monospace-doc">529.982.247-25</td>' in content
    assert "52998224725" not in content


def test_customer_list_hides_other_branches(
    client_for: Callable[[User], Client],
    attendant: User,
    customer: Customer,
    other_customer: Customer,
) -> None:
    response = client_for(attendant).get("/clientes/", {"q": other_customer.document})

    assert _listed_names(response.content.decode(), [customer, other_customer]) == []


def test_customer_list_filter_by_branch_rejects_other_branch(
    client_for: Callable[[User], Client],
    attendant: User,
    customer: Customer,
    other_customer: Customer,
) -> None:
    response = client_for(attendant).get("/clientes/", {"branch": other_customer.branch_id})

    content = response.content.decode()
    assert "Faça uma escolha válida." in content
    assert _listed_names(content, [customer, other_customer]) == [customer.name]


def test_customer_list_administrator_filters_by_branch(
    client_for: Callable[[User], Client],
    administrator: User,
    customer: Customer,
    other_customer: Customer,
) -> None:
    response = client_for(administrator).get("/clientes/", {"branch": other_customer.branch_id})

    assert _listed_names(response.content.decode(), [customer, other_customer]) == [
        other_customer.name
    ]


def test_customer_list_paginates_by_25(
    client_for: Callable[[User], Client], attendant: User, branch: Branch
) -> None:
    CustomerFactory.create_batch(26, branch=branch)
    client = client_for(attendant)

    first = client.get("/clientes/")
    second = client.get("/clientes/", {"page": 2})

    assert len(first.context["page_obj"].object_list) == 25
    assert len(second.context["page_obj"].object_list) == 1
    assert "Página 1 de 2 · 26 registros" in first.content.decode()


def test_customer_edit_of_other_branch_is_404(
    client_for: Callable[[User], Client], attendant: User, other_customer: Customer
) -> None:
    client = client_for(attendant)

    assert client.get(f"/clientes/{other_customer.pk}/").status_code == 404
    assert client.get(f"/clientes/{other_customer.pk}/contratos/").status_code == 404
    assert client.get(f"/clientes/{other_customer.pk}/faturas/").status_code == 404
    posted = client.post(f"/clientes/{other_customer.pk}/", _form_data(other_customer))
    assert posted.status_code == 404


def test_customer_edit_shows_stored_values_masked(
    client_for: Callable[[User], Client], attendant: User, customer: Customer
) -> None:
    response = client_for(attendant).get(f"/clientes/{customer.pk}/")

    content = response.content.decode()
    assert 'name="document" value="529.982.247-25"' in content
    assert 'name="cep" value="01310-100"' in content
    assert 'name="birth_date" value="12/04/1985"' in content


def test_customer_edit_saves_address(
    client_for: Callable[[User], Client], attendant: User, customer: Customer
) -> None:
    response = client_for(attendant).post(
        f"/clientes/{customer.pk}/",
        _form_data(
            customer,
            cep="30130-010",
            street="Avenida Afonso Pena",
            city="Belo Horizonte",
            state=State.MG,
            number="1500",
        ),
        follow=True,
    )

    customer.refresh_from_db()
    assert (customer.cep, customer.street, customer.number, customer.city, customer.state) == (
        "30130010",
        "Avenida Afonso Pena",
        "1500",
        "Belo Horizonte",
        "MG",
    )
    assert "Dados do cliente salvos." in response.content.decode()


def test_customer_edit_errors_are_in_portuguese_and_keep_input(
    client_for: Callable[[User], Client], attendant: User, customer: Customer
) -> None:
    response = client_for(attendant).post(
        f"/clientes/{customer.pk}/",
        _form_data(customer, cep="1234", city="", street="Rua Nova", birth_date="31/02/1990"),
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {
        "cep": ["CEP inválido: informe 8 dígitos."],
        "city": ["Este campo é obrigatório."],
        "birth_date": ["Informe uma data válida."],
    }
    content = response.content.decode()
    assert 'data-field-error="cep">CEP inválido: informe 8 dígitos.</div>' in content
    assert 'data-field-error="city">Este campo é obrigatório.</div>' in content
    assert 'name="street" value="Rua Nova"' in content
    assert 'name="cep" value="1234"' in content
    customer.refresh_from_db()
    assert (customer.street, customer.cep) == ("Avenida Paulista", "01310100")


def test_customer_edit_rejects_invalid_cpf(
    client_for: Callable[[User], Client], attendant: User, customer: Customer
) -> None:
    response = client_for(attendant).post(
        f"/clientes/{customer.pk}/", _form_data(customer, document="529.982.247-26")
    )

    assert response.context["form"].errors == {
        "document": ["CPF inválido: os dígitos verificadores não conferem."]
    }
    assert 'name="document" value="529.982.247-26"' in response.content.decode()


def test_customer_edit_rejects_cnpj_for_individual(
    client_for: Callable[[User], Client], attendant: User, customer: Customer
) -> None:
    response = client_for(attendant).post(
        f"/clientes/{customer.pk}/",
        _form_data(customer, person_type=PersonType.INDIVIDUAL, document="11.222.333/0001-81"),
    )

    assert response.context["form"].errors == {
        "document": ["Pessoa física deve ter um CPF (11 dígitos), não um CNPJ."]
    }


def test_customer_edit_cannot_move_customer_to_other_branch(
    client_for: Callable[[User], Client],
    attendant: User,
    customer: Customer,
    other_branch: Branch,
) -> None:
    response = client_for(attendant).post(
        f"/clientes/{customer.pk}/", _form_data(customer, branch=str(other_branch.pk))
    )

    assert response.context["form"].errors == {
        "branch": ["Faça uma escolha válida. Sua escolha não é uma das disponíveis."]
    }


def test_customer_edit_is_read_only_without_change_permission(
    client_for: Callable[[User], Client], seller: User, customer: Customer
) -> None:
    client = client_for(seller)

    page = client.get(f"/clientes/{customer.pk}/")
    posted = client.post(f"/clientes/{customer.pk}/", _form_data(customer, city="Campinas"))

    assert '<fieldset class="card-body" disabled>' in page.content.decode()
    assert posted.status_code == 403
    customer.refresh_from_db()
    assert customer.city == "São Paulo"


def test_customer_create_with_masked_cnpj_stores_it_normalized(
    client_for: Callable[[User], Client], attendant: User, branch: Branch
) -> None:
    data = {
        "person_type": PersonType.COMPANY,
        "name": "Provedor Exemplo Ltda",
        "document": "12.abc.345/01de-35",
        "birth_date": "01/08/2026",
        "cep": "01310100",
        "street": "Avenida Paulista",
        "number": "1000",
        "district": "Bela Vista",
        "city": "São Paulo",
        "state": State.SP,
        "branch": str(branch.pk),
        "status": "active",
    }

    response = client_for(attendant).post("/clientes/novo/", data)

    created = Customer.objects.get(name="Provedor Exemplo Ltda")
    assert response.status_code == 302
    assert response["Location"] == f"/clientes/{created.pk}/"
    assert (created.document, created.birth_date) == ("12ABC34501DE35", datetime.date(2026, 8, 1))


def test_customer_invoices_tab_formats_money_dates_and_status(
    client_for: Callable[[User], Client], attendant: User, customer: Customer
) -> None:
    contract = ContractFactory.create(customer=customer, monthly_amount=Decimal("1234.56"))
    InvoiceFactory.create(contract=contract, number="FAT-1", due_date=datetime.date(2025, 3, 10))
    InvoiceFactory.create(
        contract=contract,
        number="FAT-2",
        due_date=datetime.date(2025, 2, 10),
        status=InvoiceStatus.PAID,
        paid_at=datetime.date(2025, 2, 9),
        paid_amount=Decimal("1234.56"),
    )

    response = client_for(attendant).get(f"/clientes/{customer.pk}/faturas/")

    content = response.content.decode()
    assert '<td class="text-end">R$ 1.234,56</td>' in content
    assert "<td>10/03/2025</td>" in content
    assert "<td>09/02/2025</td>" in content
    assert 'data-status="overdue">Vencida há' in content
    assert 'data-status="paid">Paga</span>' in content


def test_customer_contracts_tab_lists_contracts(
    client_for: Callable[[User], Client], attendant: User, customer: Customer
) -> None:
    ContractFactory.create(
        customer=customer, plan="Fibra 600 Mega", monthly_amount=Decimal("149.9")
    )

    response = client_for(attendant).get(f"/clientes/{customer.pk}/contratos/")

    content = response.content.decode()
    assert ">Fibra 600 Mega</a>" in content
    assert '<td class="text-end">R$ 149,90</td>' in content


def test_customer_create_refuses_a_document_of_the_branch_linking_to_its_customer(
    client_for: Callable[[User], Client], attendant: User, customer: Customer
) -> None:
    data = _form_data(customer, name="Outra Pessoa")

    response = client_for(attendant).post("/clientes/novo/", data)

    assert response.status_code == 200
    page = lxml.html.fromstring(response.content)
    errors = page.xpath('//*[@data-field-error="document"]')
    assert isinstance(errors, list) and len(errors) == 1
    error = errors[0]
    assert isinstance(error, lxml.html.HtmlElement)
    assert " ".join(error.text_content().split()) == (
        f"Já existe um cliente com este CPF/CNPJ nesta filial: {customer.name} "
        f"(cliente nº {customer.pk}). Abrir o cadastro"
    )
    assert error.xpath(".//a/@href") == [f"/clientes/{customer.pk}/"]
    assert Customer.objects.count() == 1


def test_customer_create_in_another_branch_is_saved_with_a_notice(
    client_for: Callable[[User], Client],
    make_user: Callable[..., User],
    customer: Customer,
    other_branch: Branch,
) -> None:
    user = make_user(Role.ATTENDANT, [other_branch], username="outra")
    data = _form_data(customer, branch=str(other_branch.pk))

    response = client_for(user).post("/clientes/novo/", data, follow=True)

    assert Customer.objects.filter(document=customer.document).count() == 2
    notices = [str(m) for m in response.context["messages"]]
    assert notices == [
        f"Cliente {customer.name} cadastrado.",
        "Este CPF/CNPJ também é cliente em outra filial.",
    ]


def test_customer_edit_keeping_its_document_saves(
    client_for: Callable[[User], Client], attendant: User, customer: Customer
) -> None:
    response = client_for(attendant).post(
        f"/clientes/{customer.pk}/", _form_data(customer, city="Campinas"), follow=True
    )

    assert [str(m) for m in response.context["messages"]] == ["Dados do cliente salvos."]
    customer.refresh_from_db()
    assert customer.city == "Campinas"
