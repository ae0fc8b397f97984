"""Sandbox of Connect S.A. "Mercúrio": ws_consulta (JSON and HTML), ws_produtos, ws_pefin.

Speaks the wire protocol described in providers/connectsa/adapter.py (which parts are confirmed
and which assumed is listed there): form POSTs answered with HTTP 200 and a `status` block whose
`mensagem` is "Sucesso" or an error text; `estatica=S` gives a canned, free answer; the HTML
report of an existing protocol is served free; PEFIN inclusions show up in later consults (as
PEFIN, at every Serasa platform) once the notice period of the debtor's state has passed.
Field names are spelt out here on purpose rather than imported from the adapter: the sandbox
plays the platform, and a typo on one side must make the tests fail.
"""

from __future__ import annotations

import collections
import datetime as dt
import html
import secrets
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from providers.base import RestrictionKind
from providers.sandbox.render import (
    br_date,
    br_datetime,
    br_percent,
    brasilia,
    brl,
    masked_document,
)
from providers.sandbox.scenarios import Scenario, is_valid_document, scenario_for, subject_for
from providers.sandbox.state import SandboxState, ShownRestriction, StoredInclusion
from providers.sandbox.wsgi import PlatformSandbox, Request, Response, json_response

KEY = "connectsa"
CREDENTIALS = {
    "login": "sandbox",
    "password": "sandbox123",
    "idclient": "1001",
    "apikey": "sandbox-key",
    "login_pefin": "sandbox-pefin",
    "senha_pefin": "pefin123",
}
CLIENT_NAME = "PROVEDOR EXEMPLO CONNECT LTDA"  # the creditor of debts registered by idclient 1001

AUTH_LOGIN = "Usuário ou senha inválidos"
AUTH_KEY = "IdClient ou ApiKey inválidos"
INVALID_DOCUMENT = "Documento inválido"
DOCUMENT_TYPE = "Tipo de documento não confere com o documento informado"
PRODUCT_NOT_ALLOWED = "Consulta não liberada para o cliente"
PRODUCT_COMPANY_ONLY = "Consulta disponível somente para pessoa jurídica"
DUPLICATE = "Negativação já existente para este documento, contrato e vencimento"
NOT_FOUND = "Negativação não encontrada"
PROTOCOL_NOT_FOUND = "Protocolo não encontrado"
ALREADY_REMOVED = "Negativação já baixada"
INTERNAL_ERROR = "Erro interno, tente novamente"


@dataclass(frozen=True)
class SandboxProduct:
    description: str
    person_types: str  # "FJ" or "J"
    score: bool
    partners: bool
    history: bool


PRODUCTS = {
    "CREDNET_LIGHT": SandboxProduct("Crednet Light", "FJ", False, False, False),
    "CREDNET_TOP": SandboxProduct("Crednet Top (score e sócios)", "FJ", True, True, True),
    "RELATO": SandboxProduct("Relato Empresarial", "J", True, True, False),
}
INCLUSION_REASONS = {
    "SV": "Prestação de serviços",
    "DP": "Duplicata",
    "CT": "Contrato",
    "OO": "Outras operações",
}
REMOVAL_REASONS = {
    "01": "Pagamento da dívida",
    "02": "Renegociação da dívida",
    "03": "Solicitação do credor",
    "04": "Ordem judicial",
    "05": "Correção de dados",
}

K = RestrictionKind
# quadroResumoConsta.registros in the platform's order: key, kind shown there, nomeRegistro.
# PEFINV (a second PEFIN sub-base, meaning not public) is always empty here; SPC is rendered only
# when present, so that the scenarios read the same through every platform.
REGISTRIES: tuple[tuple[str, RestrictionKind | None, str], ...] = (
    ("CCFBACEN", K.CHEQUE, "CHEQUE SEM FUNDO BACEN"),
    ("PEFIND", K.PEFIN, "PENDENCIAS FINANCEIRAS"),
    ("PEFINV", None, "PENDENCIAS FINANCEIRAS - OUTRAS"),
    ("PENDINTERNAS", K.OTHER, "PENDENCIAS INTERNAS"),
    ("PROTESTO", K.PROTESTO, "PROTESTOS"),
    ("REFIN", K.REFIN, "RESTRICOES FINANCEIRAS"),
    ("ACAO", K.ACAO, "ACOES JUDICIAIS"),
    ("FALENCIA", K.FALENCIA, "FALENCIAS E RECUPERACOES"),
    ("SPC", K.SPC, "REGISTROS SPC"),
)
DETAILS: Mapping[RestrictionKind, str] = {
    K.PEFIN: "pefin",
    K.REFIN: "refin",
    K.SPC: "spc",
    K.PROTESTO: "protestos",
    K.CHEQUE: "chequesSemFundo",
    K.ACAO: "acoesJudiciais",
    K.FALENCIA: "falencias",
    K.OTHER: "pendenciasInternas",
}
SITUATIONS = {"pending": "PENDENTE", "active": "ATIVA", "removed": "BAIXADA"}

# --------------------------------------------------------------------------------------------
# Small helpers (values are written by providers/sandbox/render.py)


def clean_document(value: str) -> str:
    return "".join(c for c in value if c.isalnum()).upper()


def status(code: str, message: str, *, answer: str = "", protocol: str = "") -> dict[str, str]:
    return {
        "codigo": code,
        "mensagem": message,
        "descricaoCodigoResposta": answer,
        "protocolo": protocol,
    }


def error(code: str, message: str, **extra: Any) -> Response:
    return json_response({"status": status(code, message), **extra})


def ok(**extra: Any) -> Response:
    return json_response({"status": status("000", "Sucesso"), **extra})


def auth_failure(request: Request) -> Response:
    """What Mercúrio answers to refused credentials, on any of its endpoints."""
    return error("101", AUTH_LOGIN)


@dataclass
class Call:
    """One platform call being answered: everything it answers is written to the ledger."""

    state: SandboxState
    operation: str
    credential: str
    document: str = ""

    def done(self, response: Response, *, billed: bool = False) -> Response:
        self.state.record(
            KEY, self.operation, document=self.document, credential=self.credential, billed=billed
        )
        return response

    def fail(self, code: str, message: str, **extra: Any) -> Response:
        return self.done(error(code, message, **extra))


def _credentials_error(form: Mapping[str, str], login: str, secret: str) -> str:
    if (form.get(login), form.get(secret)) != (CREDENTIALS[login], CREDENTIALS[secret]):
        return AUTH_LOGIN
    if (form.get("idclient"), form.get("apikey")) != (
        CREDENTIALS["idclient"],
        CREDENTIALS["apikey"],
    ):
        return AUTH_KEY
    return ""


# --------------------------------------------------------------------------------------------
# Consult: rendering a scenario (or the canned static answer) as Mercúrio JSON


def _registry(name: str, rows: list[ShownRestriction]) -> dict[str, str]:
    if not rows:
        return {
            "alerta": "",
            "dataMaisAntigo": "",
            "dataMaisRecente": "",
            "nomeMaisRecente": "",
            "nomeRegistro": name,
            "periodo": "",
            "quantidade": "0",
            "valorTotal": brl(Decimal(0)),
        }
    oldest = min(rows, key=lambda r: r.occurred_on)
    newest = max(rows, key=lambda r: r.occurred_on)
    return {
        "alerta": "",
        "dataMaisAntigo": br_date(oldest.occurred_on),
        "dataMaisRecente": br_date(newest.occurred_on),
        "nomeMaisRecente": newest.creditor,
        "nomeRegistro": name,
        "periodo": f"{oldest.occurred_on:%m/%Y} A {newest.occurred_on:%m/%Y}",
        "quantidade": str(len(rows)),
        "valorTotal": brl(sum((r.amount or Decimal(0) for r in rows), Decimal(0))),
    }


def _detail(row: ShownRestriction) -> dict[str, str]:
    detail = {
        # Creditor names come from Serasa's fixed-width layout, padded: the adapter must strip.
        "credor": row.creditor.ljust(40),
        "valor": brl(row.amount) if row.amount is not None else "",  # CCF records have none
        "dataOcorrencia": br_date(row.occurred_on),
        "contrato": row.contract,
        "cidade": row.city,
        "uf": row.state,
        "natureza": row.description,
    }
    if row.kind is K.PROTESTO:
        detail["cartorio"] = row.notary_office
    if row.kind in (K.ACAO, K.FALENCIA):
        detail["vara"] = row.court
    if row.cheque is not None:
        detail.update(
            banco=row.cheque.bank_code,
            nomeBanco=row.cheque.bank_name,
            agencia=row.cheque.agency,
            numeroCheque=row.cheque.number,
            alinea=row.cheque.alinea,
        )
    return detail


def _summary_and_details(rows: list[ShownRestriction]) -> dict[str, Any]:
    registries = {}
    for key, kind, name in REGISTRIES:
        mine = [r for r in rows if r.kind is kind]
        if key != "SPC" or mine:
            registries[key] = _registry(name, mine)
    result: dict[str, Any] = {
        "quadroResumoConsta": {
            "quantidadeTotalOcorrencias": str(len(rows)),
            "registros": registries,
        }
    }
    for kind, list_name in DETAILS.items():
        mine = [r for r in rows if r.kind is kind]
        if kind is not K.SPC or mine:
            result[list_name] = [_detail(r) for r in mine]
    return result


def _consult_payload(
    document: str, person_type: str, code: str, static: bool, protocol: str, state: SandboxState
) -> dict[str, Any]:
    product, today = PRODUCTS[code], state.today()
    subject, scenario = subject_for(document), scenario_for(document)
    inquiries: list[dict[str, str]] = []
    partners: list[dict[str, str]] = []
    history: Scenario | None = None
    if static:  # canned simulation: the same answer for every document, free
        name, born, mother = "CONSULTA ESTATICA DE TESTE", dt.date(1980, 1, 1), "MAE DE TESTE"
        rows = [
            ShownRestriction(
                K.PEFIN,
                "EMPRESA SIMULACAO LTDA",
                Decimal("100.00"),
                today - dt.timedelta(days=30),
                "SIM-0001",
                "SAO PAULO",
                "SP",
            )
        ]
        score: tuple[int, str, Decimal] | None = (500, "D", Decimal("25.00"))
    else:
        name, born, mother = subject.name, subject.birth_date, subject.mother_name
        rows = state.shown_restrictions(KEY, document, scenario, registered_as="Negativação PEFIN")
        score = None
        if scenario.score is not None:
            probability = scenario.default_probability or Decimal(0)
            score = (scenario.score, scenario.score_band, probability)
        inquiries = [
            {
                "consultante": i.inquirer,
                "data": br_date(today - dt.timedelta(days=i.days_ago)),
                "cidade": i.city,
            }
            for i in scenario.inquiries
        ]
        partners = [
            {
                "nome": p.name,
                "documento": masked_document(p.document),
                "cargo": p.role,
                "participacao": br_percent(p.share),
            }
            for p in scenario.partners
        ]
        history = scenario if scenario.on_time_payments is not None else None
    birth_key = "dataNascimento" if person_type == "F" else "dataFundacao"
    identification = {
        "nome": name,
        birth_key: br_date(born),
        "nomeMae": mother,
        "situacaoReceita": subject.receita_situation,
    }
    if person_type == "J" and subject.company is not None and not static:
        company = subject.company
        identification.update(
            nomeFantasia=company.trade_name,
            dataSituacao=br_date(company.situation_on),
            naturezaJuridica=" - ".join(company.legal_nature),
            cnaePrincipal=" - ".join(company.main_activity),
            capitalSocial=brl(company.capital),
        )
        del identification["nomeMae"]
    result: dict[str, Any] = {
        "identificacao": identification,
        **_summary_and_details(rows),
        "consultasAnteriores": inquiries,
    }
    if product.score and score is not None:
        result["score"] = {
            "pontuacao": str(score[0]),
            "faixa": score[1],
            "probabilidade": br_percent(score[2]),
            "modelo": "SERASA SCORE 2.0",
        }
    if product.partners and person_type == "J":
        result["socios"] = partners
    if product.history and history is not None:
        result["historicoPagamentos"] = {
            "pagamentosEmDia": str(history.on_time_payments),
            "pagamentosEmAtraso": ""
            if history.late_payments is None
            else str(history.late_payments),
            "compromissosMensais": brl(history.commitments) if history.commitments else "",
        }
    answer = "Constam Restrições" if rows else "Nada Consta"
    return {
        "status": status("000", "Sucesso", answer=answer, protocol=protocol),
        # Fixed-width origin again: the name comes padded.
        "entrada": {"nomeConsultado": name.ljust(70), "documentoConsultado": document},
        "resultado": result,
    }


def _html(payload: Mapping[str, Any], product: str) -> bytes:
    """The platform's printable report (the layout is ours; only its existence is confirmed)."""
    e = html.escape
    head, entry, result = payload["status"], payload["entrada"], payload["resultado"]
    summary = result["quadroResumoConsta"]["registros"]
    summary_rows = "".join(
        f"<tr><td>{e(item['nomeRegistro'])}</td><td>{e(item['quantidade'])}</td>"
        f"<td>{e(item['valorTotal'])}</td><td>{e(item['dataMaisRecente'])}</td></tr>"
        for item in summary.values()
    )
    detail_rows = "".join(
        f"<tr><td>{e(list_name)}</td><td>{e(item['credor'].strip())}</td>"
        f"<td>{e(item['valor'] or 'não informado')}"
        f"</td><td>{e(item['dataOcorrencia'])}</td><td>{e(item['cidade'])}/{e(item['uf'])}</td></tr>"
        for list_name in DETAILS.values()
        for item in result.get(list_name, [])
    )
    page = f"""<!DOCTYPE html>
<html lang="pt-BR"><head><meta charset="utf-8">
<title>Connect S.A. - Mercúrio - Protocolo {e(head["protocolo"])}</title></head>
<body>
<h1>Relatório de consulta {e(product)}</h1>
<p>Protocolo: {e(head["protocolo"])}</p>
<p>Consultado: {e(entry["nomeConsultado"].strip())} - {e(entry["documentoConsultado"])}</p>
<p>Situação: {e(head["descricaoCodigoResposta"])}</p>
<h2>Quadro resumo</h2>
<table><tr><th>Registro</th><th>Quantidade</th><th>Valor total</th><th>Mais recente</th></tr>
{summary_rows}</table>
<h2>Ocorrências</h2>
<table><tr><th>Tipo</th><th>Credor</th><th>Valor</th><th>Data</th><th>Local</th></tr>
{detail_rows}</table>
</body></html>
"""
    return page.encode("utf-8")


@dataclass(frozen=True)
class StoredReport:
    document: str
    product: str
    payload: dict[str, Any]


# Reports by protocol, so that `tiporesposta=H` + `protocolo` can serve one later. Protocols are
# random, so entries of earlier test runs (the state may be reset meanwhile) never collide; the
# store is bounded.
_REPORTS: collections.OrderedDict[str, StoredReport] = collections.OrderedDict()
_REPORTS_LOCK = threading.Lock()
_REPORTS_MAX = 1000


def _store(protocol: str, report: StoredReport) -> None:
    with _REPORTS_LOCK:
        _REPORTS[protocol] = report
        while len(_REPORTS) > _REPORTS_MAX:
            _REPORTS.popitem(last=False)


def _render(report: StoredReport, as_html: bool) -> Response:
    if as_html:
        return Response(200, _html(report.payload, report.product), "text/html; charset=utf-8")
    return json_response(report.payload)


def consult(form: Mapping[str, str], state: SandboxState) -> Response:
    document = clean_document(form.get("documento", ""))
    protocol = form.get("protocolo", "").strip()
    static = form.get("estatica", "N").strip().upper() == "S"
    as_html = form.get("tiporesposta", "J").strip().upper() == "H"
    operation = "relatorio_html" if protocol else "consulta_estatica" if static else "consulta"
    call = Call(state, operation, form.get("login", ""), document)
    refused = _credentials_error(form, "login", "password")
    if refused:
        return call.fail("101", refused)
    if protocol:  # the report of an earlier consult: free
        with _REPORTS_LOCK:
            stored = _REPORTS.get(protocol)
        if stored is None or stored.document != document:
            return call.fail("405", PROTOCOL_NOT_FOUND)
        return call.done(_render(stored, as_html))
    code = form.get("consulta", "").strip().upper()
    if code not in PRODUCTS:
        return call.fail("301", PRODUCT_NOT_ALLOWED)
    if not is_valid_document(document) or scenario_for(document).error == "invalid_document":
        return call.fail("201", INVALID_DOCUMENT)
    person_type = form.get("tipodocumento", "").strip().upper()
    if person_type != ("F" if len(document) == 11 else "J"):
        return call.fail("202", DOCUMENT_TYPE)
    if person_type not in PRODUCTS[code].person_types:
        return call.fail("302", PRODUCT_COMPANY_ONLY)
    if not static and scenario_for(document).error == "platform_error":
        return call.fail("901", INTERNAL_ERROR)
    protocol = f"{state.today():%Y%m%d}{secrets.randbelow(10**8):08d}"
    stored = StoredReport(
        document, code, _consult_payload(document, person_type, code, static, protocol, state)
    )
    _store(protocol, stored)
    return call.done(_render(stored, as_html), billed=not static)


def products(form: Mapping[str, str], state: SandboxState) -> Response:
    call = Call(state, "produtos", form.get("login", ""))
    refused = _credentials_error(form, "login", "password")
    if refused:
        return call.fail("101", refused)
    listing = [
        {"codigo": code, "descricao": p.description, "tipoDocumento": p.person_types}
        for code, p in PRODUCTS.items()
    ]
    return call.done(ok(produtos=listing))


# --------------------------------------------------------------------------------------------
# PEFIN (negativação)


def _record(inc: StoredInclusion, now: dt.datetime) -> dict[str, str]:
    return {
        "idNegativacao": inc.id,
        "situacao": SITUATIONS[inc.status(now)],
        "documento": inc.document,
        "contrato": inc.contract,
        "valor": brl(inc.amount),
        "dataVencimento": br_date(inc.due_date),
        "dataInclusao": br_datetime(inc.included_at),
        "dataDisponibilizacao": br_date(brasilia(inc.visible_at).date()),
        "dataBaixa": br_datetime(inc.removed_at) if inc.removed_at else "",
        "codigoMotivoBaixa": inc.removal_reason,
    }


INCLUSION_REQUIRED = (
    "tipodocumento",
    "documento",
    "nome",
    "cep",
    "endereco",
    "cidade",
    "uf",
    "contrato",
    "datavencimento",
    "valor",
)


def _include(form: Mapping[str, str], call: Call) -> Response:
    state = call.state
    call.document = document = clean_document(form.get("documento", ""))
    missing = next((name for name in INCLUSION_REQUIRED if not form.get(name, "").strip()), "")
    if missing:
        return call.fail("401", f"Campo obrigatório não informado: {missing}")
    if not is_valid_document(document) or scenario_for(document).error == "invalid_document":
        return call.fail("201", INVALID_DOCUMENT)
    person_type = form["tipodocumento"].strip().upper()
    if person_type != ("F" if len(document) == 11 else "J"):
        return call.fail("202", DOCUMENT_TYPE)
    try:
        due = dt.datetime.strptime(form["datavencimento"].strip(), "%d/%m/%Y").date()
    except ValueError:
        return call.fail("401", "Campo inválido: datavencimento")
    try:
        amount = Decimal(form["valor"].strip())
    except InvalidOperation:
        return call.fail("401", "Campo inválido: valor")
    if not amount.is_finite() or amount <= 0:
        return call.fail("401", "Campo inválido: valor")
    reason = form.get("codigonatureza", "").strip() or "SV"
    if reason not in INCLUSION_REASONS:
        return call.fail("401", "Campo inválido: codigonatureza")
    if scenario_for(document).error == "platform_error":
        return call.fail("901", INTERNAL_ERROR)
    contract, now = form["contrato"].strip(), state.now()
    existing = state.find_inclusion(KEY, document=document, contract=contract, due_date=due)
    if existing is not None:
        return call.fail("402", DUPLICATE, negativacao=_record(existing, now))
    uf = form["uf"].strip().upper()
    inclusion = StoredInclusion(
        platform=KEY,
        id=state.new_id(KEY),
        document=document,
        person_type=person_type,
        name=form["nome"].strip(),
        contract=contract,
        our_number=form.get("nossonumero", "").strip(),
        due_date=due,
        amount=amount,
        creditor=CLIENT_NAME,
        state=uf,
        reason_code=reason,
        included_at=now,
        visible_at=now + dt.timedelta(days=state.notice_days(uf)),
        extra={"cidade": form["cidade"].strip()},
    )
    state.add_inclusion(inclusion)
    return call.done(ok(negativacao=_record(inclusion, now)), billed=True)


def _remove(form: Mapping[str, str], call: Call) -> Response:
    state = call.state
    inclusion = state.inclusion_by_id(KEY, form.get("idnegativacao", "").strip())
    if inclusion is None:
        return call.fail("404", NOT_FOUND)
    call.document = inclusion.document
    reason = form.get("codigomotivobaixa", "").strip() or "01"
    if reason not in REMOVAL_REASONS:
        return call.fail("401", "Campo inválido: codigomotivobaixa")
    with state.lock:
        if inclusion.removed_at is not None:
            return call.fail("406", ALREADY_REMOVED, negativacao=_record(inclusion, state.now()))
        inclusion.removed_at = state.now()
        inclusion.removal_reason = reason
    return call.done(ok(negativacao=_record(inclusion, state.now())))


def _status(form: Mapping[str, str], call: Call) -> Response:
    inclusion = call.state.inclusion_by_id(KEY, form.get("idnegativacao", "").strip())
    if inclusion is None:
        return call.fail("404", NOT_FOUND)
    call.document = inclusion.document
    return call.done(ok(negativacao=_record(inclusion, call.state.now())))


def _reasons(table: Mapping[str, str]) -> Callable[[Mapping[str, str], Call], Response]:
    def answer(form: Mapping[str, str], call: Call) -> Response:
        listing = [{"codigo": code, "descricao": text} for code, text in table.items()]
        return call.done(ok(motivos=listing))

    return answer


PEFIN_ACTIONS: Mapping[str, Callable[[Mapping[str, str], Call], Response]] = {
    "INCLUIR": _include,
    "EXCLUIR": _remove,
    "CONSULTAR": _status,
    "MOTIVOS_INCLUSAO": _reasons(INCLUSION_REASONS),
    "MOTIVOS_BAIXA": _reasons(REMOVAL_REASONS),
}


def pefin(form: Mapping[str, str], state: SandboxState) -> Response:
    action = form.get("acao", "").strip().upper()
    operation = f"pefin_{action.lower()}" if action in PEFIN_ACTIONS else "pefin"
    call = Call(state, operation, form.get("login_pefin", ""))
    refused = _credentials_error(form, "login_pefin", "senha_pefin")
    if refused:
        return call.fail("101", refused)
    if action not in PEFIN_ACTIONS:
        return call.fail("401", f"Ação inválida: {action or '(vazia)'}")
    return PEFIN_ACTIONS[action](form, call)


# --------------------------------------------------------------------------------------------
# Routing

ROUTES: Mapping[str, Callable[[Mapping[str, str], SandboxState], Response]] = {
    "/mercurio/ws_consulta": consult,
    "/mercurio/ws_produtos": products,
    "/mercurio/ws_pefin": pefin,
}


def handle(request: Request, state: SandboxState) -> Response:
    route = ROUTES.get(request.path.rstrip("/"))
    if route is None:
        return Response(404, b"<html><body><h1>404 Not Found</h1></body></html>", "text/html")
    if request.method != "POST":
        return Response(
            405, b"<html><body><h1>405 Method Not Allowed</h1></body></html>", "text/html"
        )
    return route(request.form(), state)


SANDBOX = PlatformSandbox(
    key=KEY, handle=handle, auth_failure=auth_failure, credentials=CREDENTIALS
)
