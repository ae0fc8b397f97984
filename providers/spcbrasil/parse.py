"""SPC Brasil payloads → the contract's dataclasses. Pure functions, no I/O.

Everything is looked up by local name (prefixes and namespaces vary between SPC environments) and
every value is stripped (SPC pads some, e.g. comarca names with trailing spaces). A payload that
cannot be read raises ProviderProtocolError, never anything else.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from lxml import etree

from providers import base
from providers.bureau_codes import BACEN_ALINEAS, bureau_code
from providers.http import parse_xml
from providers.parsing import (
    capped,
    details,
    humanize,
    plausible_amount,
    shown_text,
    totals_from_restrictions,
)

PLATFORM = "spcbrasil"

# SPC error codes look like CN_INT005.E8.2, CN_GER001.E0, IE_SPC005.E10, CS_AUT001.E1.7.
_CODE = re.compile(r"\b([A-Z]{2}_[A-Z]{3}\d{3}\.E\d+(?:\.\d+)*)")

# --------------------------------------------------------------------------------------------
# Small readers


def local(element: etree._Element) -> str:
    tag = element.tag
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def children(element: etree._Element, name: str | None = None) -> Iterator[etree._Element]:
    for child in element:
        tag = local(child)
        if tag and (name is None or tag == name):
            yield child


def child(element: etree._Element, name: str) -> etree._Element | None:
    return next(children(element, name), None)


def text(element: etree._Element | None) -> str:
    return "".join(str(part) for part in element.itertext()).strip() if element is not None else ""


def attr(element: etree._Element | None, *names: str) -> str:
    """The first non-blank attribute among `names`, stripped."""
    if element is None:
        return ""
    for name in names:
        value = (element.get(name) or "").strip()
        if value:
            return value
    return ""


def to_decimal(value: str) -> Decimal | None:
    if not value:
        return None
    cleaned = value.replace("R$", "").replace("%", "").strip()
    if "," in cleaned:  # Brazilian notation: 1.234,56
        cleaned = cleaned.replace(".", "").replace(",", ".")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise base.ProviderProtocolError(
            f"valor numérico ilegível: {value[:40]!r}", code="malformed_value"
        ) from None
    if not plausible_amount(number):
        raise base.ProviderProtocolError(
            f"valor numérico ilegível: {value[:40]!r}", code="malformed_value"
        )
    return number


def to_int(value: str) -> int:
    number = to_decimal(value)
    if number is None:
        return 0
    if number != number.to_integral_value() or abs(number) > 10**12:
        raise base.ProviderProtocolError(
            f"quantidade ilegível: {value[:40]!r}", code="malformed_value"
        )
    return int(number)


def to_date(value: str) -> dt.date | None:
    """SPC sends xs:dateTime with an offset; the calendar date is the part SPC wrote."""
    if not value:
        return None
    try:
        if re.match(r"\d{2}/\d{2}/\d{4}", value):
            return dt.datetime.strptime(value[:10], "%d/%m/%Y").date()
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        raise base.ProviderProtocolError(
            f"data ilegível: {value[:40]!r}", code="malformed_value"
        ) from None


def _plain(value: str) -> str:
    """Upper-case ASCII, for matching words such as FALÊNCIA regardless of accents."""
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).upper()


# --------------------------------------------------------------------------------------------
# Envelopes and faults


@dataclass(frozen=True)
class Fault:
    code: str
    message: str


def fault_of(fault: etree._Element) -> Fault:
    faultcode = text(child(fault, "faultcode"))
    faultstring = text(child(fault, "faultstring"))
    found = _CODE.search(faultcode) or _CODE.search(faultstring)
    if found is None:
        return Fault(code=faultcode, message=faultstring)
    message = faultstring.replace(found.group(1), "", 1).strip().lstrip("-:").strip()
    return Fault(code=found.group(1), message=message or faultstring)


def _is(code: str, *prefixes: str) -> bool:
    return any(code == p or code.startswith(p + ".") for p in prefixes)


# SPC error codes -> the contract's error and what staff read. The first row whose code (or code
# prefix, up to a dot) matches wins: CN_INT005.E8.3 comes before CN_INT005.E8.
_FAULTS: tuple[tuple[tuple[str, ...], type[base.ProviderError], str], ...] = (
    (
        ("CS_AUT001.E1.7",),
        base.AuthenticationFailed,
        "O operador do SPC Brasil está bloqueado. Desbloqueie-o no portal do SPC e atualize a "
        "senha em Configurações > Integrações.",
    ),
    (
        ("CS_AUT001", "CN_INT005.E2", "CN_INT005.E3"),
        base.AuthenticationFailed,
        "O SPC Brasil recusou o operador ou a senha do WebService. Verifique as credenciais em "
        "Configurações > Integrações.",
    ),
    (
        ("CN_INT005.E4",),
        base.ProductNotAllowed,
        "O operador do SPC Brasil não tem acesso a este produto.",
    ),
    (
        ("CN_INT005.E8.3", "CN_INT005.E8.4"),
        base.InvalidDocument,
        "O produto do SPC Brasil não aceita este tipo de documento (CPF/CNPJ).",
    ),
    (("CN_INT005.E8",), base.InvalidDocument, "O SPC Brasil recusou o CPF/CNPJ como inválido."),
    (
        ("CN_GER001",),
        base.ProviderUnavailable,
        "O SPC Brasil teve um erro interno. Tente novamente em alguns minutos.",
    ),
    (("IE_SPC001.E09",), base.DuplicateRecord, "Esta dívida já está registrada no SPC Brasil."),
    (
        ("IE_SPC005.E10",),
        base.RecordNotFound,
        "O SPC Brasil não encontrou o registro para a exclusão.",
    ),
)


def fault_error(fault: Fault) -> base.ProviderError:
    """The contract's error for an SPC error code. No fault is billed."""
    code, message = fault.code, fault.message
    for prefixes, error, user_message in _FAULTS:
        if _is(code, *prefixes):
            return error(message, code=code, user_message=user_message)
    return base.ProviderProtocolError(
        message,
        code=code,
        user_message=f"O SPC Brasil recusou a operação: {message or code}",
    )


# The authentication layer answers only its code; these texts are SPC's error table's.
AUTH_LAYER_MESSAGES = {
    "CS_AUT001.E1.2": "Operador ou senha inválidos",
    "CS_AUT001.E1.7": "Operador bloqueado",
}


def _auth_layer_code(body: str) -> str:
    """SPC's HTTP authentication layer answers plain text/HTML carrying a CS_AUT001 code."""
    found = _CODE.search(body)
    return found.group(1) if found and found.group(1).startswith("CS_AUT") else ""


def read_envelope(status: int, content: bytes, *, billed: bool) -> etree._Element:
    """The payload element of an SPC response, or the contract's error for what came instead.

    `billed` is whether the operation is charged: an unreadable 2xx answer to such a call may
    have been charged (billed UNKNOWN); errors SPC reports itself are not charged.
    """
    body = content.decode("utf-8", errors="replace")
    if status in (401, 403):
        code = _auth_layer_code(body) or f"http_{status}"
        raise fault_error(Fault(code, AUTH_LAYER_MESSAGES.get(code, f"HTTP {status}")))
    try:
        root: etree._Element | None = parse_xml(content)
    except base.ProviderProtocolError as exc:
        if exc.code == "xml_dtd":
            raise
        root = None
    if root is not None and local(root) == "Envelope":
        payload = next((item for b in children(root, "Body") for item in children(b)), None)
        if payload is not None and local(payload) == "Fault":
            raise fault_error(fault_of(payload))
        if payload is not None and status == 200:
            return payload
    auth_code = _auth_layer_code(body)
    if auth_code:
        raise fault_error(Fault(auth_code, AUTH_LAYER_MESSAGES.get(auth_code, "")))
    if status >= 500:
        raise base.ProviderUnavailable(f"HTTP {status} sem SOAP Fault", code=f"http_{status}")
    raise base.ProviderProtocolError(
        f"resposta SOAP ilegível (HTTP {status})",
        code="malformed_xml" if root is None else "unexpected_payload",
        billed=base.Billed.UNKNOWN if billed and 200 <= status < 300 else base.Billed.NO,
    )


def expect(payload: etree._Element, *names: str) -> etree._Element:
    if local(payload) not in names:
        raise base.ProviderProtocolError(
            f"elemento inesperado na resposta: {local(payload)!r}", code="unexpected_payload"
        )
    return payload


# --------------------------------------------------------------------------------------------
# Lists


def parse_product(element: etree._Element) -> base.Product:
    code = text(child(element, "codigo")) or attr(element, "codigo")
    name = text(child(element, "nome")) or attr(element, "nome")
    if not code:
        raise base.ProviderProtocolError("produto sem código", code="unexpected_payload")
    return base.Product(code=code, name=name or code)


def parse_products(payload: etree._Element) -> tuple[base.Product, ...]:
    if local(payload) == "produto":
        return (parse_product(payload),)
    return tuple(parse_product(p) for p in children(expect(payload, "produtos"), "produto"))


def parse_reasons(payload: etree._Element) -> tuple[base.ReasonCode, ...]:
    """id/descrição lists (naturezas de inclusão, motivos de exclusão, tipos de devedor)."""
    reasons = []
    for item in children(payload):
        code = text(child(item, "id")) or text(child(item, "codigo")) or attr(item, "id", "codigo")
        description = (
            text(child(item, "descricao"))
            or text(child(item, "nome"))
            or attr(item, "descricao", "nome")
        )
        if code:
            reasons.append(base.ReasonCode(code=code, description=description or code))
    return tuple(reasons)


def success_message(payload: etree._Element) -> str:
    """The <sucesso> text of incluirSpc/excluirSpc, wrapped or not."""
    if local(payload) == "sucesso":
        return text(payload)
    found = next((el for el in payload.iter() if local(el) == "sucesso"), None)
    if found is None:
        raise base.ProviderProtocolError("resposta sem <sucesso>", code="unexpected_payload")
    return text(found)


# --------------------------------------------------------------------------------------------
# Credit report


class Reading:
    """The attributes and texts of one answer the parser took.

    Whatever valued part of the answer it did not take becomes the report's "Outras
    informações" (`leftovers`), so an element SPC adds tomorrow shows up instead of vanishing.
    Elements are kept in the set itself, which keeps lxml's proxies alive and so the same
    objects when the tree is walked again.
    """

    def __init__(self) -> None:
        self.taken: set[tuple[etree._Element, str]] = set()  # (element, attribute or "" = text)

    def attr(self, element: etree._Element | None, *names: str) -> str:
        """The first non-blank attribute among `names`, stripped, marked as taken."""
        if element is None:
            return ""
        for name in names:
            value = (element.get(name) or "").strip()
            if value:
                self.taken.add((element, name))
                return value
        return ""

    def text(self, element: etree._Element | None) -> str:
        """The element's text (its descendants' included), marked as taken."""
        if element is None:
            return ""
        for item in element.iter():
            self.taken.add((item, ""))
        return text(element)

    def take(self, element: etree._Element | None, *names: str) -> None:
        """Mark attributes as taken without reading them (what another field already says)."""
        if element is not None:
            self.taken.update((element, name) for name in names)

    def take_all(self, element: etree._Element | None) -> None:
        """Mark a whole subtree as taken (what the report holds in another form)."""
        if element is None:
            return
        for item in element.iter():
            self.taken.add((item, ""))
            self.taken.update((item, str(name)) for name in item.attrib)


# Blocks carrying restrictions, with the kind of their details unless _detail_kind says otherwise.
RESTRICTION_BLOCKS: dict[str, base.RestrictionKind] = {
    "spc": base.RestrictionKind.SPC,
    "pendencia-financeira": base.RestrictionKind.PEFIN,
    "protesto": base.RestrictionKind.PROTESTO,
    "ccf": base.RestrictionKind.CHEQUE,
    "cheque-lojista": base.RestrictionKind.CHEQUE,
    "cheque-sem-fundo-varejo": base.RestrictionKind.CHEQUE,
    "acao": base.RestrictionKind.ACAO,
    "informacao-poder-judiciario": base.RestrictionKind.FALENCIA,
    # Stopped cheques (sustação): an occurrence about cheques that is no bounced cheque.
    "contra-ordem": base.RestrictionKind.OTHER,
    "contra-ordem-documento-diferente": base.RestrictionKind.OTHER,
    "contumacia": base.RestrictionKind.OTHER,
}
# Blocks about cheques, whose details carry an alínea (motivo da devolução).
CHEQUE_BLOCKS = frozenset(
    {"ccf", "cheque-lojista", "contra-ordem", "contra-ordem-documento-diferente", "contumacia"}
)
# Where a bounced cheque was recorded, which the kind "Cheque sem fundo" alone does not say.
CHEQUE_SOURCES = {
    "ccf": "CCF do Banco Central",
    "cheque-lojista": "Cheque devolvido ao lojista",
    "cheque-sem-fundo-varejo": "Cheque sem fundo no varejo",
}
STOPPED_CHEQUES = {
    "contra-ordem": "Cheque sustado (contra-ordem)",
    "contra-ordem-documento-diferente": "Cheque sustado em documento diferente",
    "contumacia": "Sustação de cheques por contumácia",
}
SCORE_MODELS = {
    "spc-score-12-meses": "SPC Score 12 meses",
    "spc-score-3-meses": "SPC Score 3 meses",
    "score-cadastro-positivo": "Score Cadastro Positivo",
}
_AMOUNT = ("valor", "valor-pendencia", "valor-acao", "valor-debito", "valor-cheque")
_DATE = (
    "data-ocorrencia",
    "data-vencimento",
    "data-protesto",
    "data-acao",
    "data-ultimo-cheque",
    "data-ocorrencia-mais-recente",
    "data-documento",
    "data-inclusao",
    "data-emissao",
)
# Who an occurrence is of, the first one present naming the creditor; the others, when an
# occurrence carries more than one, are labelled details.
_CREDITOR = {
    "nome-associado": "Associado",
    "nome-credor": "Credor",
    "requerente-credor": "Requerente",
    "nome-autor": "Autor",
    "entidade-origem": "Entidade de origem",
    "informante": "Informante",
    "origem-ocorrencia-mais-recente": "Origem da ocorrência",
}
_CONTRACT = ("contrato", "numero-contrato", "numero-processo")
_FALENCIA_WORDS = ("FALENCIA", "RECUPERACAO JUDICIAL", "CONCORDATA")
_PAYMENT_DATA_WORDS = frozenset({"PEFIN", "REFIN"})
# SPC's yes/no spellings of flags (registro-instituicao-financeira, avalista).
_YES_NO = {"SIM": "Sim", "S": "Sim", "TRUE": "Sim", "NAO": "Não", "N": "Não", "FALSE": "Não"}
# SPC's roles of the consulted person in a record.
ROLES = {"COMPRADOR": "Comprador", "FIADOR": "Fiador", "AVALISTA": "Avalista"}

# Labels of what may land in "Outras informações", by "element/attribute" or attribute.
LABELS: dict[str, str] = {
    "resultado/data": "Data e hora da consulta no SPC",
    "operador/codigo": "Operador do SPC: código",
    "operador/nome": "Operador do SPC: nome",
    "consumidor-pessoa-fisica/idade": "Idade",
    "consumidor-pessoa-fisica/sexo": "Sexo",
    "consumidor-pessoa-fisica/signo": "Signo",
    "consumidor-pessoa-fisica/pessoa-estrangeira": "Pessoa estrangeira",
    "consumidor-pessoa-fisica/nome-pai": "Nome do pai",
    "consumidor-pessoa-fisica/estado-civil": "Estado civil",
    "consumidor-pessoa-fisica/numero-rg": "RG",
    "cpf/regiao-origem": "Região de emissão do CPF",
    "situacao-cpf/data-situacao": "Data da situação do CPF",
    "situacao-cpf/uf": "UF da situação do CPF",
    "consulta-realizada/quantidade-dias-consultados": "Consultas anteriores: período (dias)",
    "detalhe-spc-score-12-meses/horizonte": "SPC Score: horizonte (meses)",
    "detalhe-spc-score-3-meses/horizonte": "SPC Score: horizonte (meses)",
    "detalhe-score-cadastro-positivo/mensagem": "Score Cadastro Positivo: mensagem",
}


def _place(reading: Reading, holder: etree._Element) -> tuple[str, str]:
    """City and UF of a place: `cidade-associado nome=` itself, or the `cidade`/`comarca` inside
    it (cartorio/cidade, vara/comarca, endereco/cidade), with the `estado sigla-uf=` inside."""
    city_element = child(holder, "cidade")
    if city_element is None:
        city_element = child(holder, "comarca")
    if city_element is None:
        city_element = holder
    state = child(city_element, "estado")
    if state is None:
        state = child(holder, "estado")
    return reading.attr(city_element, "nome"), reading.attr(state, "sigla-uf")


def _detail_place(reading: Reading, detail: etree._Element) -> tuple[str, str]:
    for tag in (
        "cidade-associado",
        "cidade",
        "cidade-ocorrencia",
        "origem-associado",
        "cartorio",
        "vara",
    ):
        holder = child(detail, tag)
        if holder is not None:
            city, uf = _place(reading, holder)
            if city or uf:
                return city, uf
    return reading.attr(detail, "cidade-associado", "cidade"), reading.attr(
        detail, "uf", "sigla-uf"
    )


def _yes_no(value: str) -> str:
    return _YES_NO.get(value.upper(), value)


def _phone(reading: Reading, element: etree._Element | None) -> str:
    number = reading.attr(element, "numero")
    ddd = reading.attr(element, "numero-ddd")
    if not number:
        return ""
    # SPC writes DDD "0" for 0800/4004 numbers, which have none.
    return f"({ddd}) {number}" if ddd and ddd.strip("0") else number


def _bank(
    reading: Reading, dados: etree._Element | None
) -> tuple[str, str, str, tuple[base.Detail, ...]]:
    """Bank, agency, account and the other fields of a `dados-bancarios` element."""
    if dados is None:
        return "", "", "", ()
    banco = child(dados, "banco")
    code, name = reading.attr(banco, "codigo"), reading.attr(banco, "nome")
    bank = " - ".join(p for p in (code.zfill(3) if code.isdigit() else code, name) if p)
    agency = reading.attr(dados, "numero-agencia")
    account = "-".join(
        p
        for p in (
            reading.attr(dados, "numero-conta-corrente"),
            reading.attr(dados, "digito-conta-corrente"),
        )
        if p
    )
    extra = details(
        ("Nome da agência", reading.attr(dados, "nome-agencia")),
        ("Telefone da agência", _phone(reading, child(dados, "telefone"))),
    )
    return bank, agency, account, extra


def _cheque_number(
    reading: Reading, first: etree._Element | None, last: etree._Element | None
) -> str:
    def number(element: etree._Element | None) -> str:
        return "-".join(
            p for p in (reading.attr(element, "numero"), reading.attr(element, "digito")) if p
        )

    start, end = number(first), number(last)
    return f"{start} a {end}" if start and end and end != start else start or end


def _description(reading: Reading, detail: etree._Element, block: str) -> str:
    kind_of_action = child(detail, "tipo-acao")
    if kind_of_action is not None:
        return reading.attr(kind_of_action, "descricao") or reading.text(kind_of_action)
    if block in STOPPED_CHEQUES:
        return STOPPED_CHEQUES[block]
    if block in CHEQUE_SOURCES:
        return CHEQUE_SOURCES[block]
    return reading.attr(detail, "descricao", "titulo-ocorrencia")


def _detail_kind(
    reading: Reading, detail: etree._Element, block: str, description: str
) -> base.RestrictionKind:
    if block == "pendencia-financeira":
        # Banks' restrictions (REFIN) and other creditors' (PEFIN) share this block.
        source = _plain(detail.get("origem", "") + " " + detail.get("titulo-ocorrencia", ""))
        return base.RestrictionKind.REFIN if "REFIN" in source else base.RestrictionKind.PEFIN
    if block == "acao" and any(word in _plain(description) for word in _FALENCIA_WORDS):
        return base.RestrictionKind.FALENCIA
    return RESTRICTION_BLOCKS[block]


def _reason(reading: Reading, detail: etree._Element) -> base.BureauCode | None:
    """A cheque's alínea: an `alinea`/`motivo` element (codigo, descricao) or attribute."""
    for tag in ("alinea", "motivo"):
        element = child(detail, tag)
        if element is not None:
            code = reading.attr(element, "codigo") or reading.text(element)
            return bureau_code(code, BACEN_ALINEAS, reading.attr(element, "descricao"))
    return bureau_code(reading.attr(detail, "alinea", "motivo"), BACEN_ALINEAS)


# Dates an occurrence may carry besides the one shown as its date, labelled.
DATE_LABELS = {
    "data-ocorrencia": "Data da ocorrência",
    "data-vencimento": "Vencimento",
    "data-protesto": "Data do protesto",
    "data-acao": "Data da ação",
    "data-ultimo-cheque": "Data do último cheque",
    "data-ocorrencia-mais-recente": "Ocorrência mais recente",
    "data-documento": "Data do documento",
    "data-inclusao": "Data de inclusão",
    "data-emissao": "Emissão",
}


def _first(reading: Reading, element: etree._Element, names: tuple[str, ...]) -> tuple[str, str]:
    """(name, value) of the first non-blank attribute among `names`, taken; ("", "") if none."""
    for name in names:
        value = reading.attr(element, name)
        if value:
            return name, value
    return "", ""


def parse_restriction(detail: etree._Element, block: str, reading: Reading) -> base.Restriction:
    """One `detalhe-*` of a restriction block with its fields, the nested ones included: the
    cheques of `cheque-lojista` carry value, number and bank in `cheque-inicial`, their reason
    in `alinea`; protests their cartório, lawsuits their vara and comarca."""
    r = reading
    description = _description(r, detail, block)
    creditor_name, creditor = _first(r, detail, tuple(_CREDITOR))
    others = tuple(
        (label, r.attr(detail, name)) for name, label in _CREDITOR.items() if name != creditor_name
    )
    origin = r.attr(detail, "origem")
    if _plain(origin) in _PAYMENT_DATA_WORDS:
        origin = ""  # PEFIN/REFIN: the kind says it
    elif not creditor and block != "ccf":  # a CCF's origin is Bacen's registry, no creditor
        creditor, origin = origin, ""
    city, uf = _detail_place(r, detail)
    first = child(detail, "cheque-inicial")
    last = child(detail, "cheque-final")
    dados = next(
        (
            found
            for holder in (first, child(detail, "ultimo-cheque"), detail)
            if holder is not None and (found := child(holder, "dados-bancarios")) is not None
        ),
        None,
    )
    bank, agency, account, bank_details = _bank(r, dados)
    date_name, occurred = _first(r, detail, _DATE)
    role = r.attr(detail, "comprador-fiador-avalista")
    dates = tuple(
        (label, r.attr(detail, name)) for name, label in DATE_LABELS.items() if name != date_name
    )
    extra = details(
        *others,
        *dates,
        ("Emissão do cheque", r.attr(first, "data-emissao")),
        ("Quantidade de cheques", r.attr(detail, "quantidade", "quantidade-cheques")),
        ("Valor do cheque final", r.attr(last, "valor")),
        ("Papel do consultado", ROLES.get(role.upper(), role)),
        (
            "Registro de instituição financeira",
            _yes_no(r.attr(detail, "registro-instituicao-financeira")),
        ),
        ("Avalista", _yes_no(r.attr(detail, "avalista"))),
        ("Origem", origin),
        ("Entidade", r.attr(detail, "nome-entidade")),
        ("Código da entidade", r.attr(detail, "codigo-entidade")),
        ("Conta/contrato", r.attr(detail, "conta-contrato")),
        ("Telefone do credor", _phone(r, child(detail, "telefone-associado"))),
        ("Número do protesto", r.attr(detail, "numero-protesto")),
        ("Distrito", r.attr(detail, "distrito")),
        ("Loja", r.attr(detail, "numero-loja")),
        ("Documento no registro", r.attr(detail, "documento")),
    )
    return base.Restriction(
        kind=_detail_kind(r, detail, block, description),
        creditor=creditor,
        amount=to_decimal(r.attr(detail, *_AMOUNT) or r.attr(first, "valor")),
        occurred_on=to_date(occurred),
        contract=r.attr(detail, *_CONTRACT),
        city=city,
        state=uf,
        description=description,
        bank=bank or r.attr(detail, "nome-banco", "banco"),
        agency=agency,
        account=account,
        cheque_number=_cheque_number(r, first, last),
        alinea=_reason(r, detail) if block in CHEQUE_BLOCKS else None,
        notary_office=r.attr(child(detail, "cartorio"), "nome"),
        court=r.attr(child(detail, "vara"), "nome"),
        details=extra + bank_details,
    )


def _details(block: etree._Element) -> list[etree._Element]:
    return [el for el in children(block) if local(el).startswith("detalhe")]


def _block_totals(
    reading: Reading, block: etree._Element, name: str, details: list[base.Restriction]
) -> list[base.KindTotal]:
    """SPC's own resumo when the block holds one kind; per-kind sums when it mixes kinds.

    Occurrences without an amount are counted apart (`unvalued`), so that a block of cheques
    without values reads "valor não informado" and not R$ 0,00.
    """
    kinds = {r.kind for r in details}
    resumo = child(block, "resumo")
    if details:
        # The details carry each date: the summary's first/last dates say nothing more.
        reading.take(resumo, "data-primeira-ocorrencia", "data-ultima-ocorrencia")
    if len(kinds) > 1:
        reading.take(resumo, "quantidade-total", "valor-total")  # the sum of the kinds below
        return list(totals_from_restrictions(tuple(details)))
    count = to_int(reading.attr(resumo, "quantidade-total")) if resumo is not None else len(details)
    count = max(count, len(details))
    unvalued = sum(1 for r in details if r.amount is None)
    amount = to_decimal(reading.attr(resumo, "valor-total"))
    if amount is None:
        amount = sum((r.amount or Decimal("0") for r in details), Decimal("0"))
        unvalued = count - sum(1 for r in details if r.amount is not None)
    kind = kinds.pop() if kinds else RESTRICTION_BLOCKS[name]
    return [base.KindTotal(kind, count, amount, unvalued)] if count else []


def _merge(totals: list[base.KindTotal]) -> tuple[base.KindTotal, ...]:
    merged: dict[base.RestrictionKind, base.KindTotal] = {}
    for total in totals:
        seen = merged.get(total.kind)
        merged[total.kind] = (
            total
            if seen is None
            else base.KindTotal(
                total.kind,
                seen.count + total.count,
                seen.amount + total.amount,
                seen.unvalued + total.unvalued,
            )
        )
    return tuple(merged[kind] for kind in base.RestrictionKind if kind in merged)


def _address(reading: Reading, element: etree._Element) -> base.Address:
    cep = reading.attr(element, "cep")
    city, uf = _place(reading, element)
    return base.Address(
        cep=cep.zfill(8) if cep.isdigit() else cep,
        street=reading.attr(element, "logradouro"),
        number=reading.attr(element, "numero"),
        district=reading.attr(element, "bairro"),
        city=city,
        state=uf,
        complement=reading.attr(element, "complemento"),
    )


@dataclass(frozen=True)
class _Consumer:
    identity: base.Identity
    company: base.Company | None
    addresses: tuple[base.Address, ...]
    phones: tuple[str, ...]
    emails: tuple[str, ...]


def _coded(reading: Reading, element: etree._Element | None) -> base.BureauCode | None:
    """natureza-juridica / atividade-economica-*: `codigo` and SPC's own `descricao`."""
    code, description = reading.attr(element, "codigo"), reading.attr(element, "descricao")
    return base.BureauCode(code, description) if code or description else None


def _consumer(
    reading: Reading,
    consumidor: etree._Element | None,
    document: str,
    person_type: base.PersonType,
) -> _Consumer:
    r = reading
    person = child(consumidor, "consumidor-pessoa-fisica") if consumidor is not None else None
    company = child(consumidor, "consumidor-pessoa-juridica") if consumidor is not None else None
    holder = person if person is not None else company
    addresses = (
        tuple(_address(r, el) for el in children(holder, "endereco")) if holder is not None else ()
    )
    phones = (
        tuple(
            phone
            for el in children(holder)
            if local(el).startswith("telefone") or local(el) == "fax"
            for phone in (_phone(r, el),)
            if phone
        )
        if holder is not None
        else ()
    )
    emails = tuple(e for e in (r.attr(holder, "email"),) if e)
    if person is not None:
        number = r.attr(child(person, "cpf"), "numero")
        identity = base.Identity(
            name=r.attr(person, "nome"),
            document=number.zfill(11) if number.isdigit() else (number or document),
            person_type=base.PersonType.PERSON,
            birth_date=to_date(r.attr(person, "data-nascimento")),
            mother_name=r.attr(person, "nome-mae"),
            receita_situation=r.attr(child(person, "situacao-cpf"), "descricao-situacao"),
        )
        return _Consumer(identity, None, addresses, phones, emails)
    if company is not None:
        number = r.attr(child(company, "cnpj"), "numero").upper()
        situation = child(company, "situacao-cnpj")
        legal_name = r.attr(company, "razao-social")
        trade_name = r.attr(company, "nome-comercial")
        identity = base.Identity(
            name=legal_name or trade_name,
            document=number.zfill(14) if number.isdigit() else (number or document),
            person_type=base.PersonType.COMPANY,
            birth_date=to_date(r.attr(company, "data-fundacao")),
            receita_situation=r.attr(situation, "descricao-situacao"),
        )
        data = base.Company(
            trade_name=trade_name if legal_name else "",
            legal_nature=_coded(r, child(company, "natureza-juridica")),
            main_activity=_coded(r, child(company, "atividade-economica-principal")),
            secondary_activities=tuple(
                code
                for el in children(company, "atividade-economica-secundaria")
                if (code := _coded(r, el)) is not None
            ),
            capital=to_decimal(r.attr(company, "valor-capital-social")),
            situation_on=to_date(r.attr(situation, "data-situacao")),
            state_registration=r.attr(company, "inscricao-estadual"),
        )
        return _Consumer(identity, data, addresses, phones, emails)
    return _Consumer(
        base.Identity(name="", document=document, person_type=person_type), None, (), (), ()
    )


def _score(reading: Reading, block: etree._Element, name: str) -> base.Score | None:
    found = _details(block)
    detail = found[0] if found else None
    value_text = reading.attr(detail, "score", "pontuacao")
    resumo = child(block, "resumo")
    if not value_text and name == "score-cadastro-positivo" and detail is not None:
        # SPC carries this score in resumo/@quantidade-total (seen in the public samples).
        value_text = reading.attr(resumo, "quantidade-total")
    else:
        reading.take(resumo, "quantidade-total")  # 1 or 0: whether a score came
    if not value_text:
        return None
    value = to_int(value_text)
    if not 0 <= value <= 1000:
        raise base.ProviderProtocolError(f"score fora da faixa: {value}", code="malformed_value")
    return base.Score(
        value=value,
        model=SCORE_MODELS[name],
        band=reading.attr(detail, "classe", "indice-risco-credito-score", "faixa"),
        default_probability=to_decimal(reading.attr(detail, "probabilidade")),
    )


def _inquiry(reading: Reading, detail: etree._Element) -> base.Inquiry:
    city, _uf = _detail_place(reading, detail)
    return base.Inquiry(
        inquirer=reading.attr(detail, "nome-associado", "nome-entidade", "nome-entidade-origem"),
        date=to_date(reading.attr(detail, "data-consulta")),
        city=reading.attr(detail, "origem-associado") or city,
    )


def _partner(reading: Reading, detail: etree._Element) -> base.Partner:
    return base.Partner(
        name=reading.attr(detail, "nome", "razao-social"),
        document=reading.attr(detail, "documento", "cpf", "cnpj"),
        role=reading.attr(detail, "cargo", "qualificacao"),
        share=to_decimal(reading.attr(detail, "percentual-participacao")),
    )


def _take_summary(reading: Reading, block: etree._Element) -> None:
    """A block's resumo says nothing more than its details when it counts them, or when it
    counts none and sums nothing (SPC sends every insumo of the product, empty ones included)."""
    resumo = child(block, "resumo")
    if resumo is None:
        return
    listed = len(_details(block))
    if resumo.get("quantidade-total", "").strip() == str(listed):
        reading.take(resumo, "quantidade-total")
    total = resumo.get("valor-total", "").strip()
    if not listed and total and total.strip("0.,") == "":
        reading.take(resumo, "valor-total")


UNDETAILED_RESTRICTION = (
    "O SPC Brasil indica restrição para este documento, mas o produto consultado não detalha "
    "as ocorrências."
)
# Containers whose names say nothing a label needs.
_SILENT = frozenset(
    {"resultado", "consumidor", "consumidor-pessoa-fisica", "consumidor-pessoa-juridica"}
)


def _label(chain: list[str], name: str) -> str:
    parent = chain[-1] if chain else ""
    for key in (f"{parent}/{name}", name):
        if key in LABELS:
            return LABELS[key]
    shown = [
        humanize(step) for step in chain if step not in _SILENT and not step.startswith("detalhe")
    ]
    return " › ".join([*shown, humanize(name)]) if name else " › ".join(shown)


def leftovers(
    reading: Reading, element: etree._Element, path: str = "", chain: list[str] | None = None
) -> Iterator[base.Detail]:
    """Every valued attribute and text under `element` the parser did not take, labelled, with
    its path below <resultado> ("cheque-lojista/detalhe-cheque-lojista[1]/alinea/@codigo")."""
    steps = chain if chain is not None else []
    for key, value in element.attrib.items():
        shown = shown_text(value)
        if shown and (element, key) not in reading.taken:
            name = etree.QName(key).localname
            yield base.Detail(_label(steps, name), shown, f"{path}/@{name}" if path else f"@{name}")
    own = (element.text or "") + "".join(item.tail or "" for item in element)
    shown = shown_text(own)
    if shown and (element, "") not in reading.taken and steps:
        yield base.Detail(_label(steps[:-1], steps[-1]), shown, path)
    named = [(local(item), item) for item in element if local(item)]
    totals = Counter(name for name, _ in named)
    seen: Counter[str] = Counter()
    for name, item in named:
        seen[name] += 1
        step = f"{name}[{seen[name]}]" if totals[name] > 1 else name
        yield from leftovers(reading, item, f"{path}/{step}" if path else step, [*steps, name])


def parse_report(
    payload: etree._Element,
    *,
    document: str,
    person_type: base.PersonType,
    product: str,
    raw: str,
    billed: base.Billed,
) -> base.CreditReport:
    """A consultar <resultado> as a CreditReport; what it cannot map goes to other_information."""
    resultado = expect(payload, "resultado")
    reading = Reading()
    protocol = ""
    restrictions: list[base.Restriction] = []
    totals: list[base.KindTotal] = []
    scores: dict[str, base.Score] = {}
    inquiries: list[base.Inquiry] = []
    partners: list[base.Partner] = []
    messages: list[str] = []
    for block in children(resultado):
        name = local(block)
        if name == "protocolo":
            number, digit = reading.attr(block, "numero"), reading.attr(block, "digito")
            protocol = f"{number}-{digit}" if digit else number
        elif name in RESTRICTION_BLOCKS:
            found = [parse_restriction(d, name, reading) for d in _details(block)]
            restrictions.extend(found)
            totals.extend(_block_totals(reading, block, name, found))
        elif name in SCORE_MODELS:
            score = _score(reading, block, name)
            if score is not None:
                scores[name] = score
        elif name == "consulta-realizada":
            inquiries.extend(_inquiry(reading, d) for d in _details(block))
        elif name == "socio":
            partners.extend(_partner(reading, d) for d in _details(block))
        elif name == "base-inoperante" and text(block):
            messages.append(f"Base indisponível no SPC durante a consulta: {reading.text(block)}")
        elif name == "alerta-documento" and _details(block):
            messages.append("Há alerta de documento (roubo, furto ou extravio) no SPC.")
        elif name == "mensagem-base-externa":
            origin = reading.attr(block, "origem-base-externa")
            message = reading.attr(block, "mensagem-base-externa") or reading.text(block)
            if message:
                messages.append(f"{origin}: {message}" if origin else message)
        _take_summary(reading, block)
    reading.take(resultado, "restricao")  # the details and totals say it
    merged = _merge(totals)
    flagged = (resultado.get("restricao") or "").strip().lower() == "true"
    if flagged and not restrictions and not any(t.count for t in merged):
        restrictions.append(
            base.Restriction(base.RestrictionKind.OTHER, description=UNDETAILED_RESTRICTION)
        )
        merged = (base.KindTotal(base.RestrictionKind.OTHER, 1, Decimal("0"), 1),)
    score = next((scores[name] for name in SCORE_MODELS if name in scores), None)
    consumer = _consumer(reading, child(resultado, "consumidor"), document, person_type)
    return base.CreditReport(
        platform=PLATFORM,
        product=product,
        identity=consumer.identity,
        protocol=protocol,
        billed=billed,
        raw=raw,
        score=score,
        restrictions=tuple(restrictions),
        totals=merged,
        inquiries=tuple(inquiries),
        partners=tuple(partners),
        messages=tuple(messages),
        company=consumer.company,
        addresses=consumer.addresses,
        phones=consumer.phones,
        emails=consumer.emails,
        other_information=capped(list(leftovers(reading, resultado, chain=["resultado"]))),
    )
