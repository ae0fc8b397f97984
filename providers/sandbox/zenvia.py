"""Sandbox of Zenvia's SMS API (v2), mounted at /zenvia by the sandbox server.

Wire format, from Zenvia's public OpenAPI specification (github.com/zenvia/zenvia-openapi-spec,
"Zenvia APIs 2.0.0"):
- confirmed: `POST /v2/channels/sms/messages` with the `X-API-TOKEN` header and a JSON body
  `{"from", "to", "contents": [{"type": "text", "text"}]}`, answered with the message and its
  `id`; `POST /v2/subscriptions` with `{"eventType": "MESSAGE_STATUS", "webhook": {"url",
  "headers"}, "criteria": {"channel": "sms"}}` (the webhook's `headers` are sent with every
  event); status events `{"id", "timestamp", "type": "MESSAGE_STATUS", "subscriptionId",
  "channel", "messageId", "messageStatus": {"timestamp", "code", "description", "causes"}}`
  with codes REJECTED, SENT, DELIVERED, NOT_DELIVERED.
- assumed: the error bodies (`{"code", "message", "details"}`), the longest text accepted
  (MAX_TEXT) and when the events are posted (here: when a test calls /zenvia/sandbox/flush).

Scenarios by destination number: ending in 0000, the operator reports NOT_DELIVERED (phone
off, number out of service); ending in 9999, the message is REJECTED; any other: SENT, then
DELIVERED. Every call goes to the ledger (platform "zenvia", billed for each message sent).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

import requests

from providers.sandbox.state import SandboxState
from providers.sandbox.wsgi import (
    Request,
    Response,
    StartResponse,
    WSGIApp,
    json_response,
    read_request,
    send,
)

KEY = "zenvia"
TOKENS = ("sandbox-zenvia-token",)
MAX_TEXT = 1152  # assumed: 8 concatenated parts of 153 characters (rounded as Zenvia shows)


@dataclass
class ZenviaState:
    messages: list[dict[str, Any]] = field(default_factory=list)
    subscriptions: list[dict[str, Any]] = field(default_factory=list)
    pending: list[dict[str, Any]] = field(default_factory=list)  # events not posted yet
    posted: list[dict[str, Any]] = field(default_factory=list)  # each with the answer it got


def _state(state: SandboxState) -> ZenviaState:
    with state.lock:
        found = state.services.get(KEY)
        if not isinstance(found, ZenviaState):
            found = ZenviaState()
            state.services[KEY] = found
        return found


def _error(status: int, code: str, message: str, **extra: Any) -> Response:
    return json_response({"code": code, "message": message, **extra}, status)


def _event(
    state: SandboxState, message: dict[str, Any], code: str, description: str
) -> dict[str, Any]:
    now = state.now().isoformat().replace("+00:00", "Z")
    return {
        "id": str(uuid.uuid4()),
        "timestamp": now,
        "type": "MESSAGE_STATUS",
        "channel": "sms",
        "messageId": message["id"],
        "contentIndex": 0,
        "messageStatus": {"timestamp": now, "code": code, "description": description, "causes": []},
    }


def _send_message(request: Request, state: SandboxState) -> Response:
    body = request.json()
    if not isinstance(body, dict):
        return _error(400, "VALIDATION_ERROR", "Invalid JSON body")
    contents = body.get("contents")
    to, sender = str(body.get("to") or ""), str(body.get("from") or "")
    details = []
    if not to.isdigit() or not 10 <= len(to) <= 13:
        details.append({"code": "INVALID_FORMAT", "path": "to", "message": "Invalid phone number"})
    if not sender:
        details.append({"code": "REQUIRED", "path": "from", "message": "Required"})
    parts = [c for c in contents if isinstance(c, dict)] if isinstance(contents, list) else []
    texts = [str(part.get("text") or "") for part in parts]
    if not texts or any(part.get("type") != "text" for part in parts):
        details.append({"code": "INVALID", "path": "contents", "message": "Expected text content"})
    elif any(len(text) > MAX_TEXT for text in texts):
        details.append(
            {"code": "MAX_LENGTH", "path": "contents[0].text", "message": f"Max {MAX_TEXT}"}
        )
    if details:
        return _error(400, "VALIDATION_ERROR", "Validation error", details=details)
    message = {
        "id": str(uuid.uuid4()),
        "from": sender,
        "to": to,
        "direction": "OUT",
        "channel": "sms",
        "contents": contents,
        "timestamp": state.now().isoformat().replace("+00:00", "Z"),
    }
    zenvia = _state(state)
    state.record(
        KEY, "send_sms", document=to, credential=request.headers["x-api-token"], billed=True
    )
    with state.lock:
        zenvia.messages.append(message)
        if to.endswith("9999"):
            zenvia.pending.append(_event(state, message, "REJECTED", "Blocked destination"))
        else:
            zenvia.pending.append(_event(state, message, "SENT", "Sent to the operator"))
            final = (
                ("NOT_DELIVERED", "Phone unreachable")
                if to.endswith("0000")
                else ("DELIVERED", "Delivered to the handset")
            )
            zenvia.pending.append(_event(state, message, *final))
    return json_response(message)


def _subscribe(request: Request, state: SandboxState) -> Response:
    body = request.json()
    webhook = body.get("webhook") if isinstance(body, dict) else None
    if not isinstance(webhook, dict) or not webhook.get("url"):
        return _error(400, "VALIDATION_ERROR", "webhook.url is required")
    subscription = {
        "id": str(uuid.uuid4()),
        "eventType": body.get("eventType", "MESSAGE_STATUS"),
        "webhook": {"url": webhook["url"], "headers": dict(webhook.get("headers") or {})},
        "criteria": body.get("criteria") or {"channel": "sms"},
        "status": "ACTIVE",
    }
    with state.lock:
        _state(state).subscriptions.append(subscription)
    return json_response(subscription)


def flush(state: SandboxState) -> list[dict[str, Any]]:
    """Post every pending status event to every MESSAGE_STATUS subscription, in order."""
    zenvia = _state(state)
    with state.lock:
        events, zenvia.pending = zenvia.pending, []
        subscriptions = [s for s in zenvia.subscriptions if s["eventType"] == "MESSAGE_STATUS"]
    results = []
    for event in events:
        for subscription in subscriptions:
            payload = {**event, "subscriptionId": subscription["id"]}
            headers = {"Content-Type": "application/json", **subscription["webhook"]["headers"]}
            try:
                answer = requests.post(
                    subscription["webhook"]["url"],
                    data=json.dumps(payload).encode(),
                    headers=headers,
                    timeout=10,
                )
                result = {"event": payload, "status": answer.status_code}
            except requests.RequestException as exc:
                result = {"event": payload, "status": 0, "error": type(exc).__name__}
            results.append(result)
    with state.lock:
        zenvia.posted.extend(results)
    return results


def _handle(request: Request, state: SandboxState) -> Response:
    path, method = request.path.rstrip("/"), request.method
    if path.startswith("/sandbox"):  # test controls: no token
        if path == "/sandbox/flush" and method == "POST":
            return json_response({"posted": flush(state)})
        if path == "/sandbox/messages" and method == "GET":
            zenvia = _state(state)
            with state.lock:
                return json_response(
                    {"messages": list(zenvia.messages), "pending": list(zenvia.pending)}
                )
        return _error(404, "NOT_FOUND", "Unknown sandbox control")
    if request.headers.get("x-api-token") not in TOKENS:
        return _error(401, "AUTHENTICATION_ERROR", "No authorization token was found")
    if path == "/v2/channels/sms/messages" and method == "POST":
        return _send_message(request, state)
    if path == "/v2/subscriptions" and method == "POST":
        return _subscribe(request, state)
    return _error(404, "NOT_FOUND", "Resource not found")


def make_app(state: SandboxState, prefix: str) -> WSGIApp:
    def app(environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        return send(_handle(read_request(environ, prefix), state), start_response)

    return app
