"""One customer per CPF/CNPJ in a branch: the rule, its exceptions and the database's backup."""

import pytest
from django.db import IntegrityError, transaction

from creditcheck.core.models import Branch
from creditcheck.customers.services import DuplicateCustomer, customer_check_document
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

CPF = "52998224725"


def test_check_document_refuses_a_second_customer_in_the_branch(branch: Branch) -> None:
    existing = CustomerFactory.create(branch=branch, document=CPF, name="Maria Existente")

    with pytest.raises(DuplicateCustomer) as refused:
        customer_check_document(document=CPF, branch=branch)

    assert refused.value.existing == existing
    assert refused.value.message_dict == {
        "document": [
            "Já existe um cliente com este CPF/CNPJ nesta filial: Maria Existente "
            f"(cliente nº {existing.pk})."
        ]
    }
    assert refused.value.error_dict["document"][0].code == "duplicate_customer"


def test_check_document_allows_the_customer_itself_and_other_branches(
    branch: Branch, other_branch: Branch
) -> None:
    existing = CustomerFactory.create(branch=branch, document=CPF)

    customer_check_document(document=CPF, branch=branch, customer_id=existing.pk)
    customer_check_document(document=CPF, branch=other_branch)
    customer_check_document(document="", branch=branch)
    customer_check_document(document=CPF, branch=None)


def test_database_refuses_the_same_document_twice_in_a_branch(
    branch: Branch, other_branch: Branch
) -> None:
    CustomerFactory.create(branch=branch, document=CPF)
    CustomerFactory.create(branch=other_branch, document=CPF)

    with pytest.raises(IntegrityError), transaction.atomic():
        CustomerFactory.create(branch=branch, document=CPF)
