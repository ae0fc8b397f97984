from collections.abc import Callable

from django.contrib.auth.models import User
from django.test import Client

from creditcheck.core.enums import PersonType
from creditcheck.core.models import Branch
from creditcheck.crm.enums import LeadSource, ProspectStage
from creditcheck.crm.models import Lead, Prospect
from creditcheck.customers.models import Customer
from tests.factories import CustomerFactory, LeadFactory, ProspectFactory


def test_lead_list_searches_by_masked_document_within_user_branches(
    client_for: Callable[[User], Client], seller: User, branch: Branch, other_branch: Branch
) -> None:
    mine = LeadFactory.create(name="Ana Lead", document="52998224725", branch=branch)
    LeadFactory.create(name="Bruno Lead", branch=branch)
    LeadFactory.create(name="Outra Filial", document="52998224725", branch=other_branch)

    response = client_for(seller).get("/crm/leads/", {"q": "529.982.247-25"})

    content = response.content.decode()
    names = ["Ana Lead", "Bruno Lead", "Outra Filial"]
    assert [name for name in names if f">{name}</a>" in content] == [mine.name]


def test_lead_create_without_document_is_accepted(
    client_for: Callable[[User], Client], seller: User, branch: Branch
) -> None:
    response = client_for(seller).post(
        "/crm/leads/novo/",
        {
            "name": "Lead Sem Documento",
            "phone": "11 99999-0000",
            "source": LeadSource.PHONE,
            "branch": str(branch.pk),
        },
    )

    lead = Lead.objects.get(name="Lead Sem Documento")
    assert response["Location"] == f"/crm/leads/{lead.pk}/"
    assert (lead.document, lead.branch_id) == ("", branch.pk)


def test_lead_create_errors_are_in_portuguese_and_keep_input(
    client_for: Callable[[User], Client], seller: User, branch: Branch
) -> None:
    response = client_for(seller).post(
        "/crm/leads/novo/",
        {
            "name": "",
            "document": "111.111.111-11",
            "email": "sem-arroba",
            "source": LeadSource.PHONE,
            "branch": str(branch.pk),
            "phone": "11 3333-4444",
        },
    )

    assert response.context["form"].errors == {
        "name": ["Este campo é obrigatório."],
        "document": ["CPF inválido: todos os dígitos são iguais."],
        "email": ["Insira um endereço de email válido."],
    }
    content = response.content.decode()
    assert 'name="phone" value="11 3333-4444"' in content
    assert 'name="document" value="111.111.111-11"' in content
    assert Lead.objects.count() == 0


def test_lead_of_other_branch_is_404(
    client_for: Callable[[User], Client], seller: User, other_branch: Branch
) -> None:
    lead = LeadFactory.create(branch=other_branch)

    assert client_for(seller).get(f"/crm/leads/{lead.pk}/").status_code == 404


def test_lead_convert_opens_prospect_with_lead_data(
    client_for: Callable[[User], Client], seller: User, branch: Branch
) -> None:
    lead = LeadFactory.create(name="Ana Lead", document="52998224725", branch=branch)

    response = client_for(seller).post(f"/crm/leads/{lead.pk}/criar-prospeccao/")

    prospect = Prospect.objects.get(lead=lead)
    assert response["Location"] == f"/crm/prospeccoes/{prospect.pk}/"
    assert (prospect.name, prospect.document, prospect.branch_id, prospect.stage) == (
        "Ana Lead",
        "52998224725",
        branch.pk,
        ProspectStage.NEW,
    )


def test_lead_convert_twice_keeps_one_prospect(
    client_for: Callable[[User], Client], seller: User, branch: Branch
) -> None:
    lead = LeadFactory.create(branch=branch)
    client = client_for(seller)
    client.post(f"/crm/leads/{lead.pk}/criar-prospeccao/")

    response = client.post(f"/crm/leads/{lead.pk}/criar-prospeccao/", follow=True)

    assert Prospect.objects.filter(lead=lead).count() == 1
    assert "Este lead já tem uma prospecção." in response.content.decode()


def test_prospect_convert_confirmation_page_does_not_convert(
    client_for: Callable[[User], Client], seller: User, branch: Branch
) -> None:
    prospect = ProspectFactory.create(branch=branch, document="52998224725")

    response = client_for(seller).get(f"/crm/prospeccoes/{prospect.pk}/converter/")

    assert response.status_code == 200
    assert "Confirmar conversão" in response.content.decode()
    assert Customer.objects.count() == 0


def test_prospect_convert_creates_customer_from_prospect(
    client_for: Callable[[User], Client], seller: User, branch: Branch
) -> None:
    prospect = ProspectFactory.create(
        name="Empresa Prospect Ltda", document="11.222.333/0001-81", branch=branch
    )

    response = client_for(seller).post(f"/crm/prospeccoes/{prospect.pk}/converter/")

    customer = Customer.objects.get()
    assert response["Location"] == f"/clientes/{customer.pk}/"
    assert (customer.name, customer.document, customer.person_type, customer.branch_id) == (
        "Empresa Prospect Ltda",
        "11222333000181",
        PersonType.COMPANY,
        branch.pk,
    )
    assert (customer.cep, customer.street, customer.city) == (
        prospect.cep,
        prospect.street,
        prospect.city,
    )
    prospect.refresh_from_db()
    assert (prospect.converted_customer_id, prospect.stage) == (customer.pk, ProspectStage.WON)


def test_prospect_convert_with_incomplete_data_lists_errors(
    client_for: Callable[[User], Client], seller: User, branch: Branch
) -> None:
    prospect = ProspectFactory.create(branch=branch, document="", cep="", city="")

    response = client_for(seller).post(f"/crm/prospeccoes/{prospect.pk}/converter/")

    assert response.status_code == 200
    assert sorted(response.context["errors"]) == [
        ("CEP", "Este campo não pode estar vazio."),
        ("CPF/CNPJ", "Este campo não pode estar vazio."),
        ("Cidade", "Este campo não pode estar vazio."),
    ]
    content = response.content.decode()
    assert "<li><strong>CEP:</strong> Este campo não pode estar vazio.</li>" in content
    assert Customer.objects.count() == 0
    prospect.refresh_from_db()
    assert (prospect.converted_customer_id, prospect.stage) == (None, ProspectStage.NEW)


def test_prospect_convert_refuses_duplicate_document_in_branch(
    client_for: Callable[[User], Client], seller: User, branch: Branch
) -> None:
    existing = CustomerFactory.create(
        name="Cliente Existente", document="52998224725", branch=branch
    )
    prospect = ProspectFactory.create(branch=branch, document="529.982.247-25")

    response = client_for(seller).post(f"/crm/prospeccoes/{prospect.pk}/converter/")

    assert response.context["errors"] == [
        (
            "CPF/CNPJ",
            "Já existe um cliente com este CPF/CNPJ nesta filial: Cliente Existente "
            f"(cliente nº {existing.pk}).",
        )
    ]
    assert Customer.objects.count() == 1


def test_prospect_convert_requires_permission(
    client_for: Callable[[User], Client], attendant: User, branch: Branch
) -> None:
    prospect = ProspectFactory.create(branch=branch)

    response = client_for(attendant).post(f"/crm/prospeccoes/{prospect.pk}/converter/")

    assert response.status_code == 403
    assert Customer.objects.count() == 0


def test_prospect_of_other_branch_is_404(
    client_for: Callable[[User], Client], seller: User, other_branch: Branch
) -> None:
    prospect = ProspectFactory.create(branch=other_branch)
    client = client_for(seller)

    assert client.get(f"/crm/prospeccoes/{prospect.pk}/").status_code == 404
    assert client.post(f"/crm/prospeccoes/{prospect.pk}/converter/").status_code == 404
    assert Customer.objects.count() == 0


def test_prospect_edit_saves_and_shows_cep_masked(
    client_for: Callable[[User], Client], seller: User, branch: Branch
) -> None:
    prospect = ProspectFactory.create(branch=branch)
    data = {
        "name": prospect.name,
        "document": "",
        "phone": "",
        "email": "",
        "source": prospect.source,
        "branch": str(branch.pk),
        "stage": ProspectStage.NEGOTIATING,
        "desired_plan": "Fibra 1 Giga",
        "cep": "20040-020",
        "street": "Rua da Assembleia",
        "number": "10",
        "complement": "",
        "district": "Centro",
        "city": "Rio de Janeiro",
        "state": "RJ",
    }
    client = client_for(seller)

    client.post(f"/crm/prospeccoes/{prospect.pk}/", data)
    page = client.get(f"/crm/prospeccoes/{prospect.pk}/")

    prospect.refresh_from_db()
    assert (prospect.cep, prospect.stage, prospect.desired_plan) == (
        "20040020",
        ProspectStage.NEGOTIATING,
        "Fibra 1 Giga",
    )
    assert 'name="cep" value="20040-020"' in page.content.decode()
