"""Model-level checks shared by the apps that store a document next to a person type."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from creditcheck.core import documents
from creditcheck.core.enums import PersonType

PERSON_TYPE_MISMATCH_CODE = "person_type_mismatch"


def check_person_type_matches_document(person_type: str, document: str) -> None:
    """Raise a `document` field error when a CPF is given for a company or a CNPJ for a person.

    Invalid documents are left to the field validator, which reports them on its own.
    """
    if not person_type or not documents.is_valid(document or ""):
        return
    document_kind = documents.kind(documents.normalize(document))
    if person_type == PersonType.INDIVIDUAL and document_kind != "cpf":
        message = _("Pessoa física deve ter um CPF (11 dígitos), não um CNPJ.")
    elif person_type == PersonType.COMPANY and document_kind != "cnpj":
        message = _("Pessoa jurídica deve ter um CNPJ (14 caracteres), não um CPF.")
    else:
        return
    raise ValidationError({"document": ValidationError(message, code=PERSON_TYPE_MISMATCH_CODE)})
