import pytest
from django.core.exceptions import ValidationError

from creditcheck.core.enums import PersonType
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_customer_clean_rejects_cnpj_for_individual() -> None:
    customer = CustomerFactory.build(person_type=PersonType.INDIVIDUAL, document="11222333000181")

    with pytest.raises(ValidationError) as excinfo:
        customer.full_clean(exclude=["branch"])

    assert excinfo.value.message_dict == {
        "document": ["Pessoa física deve ter um CPF (11 dígitos), não um CNPJ."]
    }


def test_customer_clean_rejects_cpf_for_company() -> None:
    customer = CustomerFactory.build(person_type=PersonType.COMPANY, document="52998224725")

    with pytest.raises(ValidationError) as excinfo:
        customer.full_clean(exclude=["branch"])

    assert excinfo.value.message_dict == {
        "document": ["Pessoa jurídica deve ter um CNPJ (14 caracteres), não um CPF."]
    }


def test_customer_clean_reports_invalid_document_once() -> None:
    customer = CustomerFactory.build(person_type=PersonType.COMPANY, document="52998224724")

    with pytest.raises(ValidationError) as excinfo:
        customer.full_clean(exclude=["branch"])

    assert excinfo.value.message_dict == {
        "document": ["CPF inválido: os dígitos verificadores não conferem."]
    }


def test_customer_full_clean_accepts_alphanumeric_cnpj_for_company_and_normalizes() -> None:
    customer = CustomerFactory.build(
        person_type=PersonType.COMPANY, document="12.abc.345/01de-35", cep="01310-100"
    )

    customer.full_clean(exclude=["branch"])

    assert customer.document == "12ABC34501DE35"
    assert customer.document_formatted == "12.ABC.345/01DE-35"
    assert customer.cep == "01310100"


def test_customer_full_clean_rejects_short_cep() -> None:
    customer = CustomerFactory.build(cep="0131-010")

    with pytest.raises(ValidationError) as excinfo:
        customer.full_clean(exclude=["branch"])

    assert excinfo.value.message_dict == {"cep": ["CEP inválido: informe 8 dígitos."]}
