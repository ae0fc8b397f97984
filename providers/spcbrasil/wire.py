"""SOAP 1.1 request envelopes of SPC Brasil, built with lxml (every value is escaped by lxml).

Operation elements are qualified with the service namespace; their children are unqualified, as
in the requests captured against SPC's training environment (shared/fixtures/spcbrasil/).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal

from lxml import etree

from providers.base import Debtor, InclusionRequest, PersonType, RemovalRequest

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
CONSULTA_NS = "http://webservice.consulta.spcjava.spcbrasil.org/"
INSUMO_NS = "http://webservice.spc.insumo.spcjava.spcbrasil.org/"
CONSULTA_PATH = "/spc/remoting/ws/consulta/consultaWebService"
INSUMO_PATH = "/spc/remoting/ws/insumo/spc/spcWebService"
HEADERS = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '""'}

DEFAULT_INCLUSION_NATURE = "1"
DEFAULT_REMOVAL_REASON = "1"  # pagamento da dívida
DEBTOR_TYPE_BUYER = "C"  # comprador (the debtor himself, not a guarantor)

# Characters XML 1.0 cannot carry at all; lxml refuses them, so they are dropped from user data.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

Build = Callable[[etree._Element], object]


def _text(value: str) -> str:
    return _NOT_XML.sub("", value).strip()


def _add(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, tag)
    if text is not None:
        element.text = _text(text)
    return element


def _envelope(namespace: str, operation: str, build: Build | None = None) -> bytes:
    root = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"soapenv": SOAP_ENV, "web": namespace})
    etree.SubElement(root, f"{{{SOAP_ENV}}}Header")
    body = etree.SubElement(root, f"{{{SOAP_ENV}}}Body")
    op = etree.SubElement(body, f"{{{namespace}}}{operation}")
    if build is not None:
        build(op)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _date_time(value: dt.date) -> str:
    return f"{value.isoformat()}T00:00:00"


def _money(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01")))


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


# Consulta service -----------------------------------------------------------------------------


def list_products() -> bytes:
    return _envelope(CONSULTA_NS, "listarProdutos")


def product_details(code: str) -> bytes:
    return _envelope(CONSULTA_NS, "detalharProduto", lambda op: _add(op, "codigo-produto", code))


def consult(*, product: str, person_type: PersonType, document: str, cep: str = "") -> bytes:
    def build(op: etree._Element) -> None:
        filtro = _add(op, "filtro")
        _add(filtro, "codigo-produto", product)
        _add(filtro, "tipo-consumidor", person_type.value)
        _add(filtro, "documento-consumidor", document.upper())
        if _digits(cep):
            _add(filtro, "cep-consumidor", _digits(cep))

    return _envelope(CONSULTA_NS, "consultar", build)


# Insumo (negativação) service -----------------------------------------------------------------


def _person(parent: etree._Element, debtor: Debtor, *, full: bool) -> None:
    """tipo-pessoa and dados-pessoa-*; `full` adds what only an inclusion carries."""
    _add(parent, "tipo-pessoa", debtor.person_type.value)
    if debtor.person_type is PersonType.COMPANY:
        data = _add(parent, "dados-pessoa-juridica")
        _add(data, "cnpj").set("numero", _text(debtor.document.upper()))
        _add(data, "razao-social", debtor.name)
        _add(data, "nome-comercial", debtor.name)  # we keep one name per customer
        return
    data = _add(parent, "dados-pessoa-fisica")
    _add(data, "cpf").set("numero", _text(debtor.document))
    _add(data, "nome", debtor.name)
    if full and debtor.birth_date is not None:
        _add(data, "data-nascimento", _date_time(debtor.birth_date))
    phone = _digits(debtor.phone)
    if full and len(phone) >= 10:
        telefone = _add(data, "telefone")
        telefone.set("numero-ddd", phone[:2])
        telefone.set("numero", phone[2:])


def include(request: InclusionRequest) -> bytes:
    def build(op: etree._Element) -> None:
        insumo = _add(op, "insumoSpc")
        _person(insumo, request.debtor, full=True)
        _add(insumo, "data-compra", _date_time(request.purchase_date))
        _add(insumo, "data-vencimento", _date_time(request.due_date))
        _add(insumo, "codigo-tipo-devedor", DEBTOR_TYPE_BUYER)
        _add(insumo, "numero-contrato", request.contract_number)
        _add(insumo, "valor-debito", _money(request.amount))
        _add(
            _add(insumo, "natureza-inclusao"), "id", request.reason_code or DEFAULT_INCLUSION_NATURE
        )
        address = request.debtor.address
        endereco = _add(insumo, "endereco-pessoa")
        _add(endereco, "cep", _digits(address.cep))
        _add(endereco, "logradouro", address.street)
        _add(endereco, "bairro", address.district)
        _add(endereco, "numero", address.number)
        if _text(address.complement):
            _add(endereco, "complemento", address.complement)

    return _envelope(INSUMO_NS, "incluirSpc", build)


def remove(request: RemovalRequest) -> bytes:
    inclusion = request.inclusion

    def build(op: etree._Element) -> None:
        excluir = _add(op, "excluir")
        _person(excluir, inclusion.debtor, full=False)
        _add(excluir, "data-vencimento", _date_time(inclusion.due_date))
        _add(excluir, "numero-contrato", inclusion.contract_number)
        _add(_add(excluir, "motivo-exclusao"), "id", request.reason_code or DEFAULT_REMOVAL_REASON)

    return _envelope(INSUMO_NS, "excluirSpc", build)


def list_inclusion_natures() -> bytes:
    return _envelope(INSUMO_NS, "listarNaturezaInclusao")


def list_removal_reasons() -> bytes:
    return _envelope(INSUMO_NS, "listarMotivoExclusao")


def list_debtor_types() -> bytes:
    return _envelope(INSUMO_NS, "listarTipoDevedor")


def inclusion_key(request: InclusionRequest) -> str:
    """SPC keeps no id of its own: a record is document + contract + due date, so is our key."""
    document = request.debtor.document.upper()
    return f"SPC:{document}:{request.contract_number.strip()}:{request.due_date.isoformat()}"
