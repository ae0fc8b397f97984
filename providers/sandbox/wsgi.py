"""Tiny request/response layer shared by the platform sandboxes (WSGI, standard library only)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from providers.sandbox.state import SandboxState

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

REASONS = {
    200: "OK",
    201: "Created",
    204: "No Content",
    400: "Bad Request",
    401: "Unauthorized",
    402: "Payment Required",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    422: "Unprocessable Entity",
    500: "Internal Server Error",
}

MAX_BODY = 1024 * 1024


@dataclass(frozen=True)
class Request:
    method: str
    path: str  # below the platform's prefix, starting with "/"
    query: Mapping[str, list[str]]
    headers: Mapping[str, str]  # lower-cased names
    body: bytes

    def form(self) -> dict[str, str]:
        parsed = parse_qs(self.body.decode("utf-8", errors="replace"), keep_blank_values=True)
        return {key: values[-1] for key, values in parsed.items()}

    def json(self) -> Any:
        """The JSON body, or None when it is not valid JSON."""
        try:
            return json.loads(self.body or b"null")
        except ValueError:
            return None


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


def json_response(data: Any, status: int = 200) -> Response:
    return Response(status, json.dumps(data, ensure_ascii=False, default=str).encode("utf-8"))


Handler = Callable[[Request, SandboxState], Response]


@dataclass(frozen=True)
class PlatformSandbox:
    """What each platform module exposes to the server."""

    key: str
    handle: Handler
    auth_failure: Callable[[Request], Response]  # the platform's own "bad credentials" answer
    credentials: Mapping[str, str]  # accepted test credentials, listed by /sandbox/scenarios


def read_request(environ: dict[str, Any], prefix: str) -> Request:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(min(length, MAX_BODY)) if length else b""
    headers = {
        key[5:].replace("_", "-").lower(): value
        for key, value in environ.items()
        if key.startswith("HTTP_")
    }
    if environ.get("CONTENT_TYPE"):
        headers["content-type"] = environ["CONTENT_TYPE"]
    path = environ.get("PATH_INFO", "/")[len(prefix) :] or "/"
    return Request(
        method=environ["REQUEST_METHOD"].upper(),
        path=path,
        query=parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True),
        headers=headers,
        body=body,
    )


def send(response: Response, start_response: StartResponse) -> list[bytes]:
    headers = [("Content-Type", response.content_type), ("Content-Length", str(len(response.body)))]
    headers += list(response.headers.items())
    start_response(f"{response.status} {REASONS.get(response.status, 'Status')}", headers)
    return [response.body]


def platform_app(platform: PlatformSandbox, state: SandboxState, prefix: str) -> WSGIApp:
    """One WSGI app per platform: faults and latency first, then the platform's handler."""

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        request = read_request(environ, prefix)
        state.remember_request(platform.key, request)
        latency = state.steady_latency_ms(platform.key)
        if latency:
            time.sleep(latency / 1000)
        fault = state.take_fault(platform.key, request.path)
        if fault is None:
            return send(platform.handle(request, state), start_response)
        if fault.mode == "latency":
            time.sleep(fault.latency_ms / 1000)
            return send(platform.handle(request, state), start_response)
        if fault.mode == "http500":
            page = b"<html><body><h1>500 Internal Server Error</h1></body></html>"
            return send(Response(500, page, "text/html"), start_response)
        if fault.mode == "auth":
            return send(platform.auth_failure(request), start_response)
        response = platform.handle(request, state)  # processed (and billed) before the fault
        if fault.mode == "malformed":
            cut = max(1, len(response.body) // 3)
            return send(
                Response(response.status, response.body[:cut] + b"\x00<<<", response.content_type),
                start_response,
            )
        # "timeout": the platform did the work, the answer comes too late for the client.
        time.sleep((fault.latency_ms or 5000) / 1000)
        return send(response, start_response)

    return app
