"""Serves every platform sandbox on one port, each under its platform key, plus /sandbox/ controls.

http://127.0.0.1:8700/spcbrasil/...        SPC Brasil (SOAP)
http://127.0.0.1:8700/soawebservice/...    SOA WebServices (JSON API v2)
http://127.0.0.1:8700/connectsa/...        Connect S.A. Mercúrio (form POST)
http://127.0.0.1:8700/creditonamedida/...  Crédito na Medida (token + JSON/PDF)
http://127.0.0.1:8700/sandbox/...          scenarios, ledger, faults, latency, clock, reset

Sandboxes of services that are not credit platforms (an SMS gateway, the ISP's ERP, payment
senders) are mounted the same way from SERVICE_SANDBOXES.
"""

from __future__ import annotations

import importlib
import importlib.util
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from providers import registry
from providers.sandbox.scenarios import (
    register_scenario,
    registered_documents,
    scenarios_listing,
)
from providers.sandbox.state import FAULT_MODES, SandboxState
from providers.sandbox.wsgi import (
    PlatformSandbox,
    Request,
    Response,
    StartResponse,
    WSGIApp,
    json_response,
    read_request,
    send,
)

# Mount point -> module exposing `make_app(state: SandboxState, prefix: str) -> WSGIApp`: a
# service sandbox keeps its state in `state.services[<mount point>]` and records its calls in
# the shared ledger (`state.record(...)`, platform = the mount point).
SERVICE_SANDBOXES: dict[str, str] = {
    "ixc": "providers.sandbox.ixc",
    "zenvia": "providers.sandbox.zenvia",  # SMS gateway (notices of the dunning ruler)
}


def load_platforms() -> dict[str, PlatformSandbox]:
    """Every platform of the registry that has a sandbox module (a test asserts all four do)."""
    platforms = {}
    for key in registry.all_keys():
        name = f"providers.sandbox.{key}"
        if importlib.util.find_spec(name) is None:
            continue
        platforms[key] = importlib.import_module(name).SANDBOX
    return platforms


def _control(
    request: Request, state: SandboxState, platforms: dict[str, PlatformSandbox]
) -> Response:
    path, method = request.path.rstrip("/"), request.method
    body = request.json() if request.body else {}
    if body is None or not isinstance(body, dict):
        return json_response({"error": "corpo JSON inválido"}, 400)
    if path == "/scenarios" and method == "GET":
        return json_response(
            {
                "scenarios": scenarios_listing(),
                "credentials": {key: dict(p.credentials) for key, p in platforms.items()},
                "other_documents": "Outros CPF/CNPJ válidos caem em um cenário genérico "
                "escolhido de forma estável pelo documento; inválidos, em invalid_document.",
                "fault_modes": list(FAULT_MODES),
                "registered": registered_documents(),
            }
        )
    if path == "/scenarios" and method == "POST":
        try:
            scenario = register_scenario(body)
        except ValueError as exc:
            return json_response({"error": str(exc)}, 400)
        return json_response({"ok": True, "key": scenario.key}, 201)
    if path == "/ledger" and method == "GET":
        entries = state.ledger_entries()
        for name in ("platform", "operation", "document"):
            wanted = request.query.get(name)
            if wanted:
                entries = [e for e in entries if e[name] == wanted[-1]]
        return json_response(entries)
    if path == "/ledger" and method == "DELETE":
        with state.lock:
            state.ledger.clear()
        return json_response({"ok": True})
    if path == "/faults" and method == "POST":
        platform = str(body.get("platform", ""))
        if platform not in platforms:
            return json_response({"error": f"plataforma desconhecida: {platform!r}"}, 400)
        try:
            state.add_fault(
                platform,
                str(body.get("mode", "")),
                int(body.get("count", 1)),
                int(body.get("latency_ms", 0)),
                str(body.get("path", "")),
            )
        except (TypeError, ValueError) as exc:
            return json_response({"error": str(exc)}, 400)
        return json_response({"ok": True}, 201)
    if path == "/faults" and method == "DELETE":
        with state.lock:
            state.faults.clear()
        return json_response({"ok": True})
    if path == "/latency" and method == "POST":
        platform = str(body.get("platform", "*"))
        if platform != "*" and platform not in platforms:
            return json_response({"error": f"plataforma desconhecida: {platform!r}"}, 400)
        with state.lock:
            state.latency_ms[platform] = int(body.get("ms", 0))
        return json_response({"ok": True})
    if path == "/balances" and method == "GET":
        with state.lock:
            return json_response({key: str(amount) for key, amount in state.balances.items()})
    if path == "/balances" and method == "POST":
        # Prepaid credit of one account (SOAWebService e-mail, Crédito na Medida client id),
        # kept as the platforms key it: "<platform>:<credential>" (e.g. a load test's top-up).
        platform, credential = str(body.get("platform", "")), str(body.get("credential", ""))
        if platform not in platforms or not credential:
            return json_response({"error": "informe platform e credential"}, 400)
        try:
            amount = Decimal(str(body.get("amount", "")))
        except InvalidOperation:
            amount = Decimal("NaN")
        if not amount.is_finite():
            return json_response({"error": "amount deve ser um número"}, 400)
        with state.lock:
            state.balances[f"{platform}:{credential}"] = amount
        return json_response({"ok": True})
    if path == "/clock" and method == "GET":
        return json_response({"now": state.now().isoformat(), "today": state.today().isoformat()})
    if path == "/clock" and method == "POST":
        now = state.advance(float(body.get("advance_days", 0)))
        return json_response({"now": now.isoformat(), "today": state.today().isoformat()})
    if path == "/inclusions" and method == "GET":
        now = state.now()
        with state.lock:
            items = [
                {
                    "platform": inc.platform,
                    "id": inc.id,
                    "document": inc.document,
                    "contract": inc.contract,
                    "due_date": inc.due_date.isoformat(),
                    "amount": str(inc.amount),
                    "status": inc.status(now),
                    "visible_at": inc.visible_at.isoformat(),
                }
                for inc in state.inclusions
            ]
        return json_response(items)
    if path == "/reset" and method == "POST":
        state.reset()
        return json_response({"ok": True})
    return json_response({"error": "não encontrado"}, 404)


def make_app(state: SandboxState | None = None) -> tuple[WSGIApp, SandboxState]:
    state = state or SandboxState()
    platforms = load_platforms()
    from providers.sandbox.wsgi import platform_app

    apps = {key: platform_app(p, state, f"/{key}") for key, p in platforms.items()}
    services: dict[str, WSGIApp] = {
        prefix: importlib.import_module(dotted).make_app(state, f"/{prefix}")
        for prefix, dotted in SERVICE_SANDBOXES.items()
    }

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "/")
        head = path.strip("/").split("/", 1)[0]
        if head in apps:
            return apps[head](environ, start_response)
        if head in services:
            return services[head](environ, start_response)
        if head == "sandbox":
            return send(
                _control(read_request(environ, "/sandbox"), state, platforms), start_response
            )
        index = {
            "platforms": {key: f"/{key}" for key in apps},
            "services": {prefix: f"/{prefix}" for prefix in services},
            "controls": "/sandbox/scenarios (GET, POST), /sandbox/ledger, /sandbox/faults, "
            "/sandbox/latency, /sandbox/balances, /sandbox/clock, /sandbox/inclusions, "
            "/sandbox/reset",
        }
        return send(json_response(index, 200 if path == "/" else 404), start_response)

    return app, state


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Request lines would carry documents in query strings; keep them out of the output."""


@dataclass
class RunningSandbox:
    url: str
    state: SandboxState
    server: WSGIServer
    thread: threading.Thread

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def build_server(
    host: str, port: int, state: SandboxState | None = None
) -> tuple[WSGIServer, SandboxState]:
    app, state = make_app(state)
    server = make_server(
        host, port, app, server_class=_ThreadingServer, handler_class=_QuietHandler
    )
    return server, state


def serve_in_thread(host: str = "127.0.0.1", port: int = 0) -> RunningSandbox:
    """Start the sandboxes in a background thread (port 0 = any free port); for tests."""
    server, state = build_server(host, port)
    thread = threading.Thread(target=server.serve_forever, name="sandbox", daemon=True)
    thread.start()
    return RunningSandbox(f"http://{host}:{server.server_port}", state, server, thread)
