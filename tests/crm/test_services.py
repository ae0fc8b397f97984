import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError

from creditcheck.core.enums import PersonType
from creditcheck.core.models import Branch
from creditcheck.crm.services import lead_convert_to_prospect, prospect_convert_to_customer
from creditcheck.customers.models import Customer
from tests.factories import LeadFactory, ProspectFactory


def test_prospect_convert_to_customer_infers_individual_from_cpf(
    seller: User, branch: Branch
) -> None:
    prospect = ProspectFactory.create(branch=branch, document="52998224725")

    customer = prospect_convert_to_customer(prospect=prospect, user=seller)

    assert (customer.person_type, customer.document) == (PersonType.INDIVIDUAL, "52998224725")


def test_prospect_convert_to_customer_twice_is_refused(seller: User, branch: Branch) -> None:
    prospect = ProspectFactory.create(branch=branch)
    prospect_convert_to_customer(prospect=prospect, user=seller)

    with pytest.raises(ValidationError) as raised:
        prospect_convert_to_customer(prospect=prospect, user=seller)

    assert raised.value.messages == ["Esta prospecção já foi convertida em cliente."]
    assert Customer.objects.count() == 1


def test_prospect_convert_to_customer_with_invalid_document_reports_document_only(
    seller: User, branch: Branch
) -> None:
    prospect = ProspectFactory.create(branch=branch, document="52998224726")

    with pytest.raises(ValidationError) as raised:
        prospect_convert_to_customer(prospect=prospect, user=seller)

    assert raised.value.message_dict == {
        "document": ["CPF inválido: os dígitos verificadores não conferem."]
    }


def test_prospect_convert_to_customer_outside_user_branches_is_denied(
    seller: User, other_branch: Branch
) -> None:
    prospect = ProspectFactory.create(branch=other_branch)

    with pytest.raises(PermissionDenied):
        prospect_convert_to_customer(prospect=prospect, user=seller)

    assert Customer.objects.count() == 0


def test_lead_convert_to_prospect_outside_user_branches_is_denied(
    seller: User, other_branch: Branch
) -> None:
    lead = LeadFactory.create(branch=other_branch)

    with pytest.raises(PermissionDenied):
        lead_convert_to_prospect(lead=lead, user=seller)

    assert lead.prospects.count() == 0
