"""Crédito na Medida requests: paths and JSON bodies (all ASSUMED, see the adapter docstring)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from providers.base import ConsultRequest, InclusionRequest, RemovalRequest
from providers.wire import address_object

TOKEN_PATH = "/oauth/token"  # noqa: S105 - a URL path, not a secret
PRODUCTS_PATH = "/api/v1/produtos"
CONSULTS_PATH = "/api/v1/consultas"
INCLUSIONS_PATH = "/api/v1/negativacoes"
INCLUSION_REASONS_PATH = "/api/v1/motivos-inclusao"
REMOVAL_REASONS_PATH = "/api/v1/motivos-baixa"
BALANCE_PATH = "/api/v1/saldo"

DEFAULT_PRODUCT = "CNM_BASICO"
DEFAULT_INCLUSION_REASON = "01"  # mensalidade em atraso
DEFAULT_REMOVAL_REASON = "01"  # pagamento da dívida


def _segment(value: str) -> str:
    """An id as one path segment: a '/' or '..' in a platform id must not change the path."""
    return quote(value, safe="")


def consult_pdf_path(consult_id: str) -> str:
    # Built from the id rather than taken from the answer's pdf_url, so the bearer token is only
    # ever sent to the host the operator configured.
    return f"{CONSULTS_PATH}/{_segment(consult_id)}/pdf"


def inclusion_path(platform_id: str) -> str:
    return f"{INCLUSIONS_PATH}/{_segment(platform_id)}"


def consult_body(request: ConsultRequest, product: str) -> dict[str, Any]:
    return {
        "produto": product,
        "documento": request.document,
        "tipo_pessoa": request.person_type.value,
    }


def inclusion_body(request: InclusionRequest) -> dict[str, Any]:
    debtor = request.debtor
    body: dict[str, Any] = {
        "documento": debtor.document,
        "tipo_pessoa": debtor.person_type.value,
        "nome": debtor.name,
        "endereco": address_object(debtor.address),
        "contrato": request.contract_number,
        "nosso_numero": request.our_number,
        "data_compra": request.purchase_date.isoformat(),
        "data_vencimento": request.due_date.isoformat(),
        "valor": f"{request.amount:.2f}",
        "motivo": request.reason_code or DEFAULT_INCLUSION_REASON,
    }
    if debtor.birth_date is not None:
        body["data_nascimento"] = debtor.birth_date.isoformat()
    if debtor.phone:
        body["telefone"] = debtor.phone
    return body


def removal_body(request: RemovalRequest) -> dict[str, Any]:
    return {"motivo_baixa": request.reason_code or DEFAULT_REMOVAL_REASON}
