"""Request side of the SOA WebServices JSON API v2: paths, product catalogue and request bodies.

Bodies are camelCase with the account's e-mail and senha inside every request
(`{"credenciais": {"email", "senha"}, ...}`); see the adapter's module docstring for what is
confirmed and what is assumed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from providers.base import InclusionRequest, InclusionState, PersonType, Product, RemovalRequest
from providers.wire import address_object

CREDNET = "/api/v2/Serasa/Consultas/CredNet"  # confirmed
CONCENTRE = "/api/v2/Serasa/Consultas/Concentre"  # assumed sibling of CredNet
INCLUDE = "/api/v2/Serasa/Negativacoes/Inserir"  # confirmed (named)
REMOVE = "/api/v2/Serasa/Negativacoes/Excluir"  # confirmed
STATUS = "/api/v2/Serasa/Negativacoes/Consulta"  # assumed (SOAP operation name)
LIST = "/api/v2/Serasa/Negativacoes/Lista"  # assumed (SOAP operation name)
REMOVAL_CODES = "/api/v2/Serasa/Negativacoes/CodigosBaixa"  # assumed (SOAP operation name)
RESTRICTION_CODES = "/api/v2/Serasa/Negativacoes/CodigosRestricoes"  # assumed (SOAP op name)
BALANCE = "/api/v2/Administracao/Saldo"  # confirmed

DEFAULT_RESTRICTION_CODE = 1  # "Prestação de serviços" in the sandbox table (assumed)
DEFAULT_REMOVAL_CODE = 1  # "Pagamento da dívida" in the sandbox table (assumed)

# Values of `Lista.condicao`, from the SOAP generation's enum (it also has "Indiponivel", sic).
LIST_CONDITIONS = {
    InclusionState.PENDING: "Pendentes",
    InclusionState.ACTIVE: "Ativas",
    InclusionState.ERROR: "Erro",
    InclusionState.REMOVED: "Baixadas",
}


@dataclass(frozen=True)
class ConsultProduct:
    product: Product
    path: str
    extras: tuple[int, ...]  # `adicionais`


BOTH = (PersonType.PERSON, PersonType.COMPANY)

# SOA has no product-listing call: a static catalogue (ASSUMED names; paths as above).
CONSULT_PRODUCTS: dict[str, ConsultProduct] = {
    "CREDNET": ConsultProduct(Product("CREDNET", "Serasa Crednet", BOTH), CREDNET, (1,)),
    "CONCENTRE": ConsultProduct(
        Product("CONCENTRE", "Serasa Concentre (quadro societário e score)", BOTH),
        CONCENTRE,
        (1, 2, 3, 4),  # as the public test-drive Concentre request sends them
    ),
}
DEFAULT_PRODUCT = "CREDNET"


def credentials(email: str, password: str) -> dict[str, Any]:
    return {"credenciais": {"email": email, "senha": password}}


def _code(value: str, default: int) -> int | str:
    """Lookup codes are integers in SOA's answers; pass anything else through unchanged."""
    value = value.strip()
    if not value:
        return default
    return int(value) if value.isdigit() else value


def _money(amount: Decimal) -> float:
    # Two decimals are exact in a float's shortest repr, which is what json.dumps writes.
    return float(amount.quantize(Decimal("0.01")))


def consult_body(
    auth: dict[str, Any], *, document: str, state: str, extras: tuple[int, ...]
) -> dict[str, Any]:
    return {**auth, "documento": document, "uf": state or None, "adicionais": list(extras)}


def inclusion_body(auth: dict[str, Any], request: InclusionRequest) -> dict[str, Any]:
    debtor = request.debtor
    return {
        **auth,
        "devedores": [
            {
                "documento": debtor.document,
                "tipoDevedor": "Principal",
                "nome": debtor.name,
                "endereco": address_object(debtor.address),
            }
        ],
        "restricao": {
            "codigoRestricao": _code(request.reason_code, DEFAULT_RESTRICTION_CODE),
            "contrato": request.contract_number,
            "nossoNumero": request.our_number,
            "dataVencimento": request.due_date.isoformat(),
            "valor": _money(request.amount),
        },
    }


def removal_body(auth: dict[str, Any], request: RemovalRequest) -> dict[str, Any]:
    body: dict[str, Any] = {
        **auth,
        "uniqueID": request.platform_id,
        "codigoBaixa": _code(request.reason_code, DEFAULT_REMOVAL_CODE),
        "baixaDescricao": None,  # the platform fills it from codigoBaixa
    }
    if request.removal_date is not None:
        body["dataBaixa"] = request.removal_date.isoformat()
    return body
