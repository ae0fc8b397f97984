"""Pure functions from Mercúrio JSON payloads to the base dataclasses and errors.

Values are read with the tolerant readers of values.py; what cannot be read raises
ProviderProtocolError.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from providers import base
from providers.bureau_codes import BACEN_ALINEAS, bureau_code
from providers.connectsa.values import (
    block,
    br_date,
    br_datetime,
    count,
    document_number,
    fold,
    get,
    money,
    optional_count,
    percent,
    rows,
    text,
    unreadable,
)
from providers.connectsa.wire import Code
from providers.http import json_object
from providers.parsing import answer, capped, take, totals_from_restrictions, untaken

PLATFORM = "connectsa"

K = base.RestrictionKind
# resultado.quadroResumoConsta.registros keys. CCFBACEN, PEFIND, PEFINV, PENDINTERNAS and
# PROTESTO are confirmed (a public client generated from a CREDNET_LIGHT sample); the meaning of
# the D/V suffix of the two PEFIN sub-bases is not public, both are PEFIN. The others are assumed.
REGISTRY_KINDS: Mapping[str, base.RestrictionKind] = {
    "PEFIND": K.PEFIN,
    "PEFINV": K.PEFIN,
    "PEFIN": K.PEFIN,
    "REFIN": K.REFIN,
    "SPC": K.SPC,
    "PROTESTO": K.PROTESTO,
    "CCFBACEN": K.CHEQUE,
    "CHEQUE": K.CHEQUE,
    "ACAO": K.ACAO,
    "FALENCIA": K.FALENCIA,
    "PENDINTERNAS": K.OTHER,  # the client's own internal records at Serasa
}
# Detail lists under `resultado` (all assumed: no public payload shows them).
DETAIL_LISTS: tuple[tuple[str, base.RestrictionKind], ...] = (
    ("pefin", K.PEFIN),
    ("refin", K.REFIN),
    ("spc", K.SPC),
    ("protestos", K.PROTESTO),
    ("chequesSemFundo", K.CHEQUE),
    ("acoesJudiciais", K.ACAO),
    ("falencias", K.FALENCIA),
    ("pendenciasInternas", K.OTHER),
)
INCLUSION_STATES: Mapping[str, base.InclusionState] = {
    "PENDENTE": base.InclusionState.PENDING,
    "ATIVA": base.InclusionState.ACTIVE,
    "BAIXADA": base.InclusionState.REMOVED,
    "ERRO": base.InclusionState.ERROR,
    "REJEITADA": base.InclusionState.ERROR,
}

# --------------------------------------------------------------------------------------------
# Envelope and errors


def load(content: bytes, *, billed: base.Billed) -> Mapping[str, Any]:
    """The JSON object of a response. `billed` is what a failure here means for billing."""
    return json_object(content, billed=billed, source="resposta da ConnectSA")


@dataclass(frozen=True)
class Status:
    ok: bool
    code: str  # status.codigo (assumed field)
    message: str  # status.mensagem
    answer: str  # status.descricaoCodigoResposta: "Nada Consta" | "Constam Restrições"
    protocol: str


def read_status(payload: Mapping[str, Any]) -> Status:
    status = block(payload, "status")
    message = text(get(status, "mensagem"))
    if not message:
        raise base.ProviderProtocolError(
            "resposta da ConnectSA sem status.mensagem", code="no_status"
        )
    return Status(
        ok=fold(message) == "sucesso",  # confirmed: "Sucesso", anything else is an error text
        code=text(get(status, "codigo")),
        message=message,
        answer=text(get(status, "descricaoCodigoResposta")),
        protocol=text(get(status, "protocolo")),
    )


class Category(enum.StrEnum):
    AUTH = "auth"
    INVALID_DOCUMENT = "invalid_document"
    PRODUCT = "product"
    DUPLICATE = "duplicate"
    NOT_FOUND = "not_found"
    ALREADY_REMOVED = "already_removed"
    UNAVAILABLE = "unavailable"
    REJECTED = "rejected"


CODE_CATEGORIES: Mapping[str, Category] = {
    Code.AUTH: Category.AUTH,
    Code.INVALID_DOCUMENT: Category.INVALID_DOCUMENT,
    Code.DOCUMENT_TYPE: Category.INVALID_DOCUMENT,
    Code.PRODUCT_NOT_ALLOWED: Category.PRODUCT,
    Code.PRODUCT_PERSON_TYPE: Category.PRODUCT,
    Code.REJECTED_FIELD: Category.REJECTED,
    Code.DUPLICATE: Category.DUPLICATE,
    Code.NOT_FOUND: Category.NOT_FOUND,
    Code.PROTOCOL_NOT_FOUND: Category.NOT_FOUND,
    Code.ALREADY_REMOVED: Category.ALREADY_REMOVED,
    Code.INTERNAL: Category.UNAVAILABLE,
}
# When the code is missing or unknown, the (folded) text decides; credentials words go first so
# that "Usuário não encontrado" is an authentication failure, not a missing record.
TEXT_CATEGORIES: tuple[tuple[str, Category], ...] = (
    ("senha", Category.AUTH),
    ("usuario", Category.AUTH),
    ("apikey", Category.AUTH),
    ("idclient", Category.AUTH),
    ("ja baixada", Category.ALREADY_REMOVED),
    ("ja exist", Category.DUPLICATE),
    ("nao encontrad", Category.NOT_FOUND),
    ("documento invalido", Category.INVALID_DOCUMENT),
    ("cpf invalido", Category.INVALID_DOCUMENT),
    ("cnpj invalido", Category.INVALID_DOCUMENT),
    ("tipo de documento", Category.INVALID_DOCUMENT),
    ("nao liberad", Category.PRODUCT),
    ("somente para pessoa", Category.PRODUCT),
    ("erro interno", Category.UNAVAILABLE),
    ("tente novamente", Category.UNAVAILABLE),
    ("indisponivel", Category.UNAVAILABLE),
)

CONSULT_AUTH_MESSAGE = (
    "A ConnectSA recusou as credenciais de consulta da filial (usuário, senha, ID do cliente ou "
    "apikey). Verifique-as em Configurações > Integrações."
)
PEFIN_AUTH_MESSAGE = (
    "A ConnectSA recusou o usuário/senha PEFIN (negativação) da filial. Verifique-os em "
    "Configurações > Integrações."
)


def categorize(status: Status) -> Category:
    if status.code in CODE_CATEGORIES:
        return CODE_CATEGORIES[status.code]
    folded = fold(status.message)
    for needle, category in TEXT_CATEGORIES:
        if needle in folded:
            return category
    return Category.REJECTED


def error_for(status: Status, *, pefin: bool = False) -> base.ProviderError:
    """The base error for a status.mensagem other than "Sucesso" (the call was not billed)."""
    category = categorize(status)
    code, message = status.code, status.message
    if category is Category.AUTH:
        user = PEFIN_AUTH_MESSAGE if pefin else CONSULT_AUTH_MESSAGE
        return base.AuthenticationFailed(message, code=code, user_message=user)
    if category is Category.INVALID_DOCUMENT:
        return base.InvalidDocument(message, code=code)
    if category is Category.PRODUCT:
        user = f"A ConnectSA não liberou este produto para a filial: {message}."
        return base.ProductNotAllowed(message, code=code, user_message=user)
    if category is Category.DUPLICATE:
        return base.DuplicateRecord(message, code=code)
    if category is Category.NOT_FOUND:
        return base.RecordNotFound(message, code=code)
    if category is Category.UNAVAILABLE:
        return base.ProviderUnavailable(message, code=code)
    return base.ProviderError(
        message, code=code, user_message=f"A ConnectSA recusou a operação: {message}."
    )


# --------------------------------------------------------------------------------------------
# Consult


def _bank(item: Mapping[str, Any]) -> str:
    code, name = text(get(item, "banco")), text(get(item, "nomeBanco"))
    return " - ".join(p for p in (code.zfill(3) if code.isdigit() else code, name) if p)


def _restriction(item: Mapping[str, Any], kind: base.RestrictionKind) -> base.Restriction:
    return base.Restriction(
        kind=kind,
        creditor=text(get(item, "credor")),
        amount=money(get(item, "valor")),
        occurred_on=br_date(get(item, "dataOcorrencia")),
        contract=text(get(item, "contrato")),
        city=text(get(item, "cidade")),
        state=text(get(item, "uf")),
        description=text(get(item, "natureza")),
        bank=_bank(item),
        agency=text(get(item, "agencia")),
        cheque_number=text(get(item, "numeroCheque")),
        alinea=bureau_code(text(get(item, "alinea")), BACEN_ALINEAS),
        notary_office=text(get(item, "cartorio")),
        court=text(get(item, "vara")),
    )


# A registry's summary of its occurrences, which the details list again one by one.
_REGISTRY_SUMMARY = ("dataMaisAntigo", "dataMaisRecente", "nomeMaisRecente", "periodo")


def _totals(
    summary: Mapping[str, Any], restrictions: tuple[base.Restriction, ...]
) -> tuple[base.KindTotal, ...]:
    """Count and amount per kind from quadroResumoConsta.registros, in RestrictionKind order;
    the occurrences without an amount counted from the details (all of them when a registry
    counts occurrences it neither details nor sums)."""
    registries = block(summary, "registros")
    detailed = {r.kind for r in restrictions}
    sums: dict[base.RestrictionKind, tuple[int, Decimal]] = {}
    for key, entry in registries.items():
        if not isinstance(entry, Mapping):
            continue
        kind = REGISTRY_KINDS.get(text(key).upper(), K.OTHER)
        take(entry, "nomeRegistro")  # the kind's own label names it
        if kind in detailed:
            take(entry, *_REGISTRY_SUMMARY)
        quantity = count(get(entry, "quantidade"))
        amount = money(get(entry, "valorTotal")) or Decimal("0")
        if quantity:
            before_count, before_amount = sums.get(kind, (0, Decimal("0")))
            sums[kind] = (before_count + quantity, before_amount + amount)
    result = []
    for kind in base.RestrictionKind:
        if kind not in sums:
            continue
        quantity, amount = sums[kind]
        items = [r for r in restrictions if r.kind is kind]
        unvalued = sum(1 for r in items if r.amount is None)
        if not items and not amount:
            unvalued = quantity
        result.append(base.KindTotal(kind, quantity, amount, unvalued))
    peeked = get(dict(summary), "quantidadeTotalOcorrencias")  # a plain copy: not taken
    if text(peeked) == str(sum(t.count for t in result)):
        take(summary, "quantidadeTotalOcorrencias")  # the sum of the registries
    return tuple(result)


def _coded(value: Any) -> base.BureauCode | None:
    """ "2062 - SOCIEDADE EMPRESARIA LIMITADA" -> code and description."""
    shown = text(value)
    if not shown:
        return None
    code, _, description = shown.partition(" - ")
    return base.BureauCode(code.strip(), description.strip())


def _company(identification: Mapping[str, Any]) -> base.Company:
    return base.Company(
        trade_name=text(get(identification, "nomeFantasia")),
        legal_nature=_coded(get(identification, "naturezaJuridica")),
        main_activity=_coded(get(identification, "cnaePrincipal")),
        capital=money(get(identification, "capitalSocial")),
        situation_on=br_date(get(identification, "dataSituacao")),
    )


def _alerts(summary: Mapping[str, Any]) -> list[str]:
    registries = block(summary, "registros")
    found = (text(get(e, "alerta")) for e in registries.values() if isinstance(e, Mapping))
    return [alert for alert in found if alert]


def _score(result: Mapping[str, Any]) -> base.Score | None:
    data = block(result, "score")
    value = optional_count(get(data, "pontuacao"))
    if value is None:
        return None
    if value > 1000:
        raise unreadable("score", value)
    return base.Score(
        value=value,
        model=text(get(data, "modelo")),
        band=text(get(data, "faixa")),
        default_probability=percent(get(data, "probabilidade")),
    )


def _payment_history(result: Mapping[str, Any]) -> base.PaymentHistory | None:
    data = block(result, "historicoPagamentos")
    if not data:
        return None
    return base.PaymentHistory(
        on_time_payments=optional_count(get(data, "pagamentosEmDia")),
        late_payments=optional_count(get(data, "pagamentosEmAtraso")),
        commitments=money(get(data, "compromissosMensais")),
        description=text(get(data, "descricao")),
    )


def parse_report(
    payload: Mapping[str, Any],
    *,
    product: str,
    request: base.ConsultRequest,
    billed: base.Billed,
    raw: str,
) -> base.CreditReport:
    """A successful ws_consulta JSON answer as a CreditReport (without the HTML document); what
    it cannot map goes to other_information."""
    payload = answer(dict(payload))
    status = read_status(payload)
    entry = block(payload, "entrada")
    result = block(payload, "resultado")
    identification = block(result, "identificacao")
    restrictions = tuple(
        _restriction(item, kind) for name, kind in DETAIL_LISTS for item in rows(result, name)
    )
    summary = get(result, "quadroResumoConsta")
    if isinstance(summary, Mapping):
        totals = _totals(summary, restrictions)
        alerts = _alerts(summary)
    else:
        totals, alerts = totals_from_restrictions(restrictions), []
    birth = get(identification, "dataNascimento") or get(identification, "dataFundacao")
    messages = [status.answer] if status.answer else []
    name, listed_name = text(get(entry, "nomeConsultado")), text(get(identification, "nome"))
    company = request.person_type is base.PersonType.COMPANY
    return base.CreditReport(
        platform=PLATFORM,
        product=product,
        identity=base.Identity(
            name=name or listed_name,
            document=document_number(get(entry, "documentoConsultado")) or request.document,
            person_type=request.person_type,
            birth_date=br_date(birth),
            mother_name=text(get(identification, "nomeMae")),
            receita_situation=text(get(identification, "situacaoReceita")),
        ),
        protocol=status.protocol,
        billed=billed,
        raw=raw,
        score=_score(result),
        restrictions=restrictions,
        totals=totals,
        inquiries=tuple(
            base.Inquiry(
                inquirer=text(get(item, "consultante")),
                date=br_date(get(item, "data")),
                city=text(get(item, "cidade")),
            )
            for item in rows(result, "consultasAnteriores")
        ),
        partners=tuple(
            base.Partner(
                name=text(get(item, "nome")),
                document=document_number(get(item, "documento")),
                role=text(get(item, "cargo")),
                share=percent(get(item, "participacao")),
            )
            for item in rows(result, "socios")
        ),
        payment_history=_payment_history(result),
        messages=tuple(messages + alerts),
        company=_company(identification) if company else None,
        other_information=capped(list(untaken(payload, {}))),
    )


# --------------------------------------------------------------------------------------------
# Catalogues


def _person_types(value: str) -> tuple[base.PersonType, ...]:
    wanted = tuple(t for t in base.PersonType if t.value in value.upper())
    return wanted or (base.PersonType.PERSON, base.PersonType.COMPANY)


def parse_products(payload: Mapping[str, Any]) -> tuple[base.Product, ...]:
    return tuple(
        base.Product(
            code=text(get(item, "codigo")),
            name=text(get(item, "descricao")) or text(get(item, "codigo")),
            person_types=_person_types(text(get(item, "tipoDocumento"))),
        )
        for item in rows(payload, "produtos")
        if text(get(item, "codigo"))
    )


def parse_reasons(payload: Mapping[str, Any]) -> tuple[base.ReasonCode, ...]:
    return tuple(
        base.ReasonCode(code=text(get(item, "codigo")), description=text(get(item, "descricao")))
        for item in rows(payload, "motivos")
        if text(get(item, "codigo"))
    )


# --------------------------------------------------------------------------------------------
# PEFIN records


@dataclass(frozen=True)
class Negativacao:
    id: str
    state: base.InclusionState
    removed_at: dt.datetime | None


def find_negativacao(payload: Mapping[str, Any]) -> Negativacao | None:
    """The `negativacao` block of a ws_pefin answer, or None when it has none or no id."""
    data = block(payload, "negativacao")
    record_id = text(get(data, "idNegativacao"))
    if not record_id:
        return None
    situation = text(get(data, "situacao")).upper()
    if situation not in INCLUSION_STATES:
        raise unreadable("situação da negativação", situation)
    return Negativacao(
        id=record_id,
        state=INCLUSION_STATES[situation],
        removed_at=br_datetime(get(data, "dataBaixa")),
    )


def read_negativacao(payload: Mapping[str, Any]) -> Negativacao:
    record = find_negativacao(payload)
    if record is None:
        raise base.ProviderProtocolError(
            "resposta PEFIN sem negativacao.idNegativacao", code="no_record"
        )
    return record
