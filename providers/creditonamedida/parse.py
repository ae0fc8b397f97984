"""Crédito na Medida payloads -> contract types. Pure functions, no I/O.

Every shape read here is ASSUMED (see the module docstring of providers.creditonamedida.adapter).
Readers are lenient where a vendor is likely to drift (camelCase/PascalCase keys, padded strings,
numbers sent as strings with either decimal separator, dates with or without a time) and strict
where a wrong guess would mislead (a missing protocol, a score that is not a number): those raise
ProviderProtocolError, never KeyError or TypeError, so any payload is safe to feed in.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from providers import base
from providers.bureau_codes import BACEN_ALINEAS, bureau_code
from providers.parsing import (
    answer,
    capped,
    json_answer_problem,
    plausible_amount,
    take,
    totals_from_restrictions,
    untaken,
)

PLATFORM = "creditonamedida"

# Labels of what may land in "Outras informações" (snake_case keys).
LABELS: dict[str, str] = {"data_consulta": "Data e hora da consulta"}

RESTRICTION_KINDS: dict[str, base.RestrictionKind] = {
    "PEFIN": base.RestrictionKind.PEFIN,
    "REFIN": base.RestrictionKind.REFIN,
    "SPC": base.RestrictionKind.SPC,
    "PROTESTO": base.RestrictionKind.PROTESTO,
    "CCF": base.RestrictionKind.CHEQUE,
    "CHEQUE": base.RestrictionKind.CHEQUE,
    "CHEQUE_SEM_FUNDO": base.RestrictionKind.CHEQUE,
    "ACAO": base.RestrictionKind.ACAO,
    "ACAO_JUDICIAL": base.RestrictionKind.ACAO,
    "FALENCIA": base.RestrictionKind.FALENCIA,
    "RECUPERACAO_JUDICIAL": base.RestrictionKind.FALENCIA,
}

INCLUSION_STATES: dict[str, base.InclusionState] = {
    "PENDENTE": base.InclusionState.PENDING,
    "ATIVA": base.InclusionState.ACTIVE,
    "BAIXADA": base.InclusionState.REMOVED,
}

_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


class Malformed(base.ProviderProtocolError):
    """A readable JSON payload whose shape is not the one the adapter expects."""

    def __init__(self, what: str) -> None:
        super().__init__(f"resposta inesperada da plataforma: {what}", code="unexpected_payload")


# --------------------------------------------------------------------------------------------
# Scalar readers


def snake_keys(value: Any) -> Any:
    """The payload with every key in snake_case, recursively (camelCase/PascalCase tolerated)."""
    problem = json_answer_problem(value)
    if problem:
        raise Malformed(problem)
    return _snake_keys(value)


def _snake(key: str) -> str:
    return _CAMEL_BOUNDARY.sub("_", key.strip()).lower()


def _snake_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {_snake(str(key)): _snake_keys(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_snake_keys(item) for item in value]
    return value


def tracked_answer(value: Any) -> Any:
    """Like snake_keys, each object an Answer that records what the parser reads."""
    problem = json_answer_problem(value)
    if problem:
        raise Malformed(problem)
    return answer(value, _snake)


def _object(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Malformed(f"{what} não é um objeto")
    return value


def _items(value: Any, what: str) -> list[dict[str, Any]]:
    """A list of objects; null or absent counts as empty."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise Malformed(f"{what} não é uma lista")
    return [_object(item, what) for item in value]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool | dict | list):
        shape = "dict" if isinstance(value, dict) else type(value).__name__  # an Answer is a dict
        raise Malformed(f"valor textual inválido: {shape}")
    return str(value).strip()


def _money(value: Any) -> Decimal | None:
    """R$ amounts: 1234.56, "1234.56", "1.234,56", "R$ 1.234,56"; blank -> None."""
    if isinstance(value, bool):
        raise Malformed("valor monetário booleano")
    if isinstance(value, int | float):
        value = str(value)
    text = _text(value).removeprefix("R$").strip()
    if not text:
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise Malformed(f"valor monetário inválido: {text[:20]!r}") from None
    if not amount.is_finite():
        raise Malformed("valor monetário não finito")
    if not plausible_amount(amount):
        raise Malformed(f"valor monetário fora da faixa: {text[:20]!r}")
    return amount


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        raise Malformed("número inteiro booleano")
    if isinstance(value, int):
        return value
    text = _text(value)
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise Malformed(f"número inteiro inválido: {text[:20]!r}") from None


def _date(value: Any) -> dt.date | None:
    """ISO dates (with or without a time part) or dd/mm/yyyy; blank -> None."""
    text = _text(value)
    if not text:
        return None
    try:
        if re.fullmatch(r"\d{2}/\d{2}/\d{4}", text):
            return dt.datetime.strptime(text, "%d/%m/%Y").date()
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise Malformed(f"data inválida: {text[:30]!r}") from None


def _datetime(value: Any) -> dt.datetime | None:
    text = _text(value)
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise Malformed(f"data/hora inválida: {text[:30]!r}") from None
    # The platform is Brazilian: a naive time is São Paulo time (UTC-3, no DST since 2019).
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone(dt.timedelta(hours=-3)))


def _person_type(value: Any, fallback: base.PersonType) -> base.PersonType:
    text = _text(value).upper()
    return base.PersonType(text) if text in ("F", "J") else fallback


# --------------------------------------------------------------------------------------------
# Responses


def parse_token(payload: Any) -> tuple[str, float]:
    """(access_token, expires_in seconds) of the OAuth2 token response."""
    data = snake_keys(_object(payload, "token"))
    token = _text(data.get("access_token"))
    if not token:
        raise Malformed("token sem access_token")
    token_type = _text(data.get("token_type")) or "Bearer"
    if token_type.lower() != "bearer":
        raise Malformed(f"tipo de token não suportado: {token_type[:20]!r}")
    expires_in = _int(data.get("expires_in"))
    # Absent lifetime: assume a short one so a stale token is replaced early rather than late.
    return token, float(expires_in if expires_in is not None and expires_in > 0 else 300)


def parse_products(payload: Any) -> tuple[base.Product, ...]:
    products = []
    for item in _items(snake_keys(payload), "produtos"):
        code = _text(item.get("codigo"))
        if not code:
            raise Malformed("produto sem código")
        types = tuple(
            base.PersonType(t)
            for t in (_text(v).upper() for v in _plain_list(item.get("tipos_pessoa")))
            if t in ("F", "J")
        )
        products.append(
            base.Product(
                code=code,
                name=_text(item.get("nome")) or code,
                person_types=types or (base.PersonType.PERSON, base.PersonType.COMPANY),
            )
        )
    return tuple(products)


def _plain_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise Malformed("lista esperada")
    return value


def parse_reasons(payload: Any) -> tuple[base.ReasonCode, ...]:
    reasons = []
    for item in _items(snake_keys(payload), "motivos"):
        code = _text(item.get("codigo"))
        if not code:
            raise Malformed("motivo sem código")
        reasons.append(base.ReasonCode(code=code, description=_text(item.get("descricao"))))
    return tuple(reasons)


def parse_balance(payload: Any) -> base.Balance:
    amount = _money(snake_keys(_object(payload, "saldo")).get("saldo"))
    if amount is None:
        raise Malformed("saldo ausente")
    return base.Balance(amount=amount, unit="BRL")


def consult_pdf_wanted(payload: Any) -> tuple[str, bool]:
    """(consult id, whether the platform has a PDF report for it: only with restrictions)."""
    data = snake_keys(_object(payload, "consulta"))
    return _text(data.get("id")), data.get("possui_restricoes") is True


def parse_consult(
    payload: Any,
    *,
    raw: str,
    product: str,
    document: str,
    person_type: base.PersonType,
    billed: base.Billed,
) -> base.CreditReport:
    """The consult JSON as a CreditReport (without the PDF, which comes from another call); what
    it cannot map goes to other_information."""
    data = tracked_answer(_object(payload, "consulta"))
    # Read by the adapter (consult_pdf_wanted) to fetch the PDF of the consult.
    take(data, "id", "possui_restricoes", "pdf_url")
    protocol = _text(data.get("protocolo")) or _text(data.get("id"))
    if not protocol:
        raise Malformed("consulta sem protocolo")
    kind_of_person = _person_type(data.get("tipo_pessoa"), person_type)
    identity = base.Identity(
        name=_text(data.get("nome")),
        document=_text(data.get("documento")).upper() or document,
        person_type=kind_of_person,
        birth_date=_date(data.get("data_nascimento") or data.get("data_fundacao")),
        mother_name=_text(data.get("nome_mae")),
        receita_situation=_text(data.get("situacao_receita")),
    )
    restrictions = tuple(
        _restriction(item) for item in _items(data.get("restricoes"), "restricoes")
    )
    messages = tuple(m for m in (_text(v) for v in _plain_list(data.get("mensagens"))) if m)
    return base.CreditReport(
        platform=PLATFORM,
        product=_text(data.get("produto")) or product,
        identity=identity,
        protocol=protocol,
        billed=billed,
        raw=raw,
        score=_score(data.get("score")),
        restrictions=restrictions,
        totals=totals_from_restrictions(restrictions),
        inquiries=tuple(
            base.Inquiry(
                inquirer=_text(item.get("consultante")),
                date=_date(item.get("data")),
                city=_text(item.get("cidade")),
            )
            for item in _items(data.get("consultas_anteriores"), "consultas_anteriores")
        ),
        partners=tuple(
            base.Partner(
                name=_text(item.get("nome")),
                document=_text(item.get("documento")).upper(),
                role=_text(item.get("qualificacao")),
                share=_money(item.get("participacao")),
            )
            for item in _items(data.get("socios"), "socios")
        ),
        payment_history=_payment_history(data.get("historico_pagamentos")),
        messages=messages,
        company=_company(data) if kind_of_person is base.PersonType.COMPANY else None,
        other_information=capped(list(untaken(data, LABELS))),
    )


def _code(value: Any, what: str) -> base.BureauCode | None:
    if value is None or value == {}:
        return None
    item = _object(value, what)
    code, description = _text(item.get("codigo")), _text(item.get("descricao"))
    return base.BureauCode(code, description) if code or description else None


def _company(data: dict[str, Any]) -> base.Company:
    return base.Company(
        trade_name=_text(data.get("nome_fantasia")),
        legal_nature=_code(data.get("natureza_juridica"), "natureza_juridica"),
        main_activity=_code(data.get("cnae_principal"), "cnae_principal"),
        capital=_money(data.get("capital_social")),
        situation_on=_date(data.get("data_situacao")),
    )


def _bank(cheque: dict[str, Any]) -> str:
    bank = cheque.get("banco")
    if bank is None or bank == {}:
        return ""
    data = _object(bank, "banco")
    code, name = _text(data.get("codigo")), _text(data.get("nome"))
    return " - ".join(p for p in (code.zfill(3) if code.isdigit() else code, name) if p)


def _restriction(item: dict[str, Any]) -> base.Restriction:
    kind_code = _text(item.get("tipo")).upper()
    cheque = item.get("cheque")
    cheque = {} if cheque is None else _object(cheque, "cheque")
    return base.Restriction(
        kind=RESTRICTION_KINDS.get(kind_code, base.RestrictionKind.OTHER),
        creditor=_text(item.get("credor")),
        amount=_money(item.get("valor")),
        occurred_on=_date(item.get("data_ocorrencia")),
        contract=_text(item.get("contrato")),
        city=_text(item.get("cidade")),
        state=_text(item.get("uf")).upper(),
        description=_text(item.get("descricao")),
        bank=_bank(cheque),
        agency=_text(cheque.get("agencia")),
        cheque_number=_text(cheque.get("numero")),
        alinea=bureau_code(_text(cheque.get("alinea")), BACEN_ALINEAS),
        notary_office=_text(item.get("cartorio")),
        court=_text(item.get("vara")),
    )


def _score(value: Any) -> base.Score | None:
    if value is None or value == {}:
        return None
    data = _object(value, "score")
    points = _int(data.get("pontuacao"))
    if points is None:
        return None
    if not 0 <= points <= 1000:
        raise Malformed(f"score fora da faixa 0-1000: {points}")
    return base.Score(
        value=points,
        model=_text(data.get("modelo")),
        band=_text(data.get("faixa")),
        default_probability=_money(data.get("probabilidade_inadimplencia")),
    )


def _payment_history(value: Any) -> base.PaymentHistory | None:
    if value is None or value == {}:
        return None
    data = _object(value, "historico_pagamentos")
    return base.PaymentHistory(
        on_time_payments=_int(data.get("pagamentos_em_dia")),
        late_payments=_int(data.get("pagamentos_em_atraso")),
        commitments=_money(data.get("compromissos_mensais")),
        description=_text(data.get("descricao")),
    )


def _inclusion_state(value: Any) -> base.InclusionState:
    return INCLUSION_STATES.get(_text(value).upper(), base.InclusionState.ERROR)


def parse_inclusion(payload: Any) -> tuple[str, base.InclusionState, tuple[str, ...]]:
    """(platform id, state, messages) of an inclusion answer (201, or 409 for a duplicate)."""
    data = snake_keys(_object(payload, "negativacao"))
    platform_id = _text(data.get("id"))
    if not platform_id:
        raise Malformed("negativação sem id")
    message = _text(data.get("mensagem"))
    return platform_id, _inclusion_state(data.get("situacao")), (message,) if message else ()


def parse_status(payload: Any, *, raw: str) -> base.InclusionStatus:
    platform_id, state, messages = parse_inclusion(payload)
    return base.InclusionStatus(platform_id=platform_id, state=state, raw=raw, messages=messages)


def parse_removal(payload: Any, *, raw: str) -> base.RemovalReceipt:
    data = snake_keys(_object(payload, "baixa"))
    platform_id = _text(data.get("id"))
    if not platform_id:
        raise Malformed("baixa sem id")
    if _text(data.get("situacao")).upper() != "BAIXADA":
        raise Malformed(f"baixa com situação {_text(data.get('situacao'))[:20]!r}")
    message = _text(data.get("mensagem"))
    return base.RemovalReceipt(
        platform_id=platform_id,
        removed_at=_datetime(data.get("data_baixa")),
        raw=raw,
        messages=(message,) if message else (),
    )


# --------------------------------------------------------------------------------------------
# Errors


def _error_body(content: bytes) -> dict[str, Any] | None:
    """The error answer's object with snake_case keys; None when it cannot be read as one."""
    try:
        body = json.loads(content)
        return snake_keys(body) if isinstance(body, dict) else None
    except (ValueError, RecursionError, Malformed):  # RecursionError: nested thousands deep
        return None


def error_for_response(
    status: int, content: bytes, *, billed: base.Billed = base.Billed.NO
) -> base.ProviderError:
    """The contract error for a non-success answer of the platform.

    OAuth errors carry {error, error_description}; API errors {codigo, mensagem} (both ASSUMED).
    """
    if status >= 500:
        details = _error_body(content) or {}
        return base.ProviderUnavailable(
            _text(details.get("mensagem")) or f"HTTP {status}",
            code=_text(details.get("codigo")) or f"http_{status}",
            billed=billed,
        )
    body = _error_body(content)
    if body is None:
        return base.ProviderProtocolError(
            f"resposta de erro ilegível (HTTP {status})", code=f"http_{status}", billed=billed
        )
    if status == 401:
        code = _text(body.get("error")) or "invalid_token"
        message = _text(body.get("error_description"))
        if code == "invalid_client":
            return base.AuthenticationFailed(message, code=code, billed=billed)
        return base.AuthenticationFailed(
            message,
            code=code,
            billed=billed,
            user_message="A plataforma recusou o token de acesso da integração. Tente novamente; "
            "se o erro persistir, verifique Client ID e Client Secret em "
            "Configurações > Integrações.",
        )
    code = _text(body.get("codigo")) or _text(body.get("error")) or f"http_{status}"
    message = _text(body.get("mensagem")) or _text(body.get("error_description"))
    if status == 402:
        return base.InsufficientBalance(message, code=code, billed=billed)
    if status == 403:
        return base.ProductNotAllowed(message, code=code, billed=billed)
    if status == 404:
        return base.RecordNotFound(message, code=code, billed=billed)
    if status == 409:
        return base.DuplicateRecord(message, code=code, billed=billed)
    if status == 422 and code == "DOCUMENTO_INVALIDO":
        return base.InvalidDocument(message, code=code, billed=billed)
    if status == 422 and code == "TIPO_PESSOA_INCOMPATIVEL":
        return base.ProductNotAllowed(
            message,
            code=code,
            billed=billed,
            user_message="Este produto da Crédito na Medida não atende este tipo de pessoa "
            "(CPF/CNPJ).",
        )
    if status == 422:
        return base.ProviderError(
            message,
            code=code,
            billed=billed,
            user_message=f"A plataforma recusou os dados enviados: {message or code}",
        )
    return base.ProviderProtocolError(message or f"HTTP {status}", code=code, billed=billed)
