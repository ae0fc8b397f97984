"""CPF and CNPJ: the one module that normalizes, validates and formats Brazilian documents.

Documents are stored normalized (11 digits for CPF; 14 characters for CNPJ, which since
IN RFB 2.229/2024 may hold letters in its first 12 positions) and shown masked.
"""

import re
from typing import Literal

from django.utils.translation import gettext as _
from stdnum.br import cnpj as stdnum_cnpj
from stdnum.br import cpf as stdnum_cpf
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.util import clean as stdnum_clean

DocumentKind = Literal["cpf", "cnpj"]
PersonTypeCode = Literal["F", "J"]

ERROR_CODE = "invalid_document"

# Mask characters, whitespace and other control characters: a NUL typed into a form would
# otherwise reach a document column, which PostgreSQL refuses (a 500 instead of an error).
_MASK_CHARS = re.compile(r"[.\-/\s\x00-\x1f\x7f]")
# ASCII digits only: \d would take Arabic-Indic or fullwidth digits for a CPF's.
_CPF_RE = re.compile(r"[0-9]{11}")
# Alphanumeric CNPJ: 12 characters (digits or uppercase letters) plus 2 numeric check digits.
_CNPJ_RE = re.compile(r"[0-9A-Z]{12}[0-9]{2}")


class InvalidDocumentError(ValueError):
    """The value is not a valid CPF or CNPJ; `message` is user-facing (pt-BR)."""

    code = ERROR_CODE

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def normalize(value: str) -> str:
    """Strip mask characters (. / - whitespace, control characters) and uppercase; no
    validation.

    Dashes, dots and slashes pasted from other software (en dash, non-breaking hyphen, middle
    dot, fullwidth solidus...) count as the mask characters they look like, as python-stdnum
    reads them.
    """
    return _MASK_CHARS.sub("", stdnum_clean(value or "")).upper()


def kind(document: str) -> DocumentKind | None:
    """Say whether a normalized value has the shape of a CPF or a CNPJ (check digits unchecked)."""
    if _CPF_RE.fullmatch(document):
        return "cpf"
    if _CNPJ_RE.fullmatch(document):
        return "cnpj"
    return None


def validate(value: str) -> str:
    """Return the normalized document or raise InvalidDocumentError with a Portuguese message."""
    document = normalize(value)
    if not document:
        raise InvalidDocumentError(_("Informe o CPF ou o CNPJ."))
    document_kind = kind(document)
    if document_kind is None:
        raise InvalidDocumentError(
            _("CPF/CNPJ inválido: informe um CPF com 11 dígitos ou um CNPJ com 14 caracteres.")
        )
    label = "CPF" if document_kind == "cpf" else "CNPJ"
    # Repeated-digit numbers pass some check-digit algorithms but are never issued.
    if len(set(document)) == 1:
        raise InvalidDocumentError(
            _("%(label)s inválido: todos os dígitos são iguais.") % {"label": label}
        )
    module = stdnum_cpf if document_kind == "cpf" else stdnum_cnpj
    try:
        module.validate(document)
    except StdnumValidationError as exc:
        raise InvalidDocumentError(
            _("%(label)s inválido: os dígitos verificadores não conferem.") % {"label": label}
        ) from exc
    return document


def is_valid(value: str) -> bool:
    try:
        validate(value)
    except InvalidDocumentError:
        return False
    return True


def format(document: str) -> str:
    """Mask a document for display (529.982.247-25, 12.ABC.345/01DE-35); other values as given."""
    normalized = normalize(document)
    document_kind = kind(normalized)
    if document_kind == "cpf":
        return f"{normalized[:3]}.{normalized[3:6]}.{normalized[6:9]}-{normalized[9:]}"
    if document_kind == "cnpj":
        return (
            f"{normalized[:2]}.{normalized[2:5]}.{normalized[5:8]}/"
            f"{normalized[8:12]}-{normalized[12:]}"
        )
    return document


def with_check_digits(base: str) -> str:
    """Complete a CPF base (9 digits) or CNPJ base (12 characters) with its check digits.

    Used to generate valid documents for demo data and tests; the result is not validated
    against repeated digits.
    """
    base = normalize(base)
    if re.fullmatch(r"\d{9}", base):
        first = sum((10 - i) * int(c) for i, c in enumerate(base)) * 10 % 11 % 10
        second = sum((11 - i) * int(c) for i, c in enumerate(base + str(first))) * 10 % 11 % 10
        return f"{base}{first}{second}"
    if re.fullmatch(r"[0-9A-Z]{12}", base):
        return base + stdnum_cnpj.calc_check_digits(base)
    raise InvalidDocumentError(_("Base de CPF/CNPJ inválida: informe 9 ou 12 caracteres."))


def person_type_for(document: str) -> PersonTypeCode:
    """F (pessoa física) for a CPF, J (pessoa jurídica) for a CNPJ."""
    document_kind = kind(normalize(document))
    if document_kind is None:
        raise InvalidDocumentError(_("CPF/CNPJ inválido: não é possível identificar o tipo."))
    return "F" if document_kind == "cpf" else "J"
