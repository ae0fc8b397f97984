"""Request side of the Mercúrio protocol: paths, codes and the form bodies the adapter sends.

What is confirmed by public material and what is assumed is listed in adapter.py's docstring.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping

from providers.base import InclusionRequest, PersonType, RemovalRequest

CONSULT_PATH = "/mercurio/ws_consulta/"  # confirmed
PRODUCTS_PATH = "/mercurio/ws_produtos/"  # assumed
PEFIN_PATH = "/mercurio/ws_pefin/"  # assumed

DEFAULT_PRODUCT = "CREDNET_LIGHT"
# Fixed document of the free credentials check (an `estatica=S` consult): assumed.
CHECK_DOCUMENT = "52998224725"
DEFAULT_INCLUSION_REASON = "SV"  # "Prestação de serviços": what an ISP's debts are (assumed code)
DEFAULT_REMOVAL_REASON = "01"  # "Pagamento da dívida" (assumed code)

RESPONSE_JSON = "J"  # confirmed
RESPONSE_HTML = "H"  # assumed
STATIC = "S"  # consulta estática (simulation, free): confirmed
REAL = "N"  # confirmed


class Code(enum.StrEnum):
    """status.codigo values. The public client shows only status.mensagem: all codes assumed."""

    OK = "000"
    AUTH = "101"
    INVALID_DOCUMENT = "201"
    DOCUMENT_TYPE = "202"
    PRODUCT_NOT_ALLOWED = "301"
    PRODUCT_PERSON_TYPE = "302"
    REJECTED_FIELD = "401"
    DUPLICATE = "402"
    NOT_FOUND = "404"
    PROTOCOL_NOT_FOUND = "405"
    ALREADY_REMOVED = "406"
    INTERNAL = "901"


class PefinAction(enum.StrEnum):
    INCLUDE = "INCLUIR"
    REMOVE = "EXCLUIR"
    STATUS = "CONSULTAR"
    INCLUSION_REASONS = "MOTIVOS_INCLUSAO"
    REMOVAL_REASONS = "MOTIVOS_BAIXA"


def br_date(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def consult_form(
    credentials: Mapping[str, str],
    *,
    product: str,
    person_type: PersonType,
    document: str,
    static: bool,
    cep: str = "",
    state: str = "",
    response_type: str = RESPONSE_JSON,
    protocol: str = "",
) -> dict[str, str]:
    """The ws_consulta body; `protocol` asks for the report of an earlier consult (assumed)."""
    form = {
        "login": credentials.get("login", ""),
        "password": credentials.get("password", ""),
        "idclient": credentials.get("idclient", ""),
        "apikey": credentials.get("apikey", ""),
        "consulta": product,
        "tipodocumento": person_type.value,
        "documento": document,
        "cep": cep,
        "telefone": "",
        "uf": state,
        "estatica": STATIC if static else REAL,
        "tiporesposta": response_type,
        "agregados": "",
    }
    if protocol:
        form["protocolo"] = protocol
    return form


def products_form(credentials: Mapping[str, str]) -> dict[str, str]:
    return {
        "login": credentials.get("login", ""),
        "password": credentials.get("password", ""),
        "idclient": credentials.get("idclient", ""),
        "apikey": credentials.get("apikey", ""),
    }


def pefin_form(
    credentials: Mapping[str, str], action: PefinAction, fields: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The ws_pefin body (assumed): the PEFIN credential pair plus the client's id and key."""
    return {
        "login_pefin": credentials.get("login_pefin", ""),
        "senha_pefin": credentials.get("senha_pefin", ""),
        "idclient": credentials.get("idclient", ""),
        "apikey": credentials.get("apikey", ""),
        "acao": action.value,
        **(fields or {}),
    }


def inclusion_fields(request: InclusionRequest) -> dict[str, str]:
    debtor, address = request.debtor, request.debtor.address
    return {
        "tipodocumento": debtor.person_type.value,
        "documento": debtor.document,
        "nome": debtor.name,
        "datanascimento": br_date(debtor.birth_date),
        "telefone": debtor.phone,
        "cep": address.cep,
        "endereco": address.street,
        "numero": address.number,
        "complemento": address.complement,
        "bairro": address.district,
        "cidade": address.city,
        "uf": address.state,
        "contrato": request.contract_number,
        "nossonumero": request.our_number,
        "datacompra": br_date(request.purchase_date),
        "datavencimento": br_date(request.due_date),
        "valor": f"{request.amount:.2f}",
        "codigonatureza": request.reason_code or DEFAULT_INCLUSION_REASON,
    }


def removal_fields(request: RemovalRequest) -> dict[str, str]:
    return {
        "idnegativacao": request.platform_id,
        "codigomotivobaixa": request.reason_code or DEFAULT_REMOVAL_REASON,
        "databaixa": br_date(request.removal_date),
    }
