"""A local sandbox of IXCProvedor's webservice API, mounted at /ixc (SERVICE_SANDBOXES).

Behaviour as ../shared/docs/ERP-AND-PAYMENTS.md §1 and §6 describe it:
- `POST` (or GET with a body) `/ixc/webservice/v1/<table>` with header `ixcsoft: listar`
  lists `filial`, `cliente`, `cliente_contrato`, `fn_areceber` and `cidade`; without the
  header: 404. Auth is HTTP Basic of the token `<user id>:<secret>` (TOKEN below); a wrong or
  missing token: 401 `{"type": "error", ...}`. The IP allowlist is not simulated.
- Body `{"qtype", "query", "oper", "page", "rp", "sortname", "sortorder", "grid_param"}` (all
  strings; `grid_param` a string holding a JSON array of `{"TB", "OP", "P"}`, ANDed), operators
  `= != > < >= <= L IN`, `page` 1-based; answer `{"page": "1", "total": "N", "registros": [...]}`
  with every value a string, money as "26.00", dates ISO, empty dates "0000-00-00"; no
  `registros` when nothing matches.
- Errors: an unknown field answers HTTP 200 `{"type": "error", "message": ...}`; a body that is
  not JSON answers HTTP 200 with an HTML error page; an unknown table answers 500.
- Write path `POST /ixc/webservice/v1/fn_areceber_recebimentos_baixas_novo` (`id_receber`,
  `data` DD/MM/YYYY, `valor_total_recebido`) receives a payment: status R, `valor_recebido`,
  `pagamento_data`, `ultima_atualizacao`.
- Control `POST /ixc/_sandbox/seed {"receivables": N}` adds N more open receivables (benches).
Every call is in the shared ledger as platform "ixc" (never billed).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import threading
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from providers.sandbox.state import SandboxState
from providers.sandbox.wsgi import Request, Response, WSGIApp, json_response, read_request, send

KEY = "ixc"
USER_ID, SECRET = "1", "ixc-sandbox-token"
TOKEN = f"{USER_ID}:{SECRET}"
TABLES = ("filial", "cliente", "cliente_contrato", "fn_areceber", "cidade")
STATUS_INTERNET = ("A", "AA", "FA", "CM", "CA", "D")
STAMP = "2026-11-01 08:00:00"
HTML_ERROR = (
    '<div style="padding:10px;color:#a94442">Ocorreu um erro ao processar a requisição.</div>'
)


def _cpf(n: int) -> str:
    digits = [int(c) for c in f"{(100000001 + n * 7919) % 10**9:09d}"]
    for size in (9, 10):
        total = sum(d * w for d, w in zip(digits, range(size + 1, 1, -1), strict=False))
        digits.append((total * 10 % 11) % 10)
    text = "".join(map(str, digits))
    return f"{text[:3]}.{text[3:6]}.{text[6:9]}-{text[9:]}"


def _cnpj(n: int) -> str:
    digits = [int(c) for c in f"{(11444777 + n * 104729) % 10**8:08d}0001"]
    for weights in ([5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2], [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]):
        rest = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        digits.append(0 if rest < 2 else 11 - rest)
    text = "".join(map(str, digits))
    return f"{text[:2]}.{text[2:5]}.{text[5:8]}/{text[8:12]}-{text[12:]}"


class IxcData:
    """The ERP's tables: two filiais, PF and PJ customers, a contract each in every
    `status_internet`, receivables open, received (one partially), cancelled and `liberado=N`."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.tables: dict[str, list[dict[str, str]]] = {
            "filial": [
                {"id": "1", "ativo": "S", "razao": "Provedor Demo Matriz", "fantasia": "Matriz",
                 "cnpj": "11.222.333/0001-81", "cidade": "1"},
                {"id": "2", "ativo": "S", "razao": "Provedor Demo Filial BH", "fantasia": "BH",
                 "cnpj": "11.222.333/0002-62", "cidade": "2"},
            ],
            "cidade": [{"id": "1", "nome": "São Paulo", "uf": "SP"},
                       {"id": "2", "nome": "Belo Horizonte", "uf": "MG"}],
            "cliente": [], "cliente_contrato": [], "fn_areceber": [],
        }  # fmt: skip
        for n in range(1, 13):
            self._customer(n)
        self.next_receivable = 1
        for n in range(1, 13):
            contract = self.tables["cliente_contrato"][n - 1]
            for month in (1, 2, 3):
                self.add_receivable(contract, month, "A")
        self.tables["fn_areceber"][1].update(self._received("2026-02-12", "99.90"))
        self.tables["fn_areceber"][4].update(self._received("2026-02-15", "50.00"))
        self.tables["fn_areceber"][4]["status"] = "A"  # partial: still open
        self.tables["fn_areceber"][4]["valor_aberto"] = "49.90"
        self.tables["fn_areceber"][7]["status"] = "C"
        self.tables["fn_areceber"][10]["liberado"] = "N"

    def _customer(self, n: int) -> None:
        company = n % 4 == 0
        filial = "1" if n % 3 else "2"
        self.tables["cliente"].append({
            "id": str(100 + n), "ativo": "S", "tipo_pessoa": "J" if company else "F",
            "razao": f"Empresa Demo {n} Ltda" if company else f"Cliente Demo {n}",
            "fantasia": "", "cnpj_cpf": _cnpj(n) if company else _cpf(n),
            "data_nascimento": "0000-00-00" if company else f"19{60 + n}-05-1{n % 10}",
            "filial_id": filial, "endereco": "Rua das Flores", "numero": str(n),
            "complemento": "", "bairro": "Centro", "cidade": filial,
            "uf": "SP" if filial == "1" else "MG",
            "cep": "01310-100" if filial == "1" else "30130-010",
            "fone": "", "telefone_celular": f"(11) 98888-{n:04d}", "email": f"c{n}@exemplo.com",
            "ultima_atualizacao": STAMP,
        })  # fmt: skip
        self.tables["cliente_contrato"].append({
            "id": str(500 + n), "id_cliente": str(100 + n), "id_filial": filial,
            "contrato": "Fibra 500 Mega" if n % 2 else "Fibra 300 Mega", "tipo": "I",
            "data": "2025-01-10", "data_ativacao": "2025-01-10", "data_cancelamento": "0000-00-00",
            "status": "A", "status_internet": STATUS_INTERNET[n % len(STATUS_INTERNET)],
            "ultima_atualizacao": STAMP,
        })  # fmt: skip

    def add_receivable(self, contract: dict[str, str], month: int, status: str) -> None:
        number = self.next_receivable
        self.next_receivable += 1
        value = "99.90" if contract["contrato"].startswith("Fibra 300") else "129.90"
        self.tables["fn_areceber"].append({
            "id": str(9000 + number), "id_cliente": contract["id_cliente"],
            "id_contrato": contract["id"], "filial_id": contract["id_filial"], "status": status,
            "liberado": "S", "data_emissao": f"2026-{month:02d}-01",
            "data_vencimento": f"2026-{month:02d}-10", "valor": value, "valor_aberto": value,
            "valor_recebido": "0.00", "valor_cancelado": "0.00", "pagamento_data": "0000-00-00",
            "documento": f"{9000 + number}", "nn_boleto": f"{700000 + number}",
            "pix_txid": f"IXCTX{9000 + number:026d}", "recebido_via_pix": "N",
            "ultima_atualizacao": STAMP,
        })  # fmt: skip

    @staticmethod
    def _received(day: str, value: str) -> dict[str, str]:
        return {"status": "R", "valor_recebido": value, "pagamento_data": day,
                "baixa_data": day, "ultima_atualizacao": f"{day} 10:00:00"}  # fmt: skip


def _data(state: SandboxState) -> IxcData:
    with state.lock:
        data = state.services.get(KEY)
        if not isinstance(data, IxcData):
            data = IxcData()
            state.services[KEY] = data
        return data


def _authorized(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if not header.startswith("Basic "):
        return None
    try:
        token = base64.b64decode(header[6:]).decode()
    except ValueError:
        return None
    return token.split(":", 1)[0] if token == TOKEN else None


def _matches(value: str, oper: str, wanted: str) -> bool:
    if oper == "L":
        return wanted.lower() in value.lower()
    if oper == "IN":
        return value in [part.strip() for part in wanted.split(",")]
    try:
        left, right = Decimal(value), Decimal(wanted)
        pair: tuple[Any, Any] = (left, right)
    except ArithmeticError:  # not numbers (dates, text): compared as strings
        pair = (value, wanted)
    left, right = pair
    return bool({
        "=": left == right, "!=": left != right, ">": left > right, "<": left < right,
        ">=": left >= right, "<=": left <= right,
    }[oper])  # fmt: skip


def _field(table: str, qualified: str, columns: set[str]) -> str | None:
    prefix, _, name = qualified.rpartition(".")
    return name if prefix == table and name in columns else None


def _list(table: str, body: dict[str, Any], data: IxcData) -> Response:
    with data.lock:
        rows = [dict(row) for row in data.tables[table]]
    columns = set().union(*(row.keys() for row in rows)) if rows else {"id"}
    filters = []
    if body.get("qtype"):
        filters.append((body["qtype"], body.get("oper") or "=", str(body.get("query", ""))))
    if body.get("grid_param"):
        try:
            grid = json.loads(body["grid_param"])
            filters += [(g["TB"], g.get("OP", "="), str(g.get("P", ""))) for g in grid]
        except (ValueError, TypeError, KeyError):
            return json_response({"type": "error", "message": "grid_param inválido"})
    checks = []
    for qualified, oper, wanted in filters:
        name = _field(table, str(qualified), columns)
        if name is None or oper not in ("=", "!=", ">", "<", ">=", "<=", "L", "IN"):
            message = f"Campo {qualified} não existe na tabela {table}<br />"
            return json_response({"type": "error", "message": message})
        checks.append((name, oper, wanted))
    rows = [row for row in rows if all(_matches(row.get(n, ""), o, w) for n, o, w in checks)]
    sort = _field(table, str(body.get("sortname") or f"{table}.id"), columns) or "id"
    numeric = all(row.get(sort, "").isdigit() for row in rows)
    rows.sort(key=lambda row: int(row[sort]) if numeric else row.get(sort, ""))
    if str(body.get("sortorder", "asc")).lower() == "desc":
        rows.reverse()
    page, per_page = int(body.get("page") or 1), int(body.get("rp") or 20)
    chunk = rows[(page - 1) * per_page : page * per_page]
    answer: dict[str, Any] = {"page": str(page), "total": str(len(rows))}
    if chunk:
        answer["registros"] = chunk
    return json_response(answer)


def _receive_payment(body: dict[str, Any], data: IxcData) -> Response:
    with data.lock:
        row = next(
            (r for r in data.tables["fn_areceber"] if r["id"] == str(body.get("id_receber"))), None
        )
        if row is None:
            return json_response({"type": "error", "message": "Conta a receber não encontrada"})
        try:
            day = dt.datetime.strptime(str(body.get("data", "")), "%d/%m/%Y").date().isoformat()
        except ValueError:
            return json_response({"type": "error", "message": "Data inválida (dd/mm/aaaa)"})
        value = str(body.get("valor_total_recebido") or row["valor"])
        row.update(IxcData._received(day, f"{Decimal(value):.2f}"))
        row["valor_aberto"] = "0.00"
    return json_response({"type": "success", "message": "Baixa registrada", "id": row["id"]})


def make_app(state: SandboxState, prefix: str) -> WSGIApp:
    def app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = read_request(environ, prefix)
        return send(_handle(request, state), start_response)

    return app


def _handle(request: Request, state: SandboxState) -> Response:
    data = _data(state)
    path = request.path.rstrip("/")
    if path == "/_sandbox/seed" and request.method == "POST":
        count = int((request.json() or {}).get("receivables", 0))
        with data.lock:
            contracts = data.tables["cliente_contrato"]
            for index in range(count):
                data.add_receivable(contracts[index % len(contracts)], 4 + index % 8, "A")
        return json_response({"receivables": len(data.tables["fn_areceber"])})
    user = _authorized(request)
    table = path.removeprefix("/webservice/v1/")
    state.record(KEY, f"{request.headers.get('ixcsoft', request.method)} {table}",
                 document="", credential=user or "", billed=False)  # fmt: skip
    if user is None:
        return json_response({"type": "error", "message": "Token inválido ou inativo"}, 401)
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return Response(200, HTML_ERROR.encode(), "text/html; charset=utf-8")
    if not isinstance(body, dict):
        return Response(200, HTML_ERROR.encode(), "text/html; charset=utf-8")
    if table == "fn_areceber_recebimentos_baixas_novo" and request.method == "POST":
        return _receive_payment(body, data)
    if table not in TABLES:
        return Response(500, b"Internal Server Error", "text/plain")
    if request.headers.get("ixcsoft") != "listar":
        return Response(404, b"Not Found", "text/plain")
    return _list(table, body, data)
