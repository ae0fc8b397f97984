"""SOA WebServices status codes (`transacao.codigoStatus`) and the base error each one maps to.

Every SOA answer carries `transacao{status, codigoStatus, codigoStatusDescricao}`; the HTTP
status is 200 even for business errors. The .ashx generation spells the same envelope in
PascalCase (`Transacao{Status, CodigoStatus, CodigoStatusDescricao}`), so the lookup here is
case-insensitive and one function serves both generations.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from providers.base import (
    AuthenticationFailed,
    Billed,
    DuplicateRecord,
    InsufficientBalance,
    InvalidDocument,
    ProviderError,
    ProviderProtocolError,
    ProviderUnavailable,
    RecordNotFound,
)
from providers.parsing import lower_keys

# CONFIRMED (diegohordi/soawebservices test data, docs/PROVIDERS.md 2.2).
AUTH_FAILED = "G000M000"
SUCCESS = "G000M001"  # "Transacao (Teste) realizada com sucesso"
INVALID_DOCUMENT = "G000M003"
BIRTH_DATE_REQUIRED = "P009M001"
BIRTH_DATE_INVALID = "P009M002"

# ASSUMED: SOA publishes no table for these; the sandbox answers with the same values.
INSUFFICIENT_BALANCE = "G000M005"
INTERNAL_ERROR = "G000M099"
DUPLICATE_INCLUSION = "N000M001"  # the answer also carries the existing record's uniqueID
INCLUSION_NOT_FOUND = "N000M002"
INVALID_INCLUSION_DATA = "N000M003"

# The birth-date codes map onto InvalidDocument: SOA checks the CPF together with the birth date
# (the Receita pair), so a missing or wrong date is a refusal of the consulted person's
# identification, fixed by correcting the input and never by retrying. It is not a protocol
# error (the platform answered clearly) nor a credentials or product problem.
_ERRORS: Mapping[str, tuple[type[ProviderError], str]] = {
    AUTH_FAILED: (
        AuthenticationFailed,
        "A SOAWebService recusou o e-mail e a senha da filial. Verifique as credenciais em "
        "Configurações > Integrações.",
    ),
    INVALID_DOCUMENT: (InvalidDocument, "CPF/CNPJ recusado pela SOAWebService como inválido."),
    BIRTH_DATE_REQUIRED: (
        InvalidDocument,
        "A SOAWebService exige a data de nascimento para consultar este CPF.",
    ),
    BIRTH_DATE_INVALID: (
        InvalidDocument,
        "A SOAWebService recusou a data de nascimento informada para este CPF.",
    ),
    INSUFFICIENT_BALANCE: (
        InsufficientBalance,
        "Saldo insuficiente na SOAWebService. Adquira créditos junto à distribuidora.",
    ),
    INTERNAL_ERROR: (
        ProviderUnavailable,
        "A SOAWebService informou um erro interno. Tente novamente em alguns minutos.",
    ),
    DUPLICATE_INCLUSION: (DuplicateRecord, "Esta dívida já está negativada na SOAWebService."),
    INCLUSION_NOT_FOUND: (RecordNotFound, "Negativação não encontrada na SOAWebService."),
    INVALID_INCLUSION_DATA: (
        ProviderError,
        "A SOAWebService recusou os dados da negativação (código, contrato, valor ou endereço).",
    ),
}


def _flag(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def transaction_error(
    payload: Mapping[str, Any], *, unsure: Billed = Billed.NO
) -> ProviderError | None:
    """The error a SOA answer reports, or None when `transacao.status` is true.

    `payload` may be in either casing. A known code is a failed transaction, which SOA does not
    charge (assumed): billed NO. An answer without a readable `transacao`, or with an unknown
    code, is a protocol error stamped with `unsure` (UNKNOWN for billed operations: we cannot
    tell whether the transaction went through).
    """
    lowered = lower_keys(payload)
    transaction = lowered.get("transacao") if isinstance(lowered, dict) else None
    status = _flag(transaction.get("status")) if isinstance(transaction, dict) else None
    if not isinstance(transaction, dict) or status is None:
        return ProviderProtocolError(
            "resposta sem o bloco transacao", code="missing_transacao", billed=unsure
        )
    if status:
        return None
    code = _text(transaction.get("codigostatus"))
    message = _text(transaction.get("codigostatusdescricao")) or _text(lowered.get("mensagem"))
    try:
        cls, user_message = _ERRORS[code]
    except KeyError:
        return ProviderProtocolError(
            message or "código de status desconhecido",
            code=code or "unknown_status",
            user_message=f"A SOAWebService respondeu com um código desconhecido ({code or '-'}).",
            billed=unsure,
        )
    return cls(message, code=code, user_message=user_message, billed=Billed.NO)
