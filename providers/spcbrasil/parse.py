"""SPC Brasil payloads → the contract's dataclasses. Pure functions, no I/O.

Everything is looked up by local name (prefixes and namespaces vary between SPC environments) and
every value is stripped (SPC pads some, e.g. comarca names with trailing spaces). A payload that
cannot be read raises ProviderProtocolError, never anything else.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from lxml import etree

from providers import base
from providers.http import parse_xml
from providers.parsing import plausible_amount

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
    "data-emissao",
    "data-inclusao",
)
_CREDITOR = (
    "nome-associado",
    "nome-credor",
    "requerente-credor",
    "nome-autor",
    "nome-banco",
    "nome-entidade",
)
_CONTRACT = ("contrato", "numero-contrato", "numero-processo")
_PLACES = ("cidade", "cidade-associado", "comarca")
_FALENCIA_WORDS = ("FALENCIA", "RECUPERACAO JUDICIAL", "CONCORDATA")
_PAYMENT_DATA_WORDS = frozenset({"PEFIN", "REFIN"})


def _place(detail: etree._Element) -> tuple[str, str]:
    """City and UF of a detail, nested (cartorio/cidade/estado, vara/comarca/estado) or flat."""
    city = next(
        (attr(el, "nome") for el in detail.iter() if local(el) in _PLACES and attr(el, "nome")), ""
    ) or attr(detail, "cidade-associado", "cidade")
    uf = next(
        (
            attr(el, "sigla-uf")
            for el in detail.iter()
            if local(el) == "estado" and attr(el, "sigla-uf")
        ),
        "",
    ) or attr(detail, "uf", "sigla-uf")
    return city, uf


def _description(detail: etree._Element, block: str) -> str:
    kind_of_action = child(detail, "tipo-acao")
    if kind_of_action is not None:
        return attr(kind_of_action, "descricao") or text(kind_of_action)
    if block == "ccf" and attr(detail, "motivo"):
        return f"Cheque sem fundo - motivo {attr(detail, 'motivo')}"
    return attr(detail, "descricao", "titulo-ocorrencia")


def _detail_kind(detail: etree._Element, block: str, description: str) -> base.RestrictionKind:
    if block == "pendencia-financeira":
        # Banks' restrictions (REFIN) and other creditors' (PEFIN) share this block.
        source = _plain(attr(detail, "origem") + " " + attr(detail, "titulo-ocorrencia"))
        return base.RestrictionKind.REFIN if "REFIN" in source else base.RestrictionKind.PEFIN
    if block == "acao" and any(word in _plain(description) for word in _FALENCIA_WORDS):
        return base.RestrictionKind.FALENCIA
    return RESTRICTION_BLOCKS[block]


def parse_restriction(detail: etree._Element, block: str) -> base.Restriction:
    description = _description(detail, block)
    creditor = attr(detail, *_CREDITOR)
    if not creditor:
        holder = child(detail, "cartorio")
        origin = attr(detail, "origem")
        office = attr(holder, "nome")
        creditor = (f"Cartório {office}" if office.isdigit() else office) or (
            origin if _plain(origin) not in _PAYMENT_DATA_WORDS else ""
        )
    city, uf = _place(detail)
    return base.Restriction(
        kind=_detail_kind(detail, block, description),
        creditor=creditor,
        amount=to_decimal(attr(detail, *_AMOUNT)),
        occurred_on=to_date(attr(detail, *_DATE)),
        contract=attr(detail, *_CONTRACT),
        city=city,
        state=uf,
        description=description,
    )


def _details(block: etree._Element) -> list[etree._Element]:
    return [el for el in children(block) if local(el).startswith("detalhe")]


def _block_totals(
    block: etree._Element, name: str, details: list[base.Restriction]
) -> list[base.KindTotal]:
    """SPC's own resumo when the block holds one kind; per-kind sums when it mixes kinds."""
    kinds = {r.kind for r in details}
    if len(kinds) > 1:
        return [
            base.KindTotal(
                kind,
                sum(1 for r in details if r.kind is kind),
                sum((r.amount or Decimal("0") for r in details if r.kind is kind), Decimal("0")),
            )
            for kind in base.RestrictionKind
            if kind in kinds
        ]
    resumo = child(block, "resumo")
    count = to_int(attr(resumo, "quantidade-total")) if resumo is not None else len(details)
    count = max(count, len(details))
    amount = to_decimal(attr(resumo, "valor-total"))
    if amount is None:
        amount = sum((r.amount or Decimal("0") for r in details), Decimal("0"))
    kind = kinds.pop() if kinds else RESTRICTION_BLOCKS[name]
    return [base.KindTotal(kind, count, amount)] if count else []


def _merge(totals: list[base.KindTotal]) -> tuple[base.KindTotal, ...]:
    merged: dict[base.RestrictionKind, base.KindTotal] = {}
    for total in totals:
        seen = merged.get(total.kind)
        merged[total.kind] = (
            total
            if seen is None
            else base.KindTotal(total.kind, seen.count + total.count, seen.amount + total.amount)
        )
    return tuple(merged[kind] for kind in base.RestrictionKind if kind in merged)


def _identity(
    consumidor: etree._Element | None, document: str, person_type: base.PersonType
) -> base.Identity:
    person = child(consumidor, "consumidor-pessoa-fisica") if consumidor is not None else None
    company = child(consumidor, "consumidor-pessoa-juridica") if consumidor is not None else None
    if person is not None:
        number = attr(child(person, "cpf"), "numero")
        return base.Identity(
            name=attr(person, "nome"),
            document=number.zfill(11) if number.isdigit() else (number or document),
            person_type=base.PersonType.PERSON,
            birth_date=to_date(attr(person, "data-nascimento")),
            mother_name=attr(person, "nome-mae"),
            receita_situation=attr(child(person, "situacao-cpf"), "descricao-situacao"),
        )
    if company is not None:
        number = attr(child(company, "cnpj"), "numero").upper()
        return base.Identity(
            name=attr(company, "razao-social", "nome-comercial"),
            document=number.zfill(14) if number.isdigit() else (number or document),
            person_type=base.PersonType.COMPANY,
            birth_date=to_date(attr(company, "data-fundacao")),
            receita_situation=attr(child(company, "situacao-cnpj"), "descricao-situacao"),
        )
    return base.Identity(name="", document=document, person_type=person_type)


def _score(block: etree._Element, name: str) -> base.Score | None:
    details = _details(block)
    detail = details[0] if details else None
    value_text = attr(detail, "score", "pontuacao")
    if not value_text and name == "score-cadastro-positivo" and detail is not None:
        # SPC carries this score in resumo/@quantidade-total (seen in the public samples).
        value_text = attr(child(block, "resumo"), "quantidade-total")
    if not value_text:
        return None
    value = to_int(value_text)
    if not 0 <= value <= 1000:
        raise base.ProviderProtocolError(f"score fora da faixa: {value}", code="malformed_value")
    return base.Score(
        value=value,
        model=SCORE_MODELS[name],
        band=attr(detail, "classe", "indice-risco-credito-score", "faixa"),
        default_probability=to_decimal(attr(detail, "probabilidade")),
    )


def _inquiry(detail: etree._Element) -> base.Inquiry:
    city, _uf = _place(detail)
    return base.Inquiry(
        inquirer=attr(detail, "nome-associado", "nome-entidade"),
        date=to_date(attr(detail, "data-consulta")),
        city=attr(detail, "origem-associado") or city,
    )


def _partner(detail: etree._Element) -> base.Partner:
    return base.Partner(
        name=attr(detail, "nome"),
        document=attr(detail, "documento", "cpf", "cnpj"),
        role=attr(detail, "cargo", "qualificacao"),
        share=to_decimal(attr(detail, "percentual-participacao")),
    )


UNDETAILED_RESTRICTION = (
    "O SPC Brasil indica restrição para este documento, mas o produto consultado não detalha "
    "as ocorrências."
)


def parse_report(
    payload: etree._Element,
    *,
    document: str,
    person_type: base.PersonType,
    product: str,
    raw: str,
    billed: base.Billed,
) -> base.CreditReport:
    """A consultar <resultado> as a CreditReport."""
    resultado = expect(payload, "resultado")
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
            number, digit = attr(block, "numero"), attr(block, "digito")
            protocol = f"{number}-{digit}" if digit else number
        elif name in RESTRICTION_BLOCKS:
            found = [parse_restriction(d, name) for d in _details(block)]
            restrictions.extend(found)
            totals.extend(_block_totals(block, name, found))
        elif name in SCORE_MODELS:
            score = _score(block, name)
            if score is not None:
                scores[name] = score
        elif name == "consulta-realizada":
            inquiries.extend(_inquiry(d) for d in _details(block))
        elif name == "socio":
            partners.extend(_partner(d) for d in _details(block))
        elif name == "base-inoperante" and text(block):
            messages.append(f"Base indisponível no SPC durante a consulta: {text(block)}")
        elif name == "alerta-documento" and _details(block):
            messages.append("Há alerta de documento (roubo, furto ou extravio) no SPC.")
    merged = _merge(totals)
    flagged = attr(resultado, "restricao").lower() == "true"
    if flagged and not restrictions and not any(t.count for t in merged):
        restrictions.append(
            base.Restriction(base.RestrictionKind.OTHER, description=UNDETAILED_RESTRICTION)
        )
        merged = (base.KindTotal(base.RestrictionKind.OTHER, 1, Decimal("0")),)
    score = next((scores[name] for name in SCORE_MODELS if name in scores), None)
    return base.CreditReport(
        platform=PLATFORM,
        product=product,
        identity=_identity(child(resultado, "consumidor"), document, person_type),
        protocol=protocol,
        billed=billed,
        raw=raw,
        score=score,
        restrictions=tuple(restrictions),
        totals=merged,
        inquiries=tuple(inquiries),
        partners=tuple(partners),
        messages=tuple(messages),
    )
