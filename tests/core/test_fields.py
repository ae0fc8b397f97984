import pytest
from django import forms

from creditcheck.core.fields import DocumentFormField, format_cep
from creditcheck.customers.models import Customer


class DocumentForm(forms.Form):
    document = DocumentFormField()


def test_document_form_field_cleans_masked_alphanumeric_cnpj() -> None:
    form = DocumentForm(data={"document": "12.abc.345/01de-35"})

    assert form.is_valid() is True
    assert form.cleaned_data == {"document": "12ABC34501DE35"}


def test_document_form_field_reports_portuguese_error_with_code() -> None:
    form = DocumentForm(data={"document": "529.982.247-24"})

    assert form.is_valid() is False
    assert form.errors == {"document": ["CPF inválido: os dígitos verificadores não conferem."]}
    assert form.errors.as_data()["document"][0].code == "invalid_document"


def test_document_model_field_builds_the_document_form_field() -> None:
    field = Customer._meta.get_field("document").formfield()

    assert isinstance(field, DocumentFormField)
    assert field.max_length == 18


@pytest.mark.parametrize(("value", "formatted"), [("01310100", "01310-100"), ("123", "123")])
def test_format_cep_masks_eight_digits(value: str, formatted: str) -> None:
    assert format_cep(value) == formatted
