"""Response side of SOA WebServices: pure functions from a decoded payload to base dataclasses.

Payloads are read case-insensitively (keys lower-cased first) so the v2 camelCase answers and the
.ashx PascalCase ones go through the same code. Values are read tolerantly: padded strings are
stripped, numbers may come as JSON numbers or "1.234,56" strings, dates as ISO or dd/mm/aaaa,
missing blocks are empty. The only failure these functions raise is ProviderProtocolError.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from providers import base
from providers.bureau_codes import BACEN_ALINEAS, SERASA_MODALITIES, bureau_code
from providers.http import json_object
from providers.parsing import (
    answer,
    capped,
    details,
    lower_keys,
    plausible_amount,
    take,
    untaken,
)

# Platform times are Brazilian local time without an offset (São Paulo has had no DST since 2019).
BRAZIL = dt.timezone(dt.timedelta(hours=-3), "BRT")

# dadosNegativos blocks, lower-cased. v2 names confirmed for the first two (homologation echo);
# the others follow the Concentre SOAP generation's block names in camelCase (ASSUMED).
# Serasa has no SPC records: nothing maps to RestrictionKind.SPC.
BLOCK_KINDS: Mapping[str, base.RestrictionKind] = {
    "pendenciasfinanceiras": base.RestrictionKind.PEFIN,
    "restricoesfinanceiras": base.RestrictionKind.REFIN,
    "protestos": base.RestrictionKind.PROTESTO,
    "acoesjudiciais": base.RestrictionKind.ACAO,
    "chequessemfundo": base.RestrictionKind.CHEQUE,
    "pendenciasbacen": base.RestrictionKind.CHEQUE,
    "participacoesfalencias": base.RestrictionKind.FALENCIA,
    "pendenciasinternas": base.RestrictionKind.OTHER,
}

# Detail fields differ per block; the first non-empty alias wins.
_CREDITOR = ("credor", "nomecredor", "autor", "nomeautor")
_CONTRACT = ("contrato", "numeroprocesso", "processo")
_DESCRIPTION = ("descricao", "tipo", "tipoacao")
_LAWSUIT_DESCRIPTION = ("natureza", "naturezadescricao", *_DESCRIPTION)
_LAWSUITS = frozenset({base.RestrictionKind.ACAO, base.RestrictionKind.FALENCIA})
_CITY = ("cidade", "praca")
_STATE = ("uf", "estado")
_DATE = ("dataocorrencia", "dataprotesto", "dataultimocheque", "datainclusao")

# Labels of what may land in "Outras informações" (keys lower-cased, "parent/key" first).
LABELS: Mapping[str, str] = {
    "rendapresumida": "Renda presumida",
    "sexo": "Sexo",
    "dataconsultarfb": "Data da consulta à Receita Federal",
    "motivosituacaorfb": "Motivo da situação na Receita Federal",
    "datamotivoespecialsituacaorfb": "Data do motivo especial da situação",
    "codigomensagem": "Código da mensagem",
    "cadus": "CADUS",
}
SITUATIONS: Mapping[str, base.InclusionState] = {
    "pendente": base.InclusionState.PENDING,
    "ativa": base.InclusionState.ACTIVE,
    "baixada": base.InclusionState.REMOVED,
    "erro": base.InclusionState.ERROR,
    "indisponivel": base.InclusionState.ERROR,
    "indiponivel": base.InclusionState.ERROR,  # sic, as in the SOAP enum
}


# --------------------------------------------------------------------------------------------
# Tolerant readers


def decode(content: bytes, *, billed: base.Billed = base.Billed.NO) -> dict[str, Any]:
    """The JSON object of an answer, numbers with a fraction kept as Decimal."""
    return json_object(content, billed=billed, parse_float=Decimal)


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _objs(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _text(value: Any) -> str:
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return str(value)
    return ""


def _first(item: Mapping[str, Any], names: Iterable[str]) -> str:
    for name in names:
        text = _text(item.get(name))
        if text:
            return text
    return ""


def _money(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(str(value))
    elif isinstance(value, str) and value.strip():
        text = value.strip().replace("R$", "").strip()
        if "," in text:  # Brazilian format: 1.234,56
            text = text.replace(".", "").replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            return None
    else:
        return None
    return number if plausible_amount(number) else None


def _int(value: Any) -> int | None:
    number = _money(value)
    # Counts and scores are small; a huge exponent would only cost time to turn into an int.
    if number is None or abs(number) > 10**12 or number != number.to_integral_value():
        return None
    return int(number)


def _date(value: Any) -> dt.date | None:
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        if "/" in text:
            parsed = dt.datetime.strptime(text[:10], "%d/%m/%Y").date()
        else:
            parsed = dt.date.fromisoformat(text[:10])
    except ValueError:
        return None
    return None if parsed.year == 1 else parsed  # .NET's DateTime.MinValue means "no date"


def _datetime(value: Any) -> dt.datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        day = _date(value)
        if day is None:
            return None
        parsed = dt.datetime(day.year, day.month, day.day)
    if parsed.year == 1:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=BRAZIL)


def _messages(*values: Any) -> tuple[str, ...]:
    texts = [_text(value) for value in values]
    return tuple(dict.fromkeys(text for text in texts if text))


def _lowered(payload: Mapping[str, Any]) -> dict[str, Any]:
    lowered = lower_keys(dict(payload))
    if not isinstance(lowered, dict):  # lower_keys keeps a dict a dict; this guards mypy only
        raise base.ProviderProtocolError("resposta JSON não é um objeto", code="malformed_json")
    return lowered


def _transaction_message(data: Mapping[str, Any]) -> str:
    return _text(_obj(data.get("transacao")).get("codigostatusdescricao"))


# --------------------------------------------------------------------------------------------
# Consult


def _identity_block(data: Mapping[str, Any]) -> tuple[Mapping[str, Any], base.PersonType | None]:
    synthesis = _obj(data.get("sintesecadastral"))
    person = _obj(synthesis.get("pessoafisica"))
    if person:
        return person, base.PersonType.PERSON
    company = _obj(synthesis.get("pessoajuridica"))
    if company:
        return company, base.PersonType.COMPANY
    # The .ashx generation and the SOAP Concentre put the identity at the top level instead.
    return synthesis or data, None


def _identity(
    block: Mapping[str, Any], *, document: str, person_type: base.PersonType
) -> base.Identity:
    return base.Identity(
        name=_first(block, ("nome", "razaosocial")),
        document=_text(block.get("documento")) or document,
        person_type=person_type,
        birth_date=_date(block.get("datanascimento")) or _date(block.get("datafundacao")),
        mother_name=_text(block.get("nomemae")),
        receita_situation=_first(
            block, ("situacaodescricaorfb", "situacaorfb", "situacaoreceita", "situacao")
        ),
    )


def _code(item: Mapping[str, Any], name: str) -> base.BureauCode | None:
    """`codigoX` with its `codigoXDescricao` (the PessoaJuridicaNFe spelling)."""
    code, description = _text(item.get(name)), _text(item.get(f"{name}descricao"))
    return base.BureauCode(code, description) if code or description else None


def _company(block: Mapping[str, Any]) -> base.Company:
    return base.Company(
        trade_name=_text(block.get("nomefantasia")),
        legal_nature=_code(block, "codigonaturezajuridica"),
        main_activity=_code(block, "codigoatividadeeconomica"),
        secondary_activities=tuple(
            code
            for item in _objs(block.get("cnaes"))
            if (code := _code(item, "codigo")) is not None
        ),
        capital=_money(block.get("capital")) or _money(block.get("capitalsocial")),
        situation_on=_date(block.get("datasituacaorfb")),
        state_registration=_text(block.get("inscricaoestadual")),
        headquarters=_text(block.get("matrizfilial")),
    )


def _contacts(
    block: Mapping[str, Any],
) -> tuple[tuple[base.Address, ...], tuple[str, ...], tuple[str, ...]]:
    addresses = tuple(
        base.Address(
            cep=_text(item.get("cep")),
            street=_text(item.get("logradouro")),
            number=_text(item.get("numero")),
            district=_text(item.get("bairro")),
            city=_text(item.get("cidade")),
            state=_text(item.get("estado")) or _text(item.get("uf")),
            complement=_text(item.get("complemento")),
        )
        for item in _objs(block.get("enderecos"))
    )
    phones = [_text(item.get("numero")) for item in _objs(block.get("telefones"))]
    phones.append(_text(block.get("telefone")))
    emails = [_text(item.get("email")) for item in _objs(block.get("emails"))]
    emails.append(_text(block.get("email")))
    return addresses, tuple(p for p in phones if p), tuple(e for e in emails if e)


def _bank(item: Mapping[str, Any]) -> str:
    code, name = _text(item.get("banco")), _text(item.get("nomebanco"))
    return " - ".join(p for p in (code.zfill(3) if code.isdigit() else code, name) if p)


def _nature(item: Mapping[str, Any]) -> base.BureauCode | None:
    """Serasa's modalidade (or natureza) of a pending item, with its description."""
    for name in ("modalidade", "natureza"):
        code = _text(item.get(name))
        if code:
            return bureau_code(code, SERASA_MODALITIES, _text(item.get(f"{name}descricao")))
    return None


def _restriction(kind: base.RestrictionKind, item: Mapping[str, Any]) -> base.Restriction:
    lawsuit = kind in _LAWSUITS  # a lawsuit's natureza is the kind of action
    alinea = _text(item.get("alinea")) or _text(item.get("motivo"))
    dispute = _obj(item.get("disputa")).get("indicadordisputa")
    principal = item.get("principal")
    return base.Restriction(
        kind=kind,
        creditor=_first(item, _CREDITOR),
        amount=_money(item.get("valor")),
        occurred_on=next((day for day in (_date(item.get(name)) for name in _DATE) if day), None),
        contract=_first(item, _CONTRACT),
        city=_first(item, _CITY),
        state=_first(item, _STATE),
        description=_first(item, _LAWSUIT_DESCRIPTION if lawsuit else _DESCRIPTION),
        bank=_bank(item),
        agency=_text(item.get("agencia")),
        account=_text(item.get("contacorrente")),
        cheque_number=_text(item.get("numerocheque")),
        alinea=bureau_code(alinea, BACEN_ALINEAS),
        nature=None if lawsuit else _nature(item),
        notary_office=_text(item.get("cartorio")),
        court=_text(item.get("vara")),
        details=details(
            ("Quantidade de cheques", item.get("quantidade") or item.get("quantidadeccfbanco")),
            ("Devedor principal", principal if isinstance(principal, bool) else None),
            ("Em disputa judicial", dispute if isinstance(dispute, bool) else None),
            ("Sub judice", _text(item.get("subjudicedescricao")) or item.get("subjudice")),
            ("Data de inclusão", _text(item.get("datahorainclusao"))),
            ("Origem", _text(item.get("origem"))),
            ("Sigla", _text(item.get("sigla"))),
            ("Tipo de anotação", _text(item.get("tipoanotacao"))),
            ("Documento do credor", _text(item.get("documentocredor"))),
            ("Data da carta", _text(item.get("datacarta"))),
        ),
    )


def _negatives(
    data: Mapping[str, Any],
) -> tuple[tuple[base.Restriction, ...], tuple[base.KindTotal, ...]]:
    """Restrictions and the platform's own per-kind totals (from each block's `resumo`)."""
    negatives = _obj(data.get("dadosnegativos"))
    restrictions: list[base.Restriction] = []
    counts: dict[base.RestrictionKind, int] = {}
    amounts: dict[base.RestrictionKind, Decimal] = {}
    unvalued: dict[base.RestrictionKind, int] = {}
    for name, kind in BLOCK_KINDS.items():
        block = _obj(negatives.get(name))
        if not block:
            continue
        items = [_restriction(kind, item) for item in _objs(block.get("detalhes"))]
        restrictions.extend(items)
        summary = _obj(block.get("resumo"))
        count = _int(summary.get("totalocorrencias"))
        amount = _money(summary.get("valortotal"))
        if count is None:
            count = len(items)
        missing = sum(1 for r in items if r.amount is None)
        if not items and not amount:
            missing = count  # a count without details and without a total: no value known
        if amount is None:
            amount = sum((r.amount or Decimal("0") for r in items), Decimal("0"))
        counts[kind] = counts.get(kind, 0) + count
        amounts[kind] = amounts.get(kind, Decimal("0")) + amount
        unvalued[kind] = unvalued.get(kind, 0) + missing
    summary = _obj(negatives.get("resumo"))
    if _int(dict(summary).get("totalocorrencias")) == sum(counts.values()):  # peeked, not taken
        take(summary, "totalocorrencias", "valortotal")  # the sum of the blocks above
    totals = tuple(
        base.KindTotal(kind, counts[kind], amounts[kind], unvalued[kind])
        for kind in base.RestrictionKind
        if counts.get(kind, 0) > 0
    )
    return tuple(restrictions), totals


def _score(data: Mapping[str, Any]) -> base.Score | None:
    block = _obj(_obj(data.get("informacoesadicionais")).get("score")) or _obj(
        data.get("riskscore")
    )
    value = _int(block.get("pontuacao"))
    if value is None or not 0 <= value <= 1000:
        return None
    probability = _money(block.get("probabilidadeinadimplencia"))
    if probability is None:
        probability = _money(block.get("percentualinadimplentes"))
    return base.Score(
        value=value,
        model=_text(block.get("modelo")),
        band=_first(block, ("faixa", "classe")),
        default_probability=probability,
    )


def _inquiries(data: Mapping[str, Any]) -> tuple[base.Inquiry, ...]:
    block = _obj(_obj(data.get("outrasinformacoes")).get("registroconsultas"))
    items = _objs(block.get("detalhes"))
    inquiries = []
    for item in items:
        day = _date(item.get("dataconsulta"))
        if day is not None:
            take(item, "quantidadedias")  # the days since the date above
        inquiries.append(
            base.Inquiry(
                inquirer=_first(item, ("consultante", "nomeconsultante", "razaosocial", "nome")),
                date=day,
                city=_first(item, _CITY),
            )
        )
    summary = _obj(block.get("resumo"))
    if _int(dict(summary).get("totalconsultas")) == len(items):  # peeked, not taken
        take(summary, "totalconsultas")
    return tuple(inquiries)


def _partners(data: Mapping[str, Any]) -> tuple[base.Partner, ...]:
    qsa = _obj(data.get("qsa"))
    partners = [
        base.Partner(
            name=_text(item.get("nome")),
            document=_text(item.get("documento")),
            role=_first(item, ("cargo", "qualificacao")) or default_role,
            share=_money(item.get("participacao")),
        )
        for group, default_role in (("socios", "Sócio"), ("administradores", "Administrador"))
        for item in _objs(qsa.get(group))
    ]
    return tuple(p for p in partners if p.name)


def parse_report(
    payload: Mapping[str, Any],
    *,
    platform: str,
    product: str,
    document: str,
    person_type: base.PersonType,
    billed: base.Billed,
    raw: str,
) -> base.CreditReport:
    """A CreditReport from a successful CredNet/Concentre answer (transacao already checked);
    what it cannot map goes to other_information."""
    data = answer(dict(payload), str.lower)
    # Read by the adapter before parsing (codes.transaction_error), or the request's echo.
    take(data, "transacao", "status", "documento")
    restrictions, totals = _negatives(data)
    negatives = _obj(data.get("dadosnegativos"))
    score_block = _obj(_obj(data.get("informacoesadicionais")).get("score"))
    peeked = dict(score_block)  # a plain copy: reading it takes nothing
    if peeked.get("mensagem") or peeked.get("codigomensagem") == 0:
        take(score_block, "codigomensagem")  # the code of the message shown, or of none
    block, found_type = _identity_block(data)
    addresses, phones, emails = _contacts(block)
    person = found_type or person_type
    return base.CreditReport(
        platform=platform,
        product=product,
        identity=_identity(block, document=document, person_type=person),
        protocol=_text(data.get("protocolo")),
        billed=billed,
        raw=raw,
        score=_score(data),
        restrictions=restrictions,
        totals=totals,
        inquiries=_inquiries(data),
        partners=_partners(data),
        messages=_messages(
            _obj(negatives.get("resumo")).get("mensagem"),
            score_block.get("mensagem"),
            data.get("mensagem"),
        ),
        company=_company(block) if person is base.PersonType.COMPANY else None,
        addresses=addresses,
        phones=phones,
        emails=emails,
        other_information=capped(list(untaken(data, LABELS))),
    )


# --------------------------------------------------------------------------------------------
# Negativações and administration


def _unique_id(data: Mapping[str, Any]) -> str:
    unique_id = _text(data.get("uniqueid"))
    if not unique_id:
        raise base.ProviderProtocolError("resposta sem uniqueID", code="missing_unique_id")
    return unique_id


def _situation(
    data: Mapping[str, Any], default: base.InclusionState | None = None
) -> base.InclusionState:
    text = _text(data.get("situacao")).lower()
    state = SITUATIONS.get(text.replace("í", "i"), default)
    if state is None:
        raise base.ProviderProtocolError(
            f"situação desconhecida: {text or '-'}", code="unknown_situation"
        )
    return state


def parse_inclusion(
    payload: Mapping[str, Any], *, billed: base.Billed, raw: str, duplicate: bool = False
) -> base.InclusionReceipt:
    """Receipt of an Inserir answer; a fresh inclusion starts Pendente when no situação comes."""
    data = _lowered(payload)
    return base.InclusionReceipt(
        platform_id=_unique_id(data),
        state=_situation(data, base.InclusionState.PENDING),
        billed=billed,
        raw=raw,
        duplicate=duplicate,
        messages=_messages(_transaction_message(data), data.get("mensagem")),
    )


def parse_removal(payload: Mapping[str, Any], *, raw: str) -> base.RemovalReceipt:
    """Receipt of an Excluir answer (the echoed record plus dataHoraExclusao)."""
    data = _lowered(payload)
    return base.RemovalReceipt(
        platform_id=_unique_id(data),
        removed_at=_datetime(data.get("datahoraexclusao")),
        raw=raw,
        messages=_messages(data.get("baixadescricao"), data.get("mensagem")),
    )


def _status(data: Mapping[str, Any], raw: str) -> base.InclusionStatus:
    return base.InclusionStatus(
        platform_id=_unique_id(data),
        state=_situation(data),
        raw=raw,
        messages=_messages(data.get("mensagem")),
    )


def parse_status(payload: Mapping[str, Any], *, raw: str) -> base.InclusionStatus:
    """Status of one record from a Consulta answer."""
    return _status(_lowered(payload), raw)


def parse_list(payload: Mapping[str, Any]) -> tuple[base.InclusionStatus, ...]:
    """The records of a Lista answer; each keeps its own item as raw JSON."""
    data = _lowered(payload)
    return tuple(
        _status(item, json.dumps(item, ensure_ascii=False, default=str))
        for item in _objs(data.get("negativacoes"))
    )


def parse_reasons(payload: Mapping[str, Any]) -> tuple[base.ReasonCode, ...]:
    """A CodigosRestricoes/CodigosBaixa lookup table."""
    data = _lowered(payload)
    reasons = (
        base.ReasonCode(code=_text(item.get("codigo")), description=_text(item.get("descricao")))
        for item in _objs(data.get("codigos"))
    )
    return tuple(reason for reason in reasons if reason.code)


def parse_balance(payload: Mapping[str, Any]) -> base.Balance:
    data = _lowered(payload)
    amount = _money(data.get("saldo"))
    if amount is None:
        raise base.ProviderProtocolError("resposta sem saldo", code="missing_saldo")
    return base.Balance(amount=amount, unit="BRL")
