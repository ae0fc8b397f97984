"""Model and form fields for values stored normalized and typed masked (CPF/CNPJ, CEP)."""

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from creditcheck.core import documents

CEP_ERROR_CODE = "invalid_cep"
_CEP_RE = re.compile(r"^\d{8}$")


def validate_document(value: str) -> None:
    """Django validator around documents.validate (stable code "invalid_document")."""
    try:
        documents.validate(value)
    except documents.InvalidDocumentError as exc:
        raise ValidationError(exc.message, code=documents.ERROR_CODE) from exc


def normalize_cep(value: str) -> str:
    return re.sub(r"[.\-\s]", "", value or "")


def validate_cep(value: str) -> None:
    if not _CEP_RE.match(normalize_cep(value)):
        raise ValidationError(_("CEP inválido: informe 8 dígitos."), code=CEP_ERROR_CODE)


def format_cep(value: str) -> str:
    cep = normalize_cep(value)
    return f"{cep[:5]}-{cep[5:]}" if _CEP_RE.match(cep) else value


class DocumentFormField(forms.CharField):
    """Accepts a masked or bare CPF/CNPJ and cleans it to the normalized form."""

    default_validators = [validate_document]

    def __init__(self, **kwargs: Any) -> None:
        # Room for the longest mask: 12.ABC.345/01DE-35 has 18 characters.
        kwargs["max_length"] = 18
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        return documents.normalize(super().to_python(value) or "")


class DocumentField(models.CharField):
    """CPF or CNPJ stored normalized (11 or 14 characters, never an integer)."""

    default_validators = [validate_document]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 14)
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        return documents.normalize(value) if isinstance(value, str) else value

    def formfield(self, **kwargs: Any) -> Any:
        return super().formfield(**{"form_class": DocumentFormField, **kwargs})


class CepFormField(forms.CharField):
    default_validators = [validate_cep]

    def __init__(self, **kwargs: Any) -> None:
        kwargs["max_length"] = 9  # 01310-100
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        return normalize_cep(super().to_python(value) or "")


class CepField(models.CharField):
    """CEP stored as 8 digits, typed with or without the hyphen."""

    default_validators = [validate_cep]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 8)
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        return normalize_cep(value) if isinstance(value, str) else value

    def formfield(self, **kwargs: Any) -> Any:
        return super().formfield(**{"form_class": CepFormField, **kwargs})
