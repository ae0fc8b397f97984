"""The one outbound choke point: every call to a platform goes through HttpClient.

Rules enforced here so that no adapter can forget them:
- explicit connect and read timeouts on every call;
- no redirects (a platform that redirects is misconfigured or impersonated);
- a cap on the response size, read in a stream;
- retries with backoff only when a retry cannot bill twice: the connection was never
  established (provably not delivered), or the operation is free/idempotent;
- a read timeout on a billed call is reported as ProviderUnavailable with billed=UNKNOWN and is
  never retried;
- XML parsed without entity expansion, DTDs or network access.
Bodies are never logged: they carry CPF/CNPJ and credentials.
"""

from __future__ import annotations

import json as jsonlib
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
from lxml import etree

from providers.base import Billed, ProviderProtocolError, ProviderUnavailable
from providers.parsing import json_answer_problem

logger = logging.getLogger("providers.http")

DEFAULT_MAX_BYTES = 10 * 1024 * 1024  # a platform PDF report is well under this
RETRYABLE_STATUSES = frozenset({502, 503, 504})


@dataclass(frozen=True)
class HttpResponse:
    status: int
    headers: Mapping[str, str]  # lower-cased names
    content: bytes = field(repr=False)
    elapsed: float  # seconds

    @property
    def media_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")

    def json(self) -> Any:
        try:
            payload = jsonlib.loads(self.content)
        except (ValueError, RecursionError) as exc:  # RecursionError: nesting thousands deep
            raise ProviderProtocolError(
                f"resposta não é JSON válido (HTTP {self.status})", code="malformed_json"
            ) from exc
        problem = json_answer_problem(payload)
        if problem:
            raise ProviderProtocolError(
                f"resposta ilegível (HTTP {self.status}): {problem}", code="malformed_json"
            )
        return payload


def json_object(
    content: bytes,
    *,
    billed: Billed,
    source: str = "resposta",
    parse_float: Callable[[str], Any] | None = None,
) -> dict[str, Any]:
    """The JSON object of a platform's answer, or the contract's `malformed_json` error.

    `billed` is what a failure here means for billing; `source` names the answer in the error
    ("resposta da ConnectSA").
    """
    try:
        payload = jsonlib.loads(content, parse_float=parse_float)
    except (ValueError, RecursionError) as exc:  # RecursionError: nesting thousands deep
        raise ProviderProtocolError(
            f"{source} não é JSON válido", code="malformed_json", billed=billed
        ) from exc
    if not isinstance(payload, dict):
        raise ProviderProtocolError(
            f"{source} não é um objeto JSON", code="malformed_json", billed=billed
        )
    problem = json_answer_problem(payload)
    if problem:
        raise ProviderProtocolError(
            f"{source} ilegível: {problem}", code="malformed_json", billed=billed
        )
    return payload


def _never_reached(exc: requests.RequestException) -> bool:
    """True when the request provably never reached the platform (no connection was made)."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    if isinstance(exc, requests.exceptions.ConnectionError) and not isinstance(
        exc, requests.exceptions.ReadTimeout
    ):
        # urllib3 wraps a refused/unresolvable connection in NewConnectionError; a connection
        # reset after sending shows up as ProtocolError instead.
        text = repr(exc)
        return "NewConnectionError" in text or "Connection refused" in text
    return False


class HttpClient:
    """Small requests wrapper. One instance per adapter; it keeps connections alive."""

    def __init__(
        self,
        *,
        connect_timeout: float = 5.0,
        read_timeout: float = 30.0,
        max_bytes: int = DEFAULT_MAX_BYTES,
        retries: int = 2,
        backoff: float = 0.2,
    ) -> None:
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.max_bytes = max_bytes
        self.retries = retries
        self.backoff = backoff
        self.session = requests.Session()
        # Environment proxies would send personal data somewhere the operator did not configure.
        self.session.trust_env = False

    def close(self) -> None:
        self.session.close()

    def request(
        self,
        method: str,
        url: str,
        *,
        billed: bool,
        data: Mapping[str, str] | None = None,
        json: Any = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        auth: tuple[str, str] | None = None,
    ) -> HttpResponse:
        """Send one request, retrying only where that cannot bill twice.

        `billed` says whether the platform charges for this operation. Returns every response
        below 300 and every 4xx/5xx as-is (platforms carry business errors in them); raises
        ProviderUnavailable when nothing usable came back and ProviderProtocolError for
        redirects and oversized bodies.
        """
        attempt = 0
        while True:
            attempt += 1
            try:
                response = self._send_once(
                    method, url, data=data, json=json, content=content, headers=headers, auth=auth
                )
            except requests.RequestException as exc:
                reached = not _never_reached(exc)
                may_retry = attempt <= self.retries and (not reached or not billed)
                if may_retry:
                    self._sleep(attempt)
                    continue
                billed_state = Billed.UNKNOWN if (reached and billed) else Billed.NO
                kind = "timeout" if isinstance(exc, requests.Timeout) else "connection"
                logger.warning(
                    "platform call failed: %s %s (%s, attempt %d, billed=%s)",
                    method,
                    _path(url),
                    kind,
                    attempt,
                    billed_state,
                )
                raise ProviderUnavailable(
                    f"{kind}: {exc.__class__.__name__}", code=kind, billed=billed_state
                ) from exc
            if response.status in RETRYABLE_STATUSES and not billed and attempt <= self.retries:
                self._sleep(attempt)
                continue
            return response

    def _sleep(self, attempt: int) -> None:
        time.sleep(self.backoff * (2 ** (attempt - 1)))

    def _send_once(
        self,
        method: str,
        url: str,
        *,
        data: Mapping[str, str] | None,
        json: Any,
        content: bytes | None,
        headers: Mapping[str, str] | None,
        auth: tuple[str, str] | None,
    ) -> HttpResponse:
        started = time.perf_counter()
        with self.session.request(
            method,
            url,
            data=content if content is not None else data,
            json=json,
            headers=dict(headers or {}),
            auth=auth,
            timeout=(self.connect_timeout, self.read_timeout),
            allow_redirects=False,
            stream=True,
        ) as raw:
            if 300 <= raw.status_code < 400:
                raise ProviderProtocolError(
                    f"redirecionamento recusado (HTTP {raw.status_code})", code="redirect"
                )
            declared = raw.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > self.max_bytes:
                raise ProviderProtocolError(
                    f"resposta grande demais ({declared} bytes)", code="response_too_large"
                )
            body = bytearray()
            for chunk in raw.iter_content(chunk_size=65536):
                body.extend(chunk)
                if len(body) > self.max_bytes:
                    raise ProviderProtocolError(
                        f"resposta grande demais (mais de {self.max_bytes} bytes)",
                        code="response_too_large",
                    )
            elapsed = time.perf_counter() - started
            logger.info(
                "platform call: %s %s -> %d in %.0f ms",
                method,
                _path(url),
                raw.status_code,
                elapsed * 1000,
            )
            return HttpResponse(
                status=raw.status_code,
                headers={k.lower(): v for k, v in raw.headers.items()},
                content=bytes(body),
                elapsed=elapsed,
            )


def _path(url: str) -> str:
    """Scheme, host and path only: query strings may carry documents or keys."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


_XML_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    dtd_validation=False,
    huge_tree=False,
    remove_comments=True,
)


def parse_xml(content: bytes) -> etree._Element:
    """Parse a platform's XML safely; any DTD (the vehicle of entity bombs and XXE) is refused."""
    head = content[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in content.lower():
        raise ProviderProtocolError("XML com DTD/entidades recusado", code="xml_dtd")
    try:
        root = etree.fromstring(content, parser=_XML_PARSER)
    except etree.XMLSyntaxError as exc:
        raise ProviderProtocolError(f"XML malformado: {exc}", code="malformed_xml") from exc
    # The byte check above misses a DTD in UTF-16 or after 4 KiB of comments; the parser (which
    # expanded nothing) still saw it.
    if root.getroottree().docinfo.internalDTD is not None:
        raise ProviderProtocolError("XML com DTD/entidades recusado", code="xml_dtd")
    return root
