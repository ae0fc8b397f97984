"""SOA WebServices sandbox: the JSON API v2 (docs/PROVIDERS.md 2.3 and 7.B) below /soawebservice.

Like the real API every answer is HTTP 200 with a `transacao{status, codigoStatus,
codigoStatusDescricao}` envelope; request property names are matched case-insensitively (as
ASP.NET model binding does), answers are camelCase. Paths, bodies and status codes that public
material does not show follow the same ASSUMED choices as providers/soawebservice/adapter.py.

Accounts: the production-like account is billed (R$ 500,00 of starting credit per account,
CredNet R$ 16,00, Concentre R$ 22,00, Inserir R$ 4,50); the homologation account answers SOA's
fixed echo payload (values 1, today's date) and is never billed. Serasa has no SPC records, so
the scenarios' SPC restrictions are rendered as pendências financeiras (PEFIN).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from providers.base import RestrictionKind
from providers.parsing import lower_keys
from providers.sandbox.render import brasilia
from providers.sandbox.scenarios import (
    Scenario,
    Subject,
    is_valid_document,
    scenario_for,
    subject_for,
)
from providers.sandbox.state import SandboxState, ShownRestriction, StoredInclusion
from providers.sandbox.wsgi import PlatformSandbox, Request, Response, json_response

PLATFORM = "soawebservice"


@dataclass(frozen=True)
class Account:
    password: str
    homologation: bool
    name: str
    document: str


ACCOUNTS: Mapping[str, Account] = {
    "sandbox@creditcheck.local": Account(
        "sandbox123", False, "PROVEDOR SANDBOX LTDA", "45723174000110"
    ),
    "homologacao@creditcheck.local": Account("homologacao", True, "", ""),
}

STARTING_BALANCE = Decimal("500.00")
COSTS: Mapping[str, Decimal] = {
    "CredNet": Decimal("16.00"),
    "Concentre": Decimal("22.00"),
    "Inserir": Decimal("4.50"),
}

# Status codes: the first three are SOA's own; the others are ASSUMED (see the adapter).
AUTH_FAILED = ("G000M000", "Credenciais de Acesso (Usuario e/ou Senha) Invalidos")
SUCCESS = ("G000M001", "Transacao realizada com sucesso")
INVALID_DOCUMENT = ("G000M003", "Documento invalido para consulta")
NO_BALANCE = ("G000M005", "Saldo insuficiente para realizar a transacao")
INTERNAL_ERROR = ("G000M099", "Erro interno ao processar a transacao")
DUPLICATE = ("N000M001", "Negativacao ja existente para este devedor, contrato e vencimento")
NOT_FOUND = ("N000M002", "Negativacao nao encontrada")
INVALID_DATA = ("N000M003", "Dados da negativacao invalidos")

RESTRICTION_CODES: Mapping[int, str] = {
    1: "Prestação de serviços",
    2: "Duplicata mercantil",
    3: "Contrato de empréstimo / financiamento",
    4: "Contas de consumo (água, luz, telefone, internet)",
}
REMOVAL_CODES: Mapping[int, str] = {
    1: "Pagamento da dívida",
    2: "Renegociação / acordo",
    3: "Inclusão indevida",
    4: "Determinação judicial",
}
LIST_CONDITIONS: Mapping[str, str] = {
    "pendentes": "Pendente",
    "ativas": "Ativa",
    "erro": "Erro",
    "baixadas": "Baixada",
    "indiponivel": "Indisponivel",  # sic in SOA's enum; the sandbox never has such records
}

# A debtor address the bureau cannot mail the notice letter (FAC) to: the record ends in Erro.
UNDELIVERABLE_CEP = "00000000"
HOMOLOGATION_ID = "123e4567-e89b-12d3-a456-426614174000"  # what homologation echoes

# dadosNegativos block of each kind; SPC goes to PEFIN because Serasa holds no SPC records.
BLOCKS: Mapping[RestrictionKind, str] = {
    RestrictionKind.PEFIN: "pendenciasFinanceiras",
    RestrictionKind.SPC: "pendenciasFinanceiras",
    RestrictionKind.REFIN: "restricoesFinanceiras",
    RestrictionKind.PROTESTO: "protestos",
    RestrictionKind.ACAO: "acoesJudiciais",
    RestrictionKind.CHEQUE: "chequesSemFundo",
    RestrictionKind.FALENCIA: "participacoesFalencias",
    RestrictionKind.OTHER: "pendenciasInternas",
}


@dataclass(frozen=True)
class Call:
    state: SandboxState
    body: dict[str, Any]  # keys lower-cased
    email: str
    account: Account


@dataclass(frozen=True)
class Outcome:
    response: Response
    document: str = ""  # for the ledger
    billed: bool = False


# --------------------------------------------------------------------------------------------
# Small helpers


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int):
        return ""
    return str(value).strip()


def _document(value: Any) -> str:
    """SOA accepts formatted documents ("99.999.999/9999-62 "): keep letters and digits."""
    return "".join(ch for ch in _text(value).upper() if ch.isalnum())


def _num(value: Decimal) -> float:
    return float(value)


def _local(moment: dt.datetime) -> str:
    """A platform timestamp: Brazilian local time without an offset, as SOA writes them."""
    return brasilia(moment).isoformat(timespec="seconds")


def _ok(data: dict[str, Any]) -> Response:
    code, description = SUCCESS
    return json_response(
        {
            **data,
            "transacao": {
                "status": True,
                "codigoStatus": code,
                "codigoStatusDescricao": description,
            },
        }
    )


def _echo(data: dict[str, Any]) -> Response:
    """Homologation answers carry a transacao without a code, as the captured echo shows."""
    return json_response(
        {**data, "transacao": {"status": True, "codigoStatus": None, "codigoStatusDescricao": None}}
    )


def _failure(error: tuple[str, str], detail: str = "", **extra: Any) -> Response:
    code, description = error
    message = f"{description}: {detail}" if detail else description
    return json_response(
        {
            **extra,
            "mensagem": message,
            "status": False,
            "transacao": {"status": False, "codigoStatus": code, "codigoStatusDescricao": message},
        }
    )


def _charge(call: Call, operation: str) -> bool:
    """Take the operation's cost from the account's credit; False when it is not enough."""
    key = f"{PLATFORM}:{call.email}"
    with call.state.lock:
        balance = call.state.balances.setdefault(key, STARTING_BALANCE)
        if balance < COSTS[operation]:
            return False
        call.state.balances[key] = balance - COSTS[operation]
        return True


def _balance(call: Call) -> Decimal:
    with call.state.lock:
        return call.state.balances.get(f"{PLATFORM}:{call.email}", STARTING_BALANCE)


# --------------------------------------------------------------------------------------------
# Consults


def _amount(item: ShownRestriction) -> dict[str, Any]:
    return {"valor": _num(item.amount)} if item.amount is not None else {}


def _detail(item: ShownRestriction) -> dict[str, Any]:
    common = {"dataOcorrencia": item.occurred_on.isoformat(), "cidade": item.city, "uf": item.state}
    block = BLOCKS[item.kind]
    if block == "protestos":
        return {**common, "cartorio": item.notary_office, "credor": item.creditor, **_amount(item)}
    if block == "acoesJudiciais":
        return {
            **common,
            "autor": item.creditor,
            "natureza": item.description,
            "numeroProcesso": item.contract,
            "vara": item.court,
            **_amount(item),
        }
    if block == "chequesSemFundo":  # Bacen's CCF records carry no amount; store cheques do
        cheque = item.cheque
        bank = (
            {
                "banco": cheque.bank_code,
                "nomeBanco": cheque.bank_name,
                "agencia": cheque.agency,
                "numeroCheque": cheque.number,
                "alinea": cheque.alinea,
            }
            if cheque is not None
            else {}
        )
        return {**common, "credor": item.creditor, **bank, "quantidade": 1, **_amount(item)}
    if block == "participacoesFalencias":
        return {
            **common,
            "credor": item.creditor,
            "tipo": item.description,
            "vara": item.court,
            **_amount(item),
        }
    return {
        **common,
        "modalidade": item.description or "OUTRAS OPER",
        "contrato": item.contract,
        "credor": item.creditor,
        **_amount(item),
        "principal": True,
        "disputa": {"indicadorDisputa": False},
        "cadus": None,
    }


def _summary(items: list[ShownRestriction]) -> dict[str, Any]:
    total = sum((item.amount or Decimal("0") for item in items), Decimal("0"))
    return {"totalOcorrencias": len(items), "valorTotal": _num(total)}


def _negatives(items: list[ShownRestriction]) -> dict[str, Any]:
    blocks: dict[str, Any] = {
        "resumo": {**_summary(items), "mensagem": None if items else "NADA CONSTA"}
    }
    for name in dict.fromkeys(BLOCKS.values()):
        inside = [item for item in items if BLOCKS[item.kind] == name]
        blocks[name] = {"detalhes": [_detail(item) for item in inside], "resumo": _summary(inside)}
    return blocks


def _synthesis(subject: Subject) -> dict[str, Any]:
    if subject.person_type == "F":
        return {
            "pessoaFisica": {
                "documento": subject.document,
                "nome": subject.name,
                "nomeMae": subject.mother_name,
                "dataNascimento": subject.birth_date.isoformat(),
                "situacaoRFB": subject.receita_situation,
            }
        }
    company = subject.company
    data: dict[str, Any] = {
        "documento": subject.document,
        "razaoSocial": subject.name,
        "nomeFantasia": company.trade_name if company else None,
        "dataFundacao": subject.birth_date.isoformat(),
        "situacaoRFB": subject.receita_situation,
    }
    if company is not None:  # the PessoaJuridicaNFe fields (public sample), in camelCase
        data.update(
            dataSituacaoRFB=company.situation_on.isoformat(),
            codigoNaturezaJuridica=company.legal_nature[0],
            codigoNaturezaJuridicaDescricao=company.legal_nature[1],
            codigoAtividadeEconomica=company.main_activity[0],
            codigoAtividadeEconomicaDescricao=company.main_activity[1],
            capital=_num(company.capital),
        )
    return {"pessoaJuridica": data}


def _score(scenario: Scenario) -> dict[str, Any]:
    if scenario.score is None:
        return {
            "pontuacao": None,
            "modelo": None,
            "faixa": None,
            "probabilidadeInadimplencia": None,
            "codigoMensagem": 99,
            "mensagem": "SCORE NAO CALCULADO",
        }
    probability = scenario.default_probability
    return {
        "pontuacao": scenario.score,
        "modelo": "SERASA SCORE",
        "faixa": scenario.score_band,
        "probabilidadeInadimplencia": _num(probability) if probability is not None else None,
        "codigoMensagem": 0,
        "mensagem": None,
    }


def _report(state: SandboxState, document: str, concentre: bool) -> dict[str, Any]:
    scenario, subject, today = scenario_for(document), subject_for(document), state.today()
    data: dict[str, Any] = {
        "protocolo": f"{state.now():%Y%m%d%H%M%S}{len(state.ledger) + 1:06d}",
        "sinteseCadastral": _synthesis(subject),
        "dadosNegativos": _negatives(
            state.shown_restrictions(PLATFORM, document, scenario, registered_as="OUTRAS OPER")
        ),
        "informacoesAdicionais": {"score": _score(scenario)},
        "outrasInformacoes": {
            "registroConsultas": {
                "detalhes": [
                    {
                        "dataConsulta": (today - dt.timedelta(days=i.days_ago)).isoformat(),
                        "consultante": i.inquirer,
                        "cidade": i.city,
                        "quantidadeDias": i.days_ago,
                    }
                    for i in scenario.inquiries
                ],
                "resumo": {"totalConsultas": len(scenario.inquiries)},
            }
        },
    }
    if concentre and subject.person_type == "J":
        data["qsa"] = {
            "socios": [
                {
                    "documento": p.document,
                    "nome": p.name,
                    "cargo": p.role,
                    "participacao": _num(p.share),
                }
                for p in scenario.partners
            ],
            "administradores": [],
        }
    return data


def _echo_report(state: SandboxState) -> dict[str, Any]:
    """SOA homologation's fixed CredNet answer (the captured echo, dated today)."""
    today = state.today().isoformat()
    detail = {
        "dataOcorrencia": today,
        "modalidade": None,
        "contrato": None,
        "credor": None,
        "valor": 1,
        "principal": True,
        "cidade": None,
        "disputa": {"indicadorDisputa": True},
        "cadus": None,
    }
    block = {"detalhes": [detail], "resumo": {"totalOcorrencias": 1, "valorTotal": 1}}
    return {
        "sinteseCadastral": {
            "pessoaFisica": {"documento": None, "nome": None, "dataNascimento": today}
        },
        "dadosNegativos": {
            "resumo": {"totalOcorrencias": 1, "valorTotal": 1, "mensagem": None},
            "pendenciasFinanceiras": block,
            "restricoesFinanceiras": block,
        },
        "informacoesAdicionais": {
            "score": {
                "pontuacao": 1,
                "modelo": None,
                "faixa": None,
                "probabilidadeInadimplencia": 1,
                "codigoMensagem": 1,
                "mensagem": None,
            }
        },
    }


def _consult(operation: str) -> Callable[[Call], Outcome]:
    def run(call: Call) -> Outcome:
        document = _document(call.body.get("documento"))
        if call.account.homologation:
            return Outcome(_echo(_echo_report(call.state)), document)
        scenario = scenario_for(document)
        if scenario.error == "invalid_document":
            return Outcome(_failure(INVALID_DOCUMENT, documento=document), document)
        if scenario.error == "platform_error":
            return Outcome(_failure(INTERNAL_ERROR, documento=document), document)
        if not _charge(call, operation):
            return Outcome(_failure(NO_BALANCE, documento=document), document)
        data = _report(call.state, document, concentre=operation == "Concentre")
        return Outcome(_ok({"documento": document, **data}), document, billed=True)

    return run


# --------------------------------------------------------------------------------------------
# Negativações


def _situation(inc: StoredInclusion, now: dt.datetime) -> str:
    if inc.removed_at is not None:
        return "Baixada"
    error_at = inc.extra.get("erro_em")
    if error_at and now >= dt.datetime.fromisoformat(error_at):
        return "Erro"
    return "Ativa" if inc.status(now) == "active" else "Pendente"


def _record(inc: StoredInclusion, call: Call) -> dict[str, Any]:
    now = call.state.now()
    situation = _situation(inc, now)
    removal = int(inc.removal_reason) if inc.removal_reason.isdigit() else None
    return {
        "uniqueID": inc.id,
        "situacao": situation,
        "documentoCredor": call.account.document,
        "nomeCredor": inc.creditor,
        "documentoDevedor": inc.document,
        "nomeDevedor": inc.name,
        "contrato": inc.contract,
        "nossoNumero": inc.our_number,
        "dataVencimento": inc.due_date.isoformat(),
        "valor": _num(inc.amount),
        "codigoRestricao": int(inc.reason_code),
        "restricaoDescricao": RESTRICTION_CODES[int(inc.reason_code)],
        "dataHoraInclusao": _local(inc.included_at),
        "codigoBaixa": removal,
        "baixaDescricao": REMOVAL_CODES.get(removal or 0),
        "dataHoraExclusao": _local(inc.removed_at) if inc.removed_at else None,
        "mensagem": "Endereco do devedor nao localizado para envio do comunicado (FAC)"
        if situation == "Erro"
        else None,
    }


def _code(value: Any, table: Mapping[int, str]) -> int | None:
    text = _text(value)
    return int(text) if text.isdigit() and int(text) in table else None


def _debt(body: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any], str]:
    """The principal debtor, the restriction, and the name of the first invalid field ("")."""
    listed = body.get("devedores")
    debtors = [d for d in listed if isinstance(d, dict)] if isinstance(listed, list) else []
    principal = next(
        (d for d in debtors if _text(d.get("tipodevedor")).lower() == "principal"),
        debtors[0] if debtors else {},
    )
    restriction = _obj(body.get("restricao"))
    cep = "".join(ch for ch in _text(_obj(principal.get("endereco")).get("cep")) if ch.isdigit())
    try:
        amount = Decimal(str(restriction.get("valor")))
        due = dt.date.fromisoformat(_text(restriction.get("datavencimento"))[:10])
    except (InvalidOperation, ValueError):
        return principal, restriction, "valor/dataVencimento"
    checks = (
        ("devedores", bool(principal)),
        ("contrato", bool(_text(restriction.get("contrato")))),
        ("valor", amount.is_finite() and amount > 0),
        ("dataVencimento", due.year > 1),
        (
            "codigoRestricao",
            _code(restriction.get("codigorestricao"), RESTRICTION_CODES) is not None,
        ),
        ("endereco.cep", len(cep) == 8),
    )
    invalid = next((name for name, ok in checks if not ok), "")
    return principal, restriction, invalid


def _store(
    call: Call, principal: Mapping[str, Any], restriction: Mapping[str, Any], document: str
) -> StoredInclusion:
    """Register the debt; it shows in consults once the notice letter (FAC) period is over."""
    state, now = call.state, call.state.now()
    address = _obj(principal.get("endereco"))
    uf = _text(address.get("uf")).upper()
    notice_end = now + dt.timedelta(days=state.notice_days(uf))
    cep = "".join(ch for ch in _text(address.get("cep")) if ch.isdigit())
    extra = {"conta": call.email, "cidade": _text(address.get("cidade"))}
    if cep == UNDELIVERABLE_CEP:  # never shown in consults; Erro once the notice period is over
        extra["erro_em"] = notice_end.isoformat()
    inclusion = StoredInclusion(
        platform=PLATFORM,
        id=state.new_id(PLATFORM),
        document=document,
        person_type="F" if len(document) == 11 else "J",
        name=_text(principal.get("nome")) or subject_for(document).name,
        contract=_text(restriction.get("contrato")),
        our_number=_text(restriction.get("nossonumero")),
        due_date=dt.date.fromisoformat(_text(restriction.get("datavencimento"))[:10]),
        amount=Decimal(str(restriction.get("valor"))),
        creditor=call.account.name,
        state=uf,
        reason_code=str(_code(restriction.get("codigorestricao"), RESTRICTION_CODES)),
        included_at=now,
        visible_at=now + dt.timedelta(days=36500) if "erro_em" in extra else notice_end,
        extra=extra,
    )
    state.add_inclusion(inclusion)
    return inclusion


def _insert(call: Call) -> Outcome:
    principal, restriction, invalid = _debt(call.body)
    document = _document(principal.get("documento"))
    if call.account.homologation:
        return Outcome(_echo({"uniqueID": HOMOLOGATION_ID, "situacao": "Pendente"}), document)
    if not is_valid_document(document):
        return Outcome(_failure(INVALID_DOCUMENT, documento=document), document)
    if invalid:
        return Outcome(_failure(INVALID_DATA, invalid), document)
    contract = _text(restriction.get("contrato"))
    due = dt.date.fromisoformat(_text(restriction.get("datavencimento"))[:10])
    with call.state.lock:  # check and insert at once: two concurrent Inserir make one record
        existing = call.state.find_inclusion(
            PLATFORM, document=document, contract=contract, due_date=due
        )
        if existing is not None:
            situation = _situation(existing, call.state.now())
            return Outcome(_failure(DUPLICATE, uniqueID=existing.id, situacao=situation), document)
        if not _charge(call, "Inserir"):
            return Outcome(_failure(NO_BALANCE), document)
        inclusion = _store(call, principal, restriction, document)
    return Outcome(_ok(_record(inclusion, call)), document, billed=True)


def _own(call: Call) -> StoredInclusion | None:
    inc = call.state.inclusion_by_id(PLATFORM, _text(call.body.get("uniqueid")))
    return inc if inc is not None and inc.extra.get("conta") == call.email else None


def _remove(call: Call) -> Outcome:
    if call.account.homologation:  # the captured Excluir echo, dated today
        echo = {
            "uniqueID": HOMOLOGATION_ID,
            "documentoCredor": None,
            "nomeCredor": None,
            "documentoDevedor": None,
            "nomeDevedor": None,
            "codigoRestricao": 1,
            "restricaoDescricao": None,
            "codigoBaixa": 1,
            "baixaDescricao": None,
            "valor": 1,
            "dataHoraExclusao": call.state.today().isoformat(),
        }
        return Outcome(_echo(echo))
    inc = _own(call)
    if inc is None or inc.removed_at is not None:
        unique_id = _text(call.body.get("uniqueid")) or None
        return Outcome(_failure(NOT_FOUND, uniqueID=unique_id), inc.document if inc else "")
    code = _code(call.body.get("codigobaixa"), REMOVAL_CODES)
    if code is None:
        return Outcome(_failure(INVALID_DATA, "codigoBaixa"), inc.document)
    with call.state.lock:
        inc.removed_at = call.state.now()
        inc.removal_reason = str(code)
    return Outcome(_ok(_record(inc, call)), inc.document)


def _status(call: Call) -> Outcome:
    unique_id = _text(call.body.get("uniqueid"))
    if call.account.homologation:
        return Outcome(_echo({"uniqueID": unique_id or HOMOLOGATION_ID, "situacao": "Pendente"}))
    inc = _own(call)
    if inc is None:
        return Outcome(_failure(NOT_FOUND, uniqueID=unique_id or None))
    return Outcome(_ok(_record(inc, call)), inc.document)


def _list(call: Call) -> Outcome:
    condition = _text(call.body.get("condicao")).lower()
    if condition not in LIST_CONDITIONS:
        return Outcome(_failure(INVALID_DATA, "condicao"))
    now = call.state.now()
    with call.state.lock:
        mine = [
            inc
            for inc in call.state.inclusions
            if inc.platform == PLATFORM
            and inc.extra.get("conta") == call.email
            and _situation(inc, now) == LIST_CONDITIONS[condition]
        ]
    return Outcome(_ok({"negativacoes": [_record(inc, call) for inc in mine]}))


def _codes(table: Mapping[int, str]) -> Callable[[Call], Outcome]:
    def run(call: Call) -> Outcome:
        return Outcome(_ok({"codigos": [{"codigo": k, "descricao": v} for k, v in table.items()]}))

    return run


def _saldo(call: Call) -> Outcome:
    if call.account.homologation:
        return Outcome(_echo({"saldo": 1}))
    return Outcome(_ok({"saldo": _num(_balance(call))}))


# --------------------------------------------------------------------------------------------
# Dispatch

ROUTES: Mapping[str, tuple[str, Callable[[Call], Outcome]]] = {
    "/api/v2/serasa/consultas/crednet": ("CredNet", _consult("CredNet")),
    "/api/v2/serasa/consultas/concentre": ("Concentre", _consult("Concentre")),
    "/api/v2/serasa/negativacoes/inserir": ("Inserir", _insert),
    "/api/v2/serasa/negativacoes/excluir": ("Excluir", _remove),
    "/api/v2/serasa/negativacoes/consulta": ("Consulta", _status),
    "/api/v2/serasa/negativacoes/lista": ("Lista", _list),
    "/api/v2/serasa/negativacoes/codigosbaixa": ("CodigosBaixa", _codes(REMOVAL_CODES)),
    "/api/v2/serasa/negativacoes/codigosrestricoes": (
        "CodigosRestricoes",
        _codes(RESTRICTION_CODES),
    ),
    "/api/v2/administracao/saldo": ("Saldo", _saldo),
}


def _request_document(body: Mapping[str, Any]) -> str:
    debtors = body.get("devedores")
    if isinstance(debtors, list) and debtors and isinstance(debtors[0], dict):
        return _document(debtors[0].get("documento"))
    return _document(body.get("documento"))


def auth_failure(request: Request) -> Response:
    """SOA's answer to a wrong e-mail/senha: HTTP 200 with G000M000."""
    body = lower_keys(request.json())
    document = _request_document(body) if isinstance(body, dict) else ""
    return _failure(AUTH_FAILED, documento=document or None)


def handle(request: Request, state: SandboxState) -> Response:
    route = ROUTES.get(request.path.rstrip("/").lower())  # ASP.NET routes ignore case
    if route is None:
        return json_response(
            {"message": "No HTTP resource was found that matches the request URI."}, 404
        )
    if request.method != "POST":
        return json_response(
            {"message": f"The requested resource does not support http method '{request.method}'."},
            405,
        )
    body = lower_keys(request.json())
    if not isinstance(body, dict):
        return json_response({"message": "The request is invalid."}, 400)
    operation, run = route
    credentials = _obj(body.get("credenciais"))
    email = _text(credentials.get("email")).lower()
    account = ACCOUNTS.get(email)
    if account is None or account.password != credentials.get("senha"):
        state.record(
            PLATFORM, operation, document=_request_document(body), credential=email, billed=False
        )
        return auth_failure(request)
    outcome = run(Call(state, body, email, account))
    state.record(
        PLATFORM, operation, document=outcome.document, credential=email, billed=outcome.billed
    )
    return outcome.response


SANDBOX = PlatformSandbox(
    key=PLATFORM,
    handle=handle,
    auth_failure=auth_failure,
    credentials={
        "email": "sandbox@creditcheck.local",
        "senha": "sandbox123",
        "email_homologacao": "homologacao@creditcheck.local",
        "senha_homologacao": "homologacao",
    },
)
