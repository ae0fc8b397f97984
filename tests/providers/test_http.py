"""The outbound choke point, against a small misbehaving HTTP server on loopback."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest

from providers.base import Billed, ProviderProtocolError, ProviderUnavailable
from providers.http import HttpClient, parse_xml


@dataclass
class Behaviour:
    """What the test server does for each path, and how many requests it saw."""

    hits: dict[str, int] = field(default_factory=dict)
    statuses: dict[str, list[int]] = field(default_factory=dict)


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, Behaviour]]:
    behaviour = Behaviour()

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        path = environ["PATH_INFO"]
        behaviour.hits[path] = behaviour.hits.get(path, 0) + 1
        if path == "/slow":
            time.sleep(1.0)
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"late"]
        if path == "/redirect":
            start_response("302 Found", [("Location", "http://127.0.0.1:1/elsewhere")])
            return [b""]
        if path == "/big":
            start_response("200 OK", [("Content-Type", "application/octet-stream")])
            return [b"x" * 4096 for _ in range(64)]  # 256 KiB, streamed without a length
        if path == "/flaky":
            queue = behaviour.statuses.setdefault(path, [503, 503])
            status = queue.pop(0) if queue else 200
            start_response(f"{status} X", [("Content-Type", "text/plain")])
            return [b"ok" if status == 200 else b"busy"]
        if path == "/fault":
            start_response("500 Internal Server Error", [("Content-Type", "text/xml")])
            return [b"<fault/>"]
        start_response("200 OK", [("Content-Type", "application/json")])
        return [b'{"ok": true}']

    httpd = make_server("127.0.0.1", 0, app, server_class=_Server, handler_class=_Quiet)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}", behaviour
    httpd.shutdown()
    httpd.server_close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_request_ok_returns_body_and_lowercased_headers(server: tuple[str, Behaviour]) -> None:
    url, _ = server
    response = HttpClient().request("GET", f"{url}/ok", billed=False)
    assert (response.status, response.json(), response.media_type) == (
        200,
        {"ok": True},
        "application/json",
    )


def test_read_timeout_on_billed_call_is_not_retried_and_billed_unknown(
    server: tuple[str, Behaviour],
) -> None:
    url, behaviour = server
    before = behaviour.hits.get("/slow", 0)
    client = HttpClient(read_timeout=0.2, retries=3, backoff=0)
    with pytest.raises(ProviderUnavailable) as caught:
        client.request("POST", f"{url}/slow", billed=True, json={})
    assert (caught.value.billed, caught.value.code) == (Billed.UNKNOWN, "timeout")
    assert behaviour.hits["/slow"] - before == 1


def test_read_timeout_on_free_call_is_retried(server: tuple[str, Behaviour]) -> None:
    url, behaviour = server
    before = behaviour.hits.get("/slow", 0)
    client = HttpClient(read_timeout=0.2, retries=2, backoff=0)
    with pytest.raises(ProviderUnavailable) as caught:
        client.request("GET", f"{url}/slow", billed=False)
    assert caught.value.billed == Billed.NO
    assert behaviour.hits["/slow"] - before == 3


def test_connection_refused_is_retried_and_never_billed() -> None:
    client = HttpClient(connect_timeout=0.5, retries=2, backoff=0)
    with pytest.raises(ProviderUnavailable) as caught:
        client.request("POST", f"http://127.0.0.1:{_free_port()}/x", billed=True, json={})
    assert (caught.value.billed, caught.value.code, caught.value.retryable) == (
        Billed.NO,
        "connection",
        True,
    )


def test_redirects_are_refused(server: tuple[str, Behaviour]) -> None:
    url, _ = server
    with pytest.raises(ProviderProtocolError) as caught:
        HttpClient().request("GET", f"{url}/redirect", billed=False)
    assert caught.value.code == "redirect"


def test_oversized_response_is_rejected(server: tuple[str, Behaviour]) -> None:
    url, _ = server
    with pytest.raises(ProviderProtocolError) as caught:
        HttpClient(max_bytes=100_000).request("GET", f"{url}/big", billed=False)
    assert caught.value.code == "response_too_large"


def test_free_call_retries_503_until_success(server: tuple[str, Behaviour]) -> None:
    url, behaviour = server
    behaviour.statuses["/flaky"] = [503, 503]
    response = HttpClient(retries=2, backoff=0).request("GET", f"{url}/flaky", billed=False)
    assert (response.status, response.content) == (200, b"ok")


def test_billed_call_does_not_retry_503(server: tuple[str, Behaviour]) -> None:
    url, behaviour = server
    behaviour.statuses["/flaky"] = [503, 503]
    response = HttpClient(retries=2, backoff=0).request("POST", f"{url}/flaky", billed=True)
    assert response.status == 503


def test_500_is_returned_to_the_adapter(server: tuple[str, Behaviour]) -> None:
    url, _ = server
    response = HttpClient().request("POST", f"{url}/fault", billed=True)
    assert (response.status, response.content) == (500, b"<fault/>")


def test_invalid_json_raises_protocol_error(server: tuple[str, Behaviour]) -> None:
    url, _ = server
    response = HttpClient().request("POST", f"{url}/fault", billed=False)
    with pytest.raises(ProviderProtocolError):
        response.json()


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<lolz>&lol3;</lolz>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<r>&x;</r>"""


@pytest.mark.parametrize("payload", [BILLION_LAUGHS, XXE], ids=["entity-expansion", "xxe"])
def test_parse_xml_refuses_dtds_and_entities(payload: bytes) -> None:
    with pytest.raises(ProviderProtocolError) as caught:
        parse_xml(payload)
    assert caught.value.code == "xml_dtd"


def test_parse_xml_reads_plain_soap() -> None:
    root = parse_xml(b"<a><b>1</b></a>")
    assert root.findtext("b") == "1"


def test_parse_xml_malformed_raises_protocol_error() -> None:
    with pytest.raises(ProviderProtocolError) as caught:
        parse_xml(b"<a><b></a>")
    assert caught.value.code == "malformed_xml"
