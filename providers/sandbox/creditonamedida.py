"""Crédito na Medida sandbox: OAuth2 client-credentials token, JSON API and the PDF report.

Speaks the wire format ASSUMED by providers/creditonamedida (no public spec exists; see that
adapter's docstring). Like the real platform it has a single "production" environment: every
consult costs R$ 9,90 and every inclusion R$ 3,50, debited from a prepaid balance that starts at
R$ 300,00 per client (and again after each sandbox reset); without balance -> 402.

Tokens are signed rather than stored and expire after TOKEN_TTL seconds of real time, not of the
sandbox clock: advancing the clock by weeks to let a notice period run must not log adapters out.
A token from an earlier sandbox process is refused (the signing key is per process).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import re
import secrets
import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from providers.sandbox.creditonamedida_pdf import PdfLine, render_pdf
from providers.sandbox.render import br_date, brl, decimal_text, masked_document
from providers.sandbox.scenarios import (
    Scenario,
    ScenarioRestriction,
    Subject,
    scenario_for,
    subject_for,
)
from providers.sandbox.state import SandboxState, StoredInclusion
from providers.sandbox.wsgi import PlatformSandbox, Request, Response, json_response

PLATFORM = "creditonamedida"
TOKEN_TTL = 3600
START_BALANCE = Decimal("300.00")
CONSULT_PRICE = Decimal("9.90")
INCLUSION_PRICE = Decimal("3.50")

# client_id -> (client_secret, company name shown as creditor of its negativações)
CLIENTS = {"sandbox-client": ("sandbox-secret", "PROVEDOR SANDBOX LTDA")}


@dataclass(frozen=True)
class SandboxProduct:
    code: str
    name: str
    person_types: tuple[str, ...]
    score: bool
    payment_history: bool
    partners: bool


PRODUCTS = {
    p.code: p
    for p in (
        SandboxProduct("CNM_BASICO", "Consulta Básica", ("F", "J"), False, False, False),
        SandboxProduct(
            "CNM_COMPLETO",
            "Consulta Completa com Score e Cadastro Positivo",
            ("F", "J"),
            True,
            True,
            False,
        ),
        SandboxProduct(
            "CNM_EMPRESARIAL", "Consulta Empresarial com Sócios", ("J",), True, True, True
        ),
    )
}

INCLUSION_REASONS = {
    "01": "Mensalidade em atraso",
    "02": "Multa por quebra de contrato",
    "03": "Equipamento não devolvido",
}
REMOVAL_REASONS = {
    "01": "Pagamento da dívida",
    "02": "Renegociação / acordo",
    "03": "Inclusão indevida",
    "04": "Determinação judicial",
}

RESTRICTION_TYPES = {
    "pefin": "PEFIN",
    "refin": "REFIN",
    "spc": "SPC",
    "protesto": "PROTESTO",
    "cheque": "CCF",
    "acao": "ACAO_JUDICIAL",
    "falencia": "FALENCIA",
    "other": "OUTROS",
}
OWN_RECORD_TYPE = "NEGATIVACAO_CNM"  # debts registered through this platform's own API
STORE_CHEQUE_TYPE = "CHEQUE"  # a cheque returned to a store, apart from Bacen's CCF

INCLUSION_STATES = {"pending": "PENDENTE", "active": "ATIVA", "removed": "BAIXADA"}

_SIGNING_KEY = secrets.token_bytes(32)
_REPORTS_KEPT = 500
# consult id -> (client id, document, PDF)
_reports: OrderedDict[str, tuple[str, str, bytes]] = OrderedDict()
_reports_lock = threading.Lock()

_CONSULT_PDF = re.compile(r"^/api/v1/consultas/([^/]+)/pdf$")
_INCLUSION = re.compile(r"^/api/v1/negativacoes/([^/]+)$")


# --------------------------------------------------------------------------------------------
# Helpers


def api_error(status: int, code: str, message: str, **extra: Any) -> Response:
    return json_response({"codigo": code, "mensagem": message, **extra}, status)


def oauth_error(status: int, error: str, description: str) -> Response:
    response = json_response({"error": error, "error_description": description}, status)
    if status == 401:
        response.headers["WWW-Authenticate"] = f'Bearer error="{error}"'
    return response


def auth_failure(request: Request) -> Response:
    if request.path.rstrip("/") == "/oauth/token":
        return oauth_error(401, "invalid_client", "Client ID ou Client Secret inválidos.")
    return oauth_error(401, "invalid_token", "Token de acesso inválido ou expirado.")


def _sign(payload: bytes) -> str:
    return hmac.new(_SIGNING_KEY, payload, hashlib.sha256).hexdigest()[:40]


def issue_token(client_id: str) -> str:
    payload = f"{client_id}|{int(time.time()) + TOKEN_TTL}".encode()
    return base64.urlsafe_b64encode(payload).decode().rstrip("=") + "." + _sign(payload)


def token_client(request: Request) -> str | None:
    """The client id of a valid, unexpired bearer token, or None."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    encoded, _, signature = token.strip().partition(".")
    if scheme.lower() != "bearer" or not encoded or not signature:
        return None
    try:
        payload = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
    except (binascii.Error, ValueError):
        return None
    if not hmac.compare_digest(_sign(payload), signature):
        return None
    client_id, _, expires = payload.decode("utf-8", errors="replace").rpartition("|")
    if not expires.isdigit() or int(expires) <= time.time() or client_id not in CLIENTS:
        return None
    return client_id


def _basic_credentials(request: Request) -> tuple[str, str] | None:
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return None
    client_id, _, secret = decoded.partition(":")
    return client_id, secret


def _document(value: Any) -> str:
    return re.sub(r"[^0-9A-Za-z]", "", str(value or "")).upper()


def _br_date(iso: str) -> str:
    """The PDF's dates come from the JSON answer's ISO texts; "-" where there is none."""
    return br_date(dt.date.fromisoformat(iso[:10])) if iso else "-"


def _balance_key(client_id: str) -> str:
    return f"{PLATFORM}:{client_id}"


def _debit(state: SandboxState, client_id: str, price: Decimal) -> bool:
    """Charge `price` if the balance covers it."""
    with state.lock:
        balance = state.balances.get(_balance_key(client_id), START_BALANCE)
        if balance < price:
            return False
        state.balances[_balance_key(client_id)] = balance - price
        return True


# --------------------------------------------------------------------------------------------
# Endpoints


def _token(request: Request, state: SandboxState) -> Response:
    form = request.form()
    client_id, secret = _basic_credentials(request) or (
        form.get("client_id", ""),
        form.get("client_secret", ""),
    )
    state.record(PLATFORM, "token", document="", credential=client_id, billed=False)
    if request.method != "POST":
        return oauth_error(405, "invalid_request", "Use POST.")
    if form.get("grant_type") != "client_credentials":
        return oauth_error(400, "unsupported_grant_type", "Use grant_type=client_credentials.")
    known = CLIENTS.get(client_id)
    if known is None or not hmac.compare_digest(known[0].encode(), secret.encode()):
        return oauth_error(401, "invalid_client", "Client ID ou Client Secret inválidos.")
    return json_response(
        {"access_token": issue_token(client_id), "token_type": "Bearer", "expires_in": TOKEN_TTL}
    )


def _products() -> Response:
    return json_response(
        [
            {
                "codigo": p.code,
                "nome": p.name,
                "tipos_pessoa": list(p.person_types),
                "preco": decimal_text(CONSULT_PRICE),
            }
            for p in PRODUCTS.values()
        ]
    )


def _restriction(r: ScenarioRestriction, today: dt.date) -> dict[str, Any]:
    item: dict[str, Any] = {
        "tipo": RESTRICTION_TYPES[r.kind.value],
        "credor": r.creditor,
        "valor": decimal_text(r.amount) if r.amount is not None else None,
        "data_ocorrencia": (today - dt.timedelta(days=r.days_ago)).isoformat(),
        "contrato": r.contract,
        "cidade": r.city,
        "uf": r.state,
        "descricao": r.description,
    }
    if r.notary_office:
        item["cartorio"] = r.notary_office
    if r.court:
        item["vara"] = r.court
    if r.cheque is not None:
        if r.cheque.store:
            item["tipo"] = STORE_CHEQUE_TYPE
        item["cheque"] = {
            "banco": {"codigo": r.cheque.bank_code, "nome": r.cheque.bank_name},
            "agencia": r.cheque.agency,
            "numero": r.cheque.number,
            "alinea": r.cheque.alinea,
        }
    return item


def _restrictions(state: SandboxState, scenario: Scenario, document: str) -> list[dict[str, Any]]:
    today = state.today()
    items = [_restriction(r, today) for r in scenario.restrictions]
    items += [
        {
            "tipo": OWN_RECORD_TYPE,
            "credor": inc.creditor,
            "valor": decimal_text(inc.amount),
            "data_ocorrencia": inc.due_date.isoformat(),
            "contrato": inc.contract,
            "cidade": inc.extra.get("city", ""),
            "uf": inc.state,
            "descricao": "Negativação registrada via Crédito na Medida",
        }
        for inc in state.visible_inclusions(PLATFORM, document)
    ]
    return items


def _company(subject: Subject) -> dict[str, Any]:
    company = subject.company
    if company is None:
        return {}
    return {
        "nome_fantasia": company.trade_name,
        "data_situacao": company.situation_on.isoformat(),
        "natureza_juridica": dict(zip(("codigo", "descricao"), company.legal_nature, strict=True)),
        "cnae_principal": dict(zip(("codigo", "descricao"), company.main_activity, strict=True)),
        "capital_social": decimal_text(company.capital),
    }


def consult_payload(
    state: SandboxState, document: str, product: SandboxProduct, consult_id: str
) -> dict[str, Any]:
    """The consult answer for a document, as the platform's JSON."""
    scenario, subject = scenario_for(document), subject_for(document)
    today = state.today()
    restrictions = _restrictions(state, scenario, document)
    person = subject.person_type == "F"
    payload: dict[str, Any] = {
        "id": consult_id,
        "protocolo": f"CNM{today:%Y%m%d}{int(consult_id[:8], 16) % 10**8:08d}",
        "produto": product.code,
        "data_consulta": state.now().isoformat(),
        "documento": document,
        "tipo_pessoa": subject.person_type,
        "nome": subject.name,
        "data_nascimento" if person else "data_fundacao": subject.birth_date.isoformat(),
        "nome_mae": subject.mother_name,
        "situacao_receita": subject.receita_situation,
        **_company(subject),
        "score": None,
        "restricoes": restrictions,
        "consultas_anteriores": [
            {
                "consultante": i.inquirer,
                "data": (today - dt.timedelta(days=i.days_ago)).isoformat(),
                "cidade": i.city,
            }
            for i in scenario.inquiries
        ],
        "socios": [],
        "historico_pagamentos": None,
        "possui_restricoes": bool(restrictions),
        "pdf_url": f"/api/v1/consultas/{consult_id}/pdf" if restrictions else None,
    }
    if product.score and scenario.score is not None:
        payload["score"] = {
            "pontuacao": scenario.score,
            "faixa": scenario.score_band,
            "modelo": "CNM Score 2.0",
            "probabilidade_inadimplencia": str(scenario.default_probability or ""),
        }
    if product.payment_history and scenario.on_time_payments is not None:
        payload["historico_pagamentos"] = {
            "pagamentos_em_dia": scenario.on_time_payments,
            "pagamentos_em_atraso": scenario.late_payments,
            "compromissos_mensais": decimal_text(scenario.commitments)
            if scenario.commitments is not None
            else None,
        }
    if product.partners and not person:
        payload["socios"] = [
            {
                "nome": p.name,
                "documento": p.document,
                "qualificacao": p.role,
                "participacao": decimal_text(p.share),
            }
            for p in scenario.partners
        ]
    return payload


def report_pdf(payload: dict[str, Any], product_name: str) -> bytes:
    """The platform's formatted report of a consult, as a real PDF."""
    lines = [
        PdfLine("Crédito na Medida — Relatório de consulta", 14, bold=True),
        PdfLine(f"Protocolo: {payload['protocolo']}"),
        PdfLine(f"Data da consulta: {_br_date(payload['data_consulta'])}"),
        PdfLine(f"Produto: {product_name}"),
        PdfLine(""),
        PdfLine("Consultado", 11, bold=True),
        PdfLine(f"Nome: {payload['nome']}"),
        PdfLine(f"CPF/CNPJ: {masked_document(payload['documento'])}"),
        PdfLine(f"Situação na Receita Federal: {payload['situacao_receita']}"),
    ]
    score = payload.get("score")
    if score:
        lines.append(PdfLine(f"Score: {score['pontuacao']} (faixa {score['faixa']})"))
    restrictions = payload["restricoes"]
    lines += [PdfLine(""), PdfLine(f"Restrições ({len(restrictions)})", 11, bold=True)]
    for r in restrictions:
        lines.append(
            PdfLine(
                f"{r['tipo']} - {r['credor'] or '-'} - {_br_date(r['data_ocorrencia'])} - "
                + (brl(Decimal(r["valor"])) if r["valor"] is not None else "valor não informado")
                + (f" - contrato {r['contrato']}" if r["contrato"] else "")
            )
        )
    total = sum((Decimal(r["valor"]) for r in restrictions if r["valor"] is not None), Decimal("0"))
    lines += [
        PdfLine(f"Total: {brl(total)}", bold=True),
        PdfLine(""),
        PdfLine("Documento gerado pelo sandbox do CreditCheck; dados fictícios.", 8),
    ]
    return render_pdf(lines, title=f"Consulta {payload['protocolo']}")


def _consult(request: Request, state: SandboxState, client_id: str) -> Response:
    body = request.json()
    body = body if isinstance(body, dict) else {}
    document = _document(body.get("documento"))

    def record(billed: bool) -> None:
        state.record(PLATFORM, "consult", document=document, credential=client_id, billed=billed)

    product = PRODUCTS.get(str(body.get("produto") or ""))
    person_type = str(body.get("tipo_pessoa") or "")
    if not document or person_type not in ("F", "J") or not body.get("produto"):
        record(False)
        return api_error(400, "REQUISICAO_INVALIDA", "Informe produto, documento e tipo_pessoa.")
    scenario = scenario_for(document)
    expected_type = {11: "F", 14: "J"}.get(len(document))
    if scenario.error == "invalid_document" or person_type != expected_type:
        record(False)
        return api_error(422, "DOCUMENTO_INVALIDO", "CPF/CNPJ inválido.")
    if product is None:
        record(False)
        return api_error(403, "PRODUTO_NAO_CONTRATADO", "Produto não contratado por este cliente.")
    if person_type not in product.person_types:
        record(False)
        return api_error(
            422,
            "TIPO_PESSOA_INCOMPATIVEL",
            f"O produto {product.code} não atende este tipo de pessoa.",
        )
    if scenario.error == "platform_error":
        record(False)
        return api_error(500, "ERRO_INTERNO", "Erro interno ao processar a consulta.")
    if not _debit(state, client_id, CONSULT_PRICE):
        record(False)
        return api_error(402, "SALDO_INSUFICIENTE", "Saldo insuficiente para a consulta.")
    record(True)
    consult_id = uuid.uuid4().hex
    payload = consult_payload(state, document, product, consult_id)
    if payload["possui_restricoes"]:
        pdf = report_pdf(payload, product.name)
        with _reports_lock:
            _reports[consult_id] = (client_id, document, pdf)
            while len(_reports) > _REPORTS_KEPT:
                _reports.popitem(last=False)
    return json_response(payload)


def _consult_pdf(consult_id: str, state: SandboxState, client_id: str) -> Response:
    with _reports_lock:
        stored = _reports.get(consult_id)
    if stored is not None and stored[0] != client_id:
        stored = None  # another client's consult does not exist for this one
    document = stored[1] if stored else ""
    state.record(PLATFORM, "consult_pdf", document=document, credential=client_id, billed=False)
    if stored is None:
        return api_error(404, "CONSULTA_NAO_ENCONTRADA", "Consulta sem relatório em PDF.")
    return Response(
        200,
        stored[2],
        "application/pdf",
        {"Content-Disposition": f'inline; filename="consulta-{consult_id}.pdf"'},
    )


def _parse_inclusion(body: Any) -> dict[str, Any] | None:
    """The inclusion fields, validated and converted; None when something is missing."""
    if not isinstance(body, dict) or not isinstance(body.get("endereco"), dict):
        return None
    try:
        fields: dict[str, Any] = {
            "document": _document(body.get("documento")),
            "person_type": str(body["tipo_pessoa"]),
            "name": str(body["nome"]).strip(),
            "uf": str(body["endereco"]["uf"]).strip().upper(),
            "city": str(body["endereco"].get("cidade", "")).strip(),
            "contract": str(body["contrato"]).strip(),
            "our_number": str(body.get("nosso_numero", "")).strip(),
            "purchase_date": str(body.get("data_compra", "")),
            "due_date": dt.date.fromisoformat(str(body["data_vencimento"])),
            "amount": Decimal(str(body["valor"])),
            "reason": str(body.get("motivo") or ""),
        }
    except (KeyError, ValueError, InvalidOperation):
        return None
    required = ("document", "name", "uf", "contract")
    if any(not fields[name] for name in required) or fields["person_type"] not in ("F", "J"):
        return None
    if not fields["amount"].is_finite() or fields["amount"] <= 0:
        return None
    return fields


def _include(request: Request, state: SandboxState, client_id: str) -> Response:
    body = request.json()
    fields = _parse_inclusion(body)
    document = (
        fields["document"]
        if fields
        else _document(body.get("documento") if isinstance(body, dict) else "")
    )

    def record(billed: bool) -> None:
        state.record(PLATFORM, "include", document=document, credential=client_id, billed=billed)

    if fields is None:
        record(False)
        return api_error(400, "REQUISICAO_INVALIDA", "Dados da negativação incompletos.")
    scenario = scenario_for(document)
    if (
        scenario.error == "invalid_document"
        or {11: "F", 14: "J"}.get(len(document)) != fields["person_type"]
    ):
        record(False)
        return api_error(422, "DOCUMENTO_INVALIDO", "CPF/CNPJ do devedor inválido.")
    if scenario.error == "platform_error":
        record(False)
        return api_error(500, "ERRO_INTERNO", "Erro interno ao registrar a negativação.")
    if fields["reason"] not in INCLUSION_REASONS:
        record(False)
        return api_error(422, "MOTIVO_INVALIDO", "Motivo de inclusão desconhecido.")
    existing = state.find_inclusion(
        PLATFORM, document=document, contract=fields["contract"], due_date=fields["due_date"]
    )
    if existing is not None:
        record(False)
        return api_error(
            409,
            "NEGATIVACAO_DUPLICADA",
            "Já existe negativação para este documento, contrato e vencimento.",
            id=existing.id,
            situacao=INCLUSION_STATES[existing.status(state.now())],
        )
    if not _debit(state, client_id, INCLUSION_PRICE):
        record(False)
        return api_error(402, "SALDO_INSUFICIENTE", "Saldo insuficiente para a negativação.")
    record(True)
    now = state.now()
    inclusion = StoredInclusion(
        platform=PLATFORM,
        id=state.new_id(PLATFORM),
        document=document,
        person_type=fields["person_type"],
        name=fields["name"],
        contract=fields["contract"],
        our_number=fields["our_number"],
        due_date=fields["due_date"],
        amount=fields["amount"],
        creditor=CLIENTS[client_id][1],
        state=fields["uf"],
        reason_code=fields["reason"],
        included_at=now,
        visible_at=now + dt.timedelta(days=state.notice_days(fields["uf"])),
        extra={
            "client_id": client_id,
            "city": fields["city"],
            "purchase_date": fields["purchase_date"],
        },
    )
    state.add_inclusion(inclusion)
    return json_response(
        {
            "id": inclusion.id,
            "situacao": "PENDENTE",
            "mensagem": "Negativação recebida; o devedor será notificado por carta comunicado.",
        },
        201,
    )


def _inclusion_record(inclusion: StoredInclusion, state: SandboxState) -> dict[str, Any]:
    return {
        "id": inclusion.id,
        "situacao": INCLUSION_STATES[inclusion.status(state.now())],
        "documento": inclusion.document,
        "contrato": inclusion.contract,
        "nosso_numero": inclusion.our_number,
        "data_vencimento": inclusion.due_date.isoformat(),
        "valor": decimal_text(inclusion.amount),
        "data_inclusao": inclusion.included_at.isoformat(),
        "data_disponibilizacao": inclusion.visible_at.isoformat(),
        "data_baixa": inclusion.removed_at.isoformat() if inclusion.removed_at else None,
        "motivo_baixa": inclusion.removal_reason or None,
    }


def _inclusion(request: Request, state: SandboxState, client_id: str, platform_id: str) -> Response:
    operation = "remove" if request.method == "DELETE" else "inclusion_status"
    inclusion = state.inclusion_by_id(PLATFORM, platform_id)
    if inclusion is not None and inclusion.extra.get("client_id") != client_id:
        inclusion = None  # another client's record does not exist for this one
    state.record(
        PLATFORM,
        operation,
        document=inclusion.document if inclusion else "",
        credential=client_id,
        billed=False,
    )
    if inclusion is None:
        return api_error(404, "NEGATIVACAO_NAO_ENCONTRADA", "Negativação não encontrada.")
    if request.method == "GET":
        return json_response(_inclusion_record(inclusion, state))
    body = request.json()
    reason = str(body.get("motivo_baixa") or "") if isinstance(body, dict) else ""
    if reason not in REMOVAL_REASONS:
        return api_error(422, "MOTIVO_INVALIDO", "Motivo de baixa desconhecido.")
    with state.lock:
        # Removing again is harmless: the first baixa stands (assumed idempotent).
        if inclusion.removed_at is None:
            inclusion.removed_at = state.now()
            inclusion.removal_reason = reason
    return json_response(
        {**_inclusion_record(inclusion, state), "mensagem": "Negativação baixada."}
    )


def _reasons(reasons: dict[str, str]) -> Response:
    return json_response([{"codigo": code, "descricao": text} for code, text in reasons.items()])


def handle(request: Request, state: SandboxState) -> Response:
    path, method = request.path.rstrip("/") or "/", request.method
    if path == "/oauth/token":
        return _token(request, state)
    client_id = token_client(request)
    if client_id is None:
        state.record(PLATFORM, "unauthorized", document="", credential="", billed=False)
        return auth_failure(request)
    simple = {
        "/api/v1/produtos": ("products", _products),
        "/api/v1/motivos-inclusao": ("inclusion_reasons", lambda: _reasons(INCLUSION_REASONS)),
        "/api/v1/motivos-baixa": ("removal_reasons", lambda: _reasons(REMOVAL_REASONS)),
        "/api/v1/saldo": (
            "balance",
            lambda: json_response(
                {"saldo": decimal_text(state.balances.get(_balance_key(client_id), START_BALANCE))}
            ),
        ),
    }
    if path in simple and method == "GET":
        operation, render = simple[path]
        state.record(PLATFORM, operation, document="", credential=client_id, billed=False)
        return render()
    if path == "/api/v1/consultas" and method == "POST":
        return _consult(request, state, client_id)
    if path == "/api/v1/negativacoes" and method == "POST":
        return _include(request, state, client_id)
    match = _CONSULT_PDF.match(path)
    if match and method == "GET":
        return _consult_pdf(match.group(1), state, client_id)
    match = _INCLUSION.match(path)
    if match and method in ("GET", "DELETE"):
        return _inclusion(request, state, client_id, match.group(1))
    state.record(PLATFORM, "unknown", document="", credential=client_id, billed=False)
    return api_error(404, "RECURSO_NAO_ENCONTRADO", f"{method} {path} não existe.")


SANDBOX = PlatformSandbox(
    key=PLATFORM,
    handle=handle,
    auth_failure=auth_failure,
    credentials={"client_id": "sandbox-client", "client_secret": "sandbox-secret"},
)
