"""Inbound payment webhooks: who sent it (the per-source secret) and what it says.

Pure functions from a delivery (headers, query, raw body) to `Notice`s; they raise
`WebhookRefused` before anything is stored. What a notice does is `services.py`.

Wire formats (../shared/docs/ERP-AND-PAYMENTS.md):
- Asaas: the webhook's auth token echoed in the `asaas-access-token` header (no HMAC),
  envelope `{"id": "evt_...", "event": "PAYMENT_RECEIVED", "payment": {...}}`, money a JSON
  number, dates YYYY-MM-DD. Confirmed by Asaas's docs. `externalReference` carries our
  reference of the invoice (the ERP's id, or its number).
- Pix (BACEN API Pix 2.9.0 callback): `POST {webhookUrl}/pix` with `{"pix": [Pix, ...]}`, each
  with `endToEndId`, `txid`, `valor` ("110.00"), `horario` (RFC 3339) and optional
  `devolucoes`. Confirmed by bacen/pix-api's openapi.yaml. The spec protects the callback
  with mTLS, which production terminates at the proxy (README); the per-source secret comes
  in the `X-Webhook-Secret` header (set by that proxy) or the `hmac` query parameter
  (PSPs such as Efí append it to the registered URL). That secret is our own addition.
- Signed (generic, ours): `X-Signature-Timestamp` (Unix seconds) and `X-Signature`
  (`sha256=` + hex HMAC-SHA256 of `<timestamp>.<raw body>` with the source's secret); a
  timestamp outside `PAYMENT_WEBHOOK_TOLERANCE_SECONDS` is refused as a possible replay.
  Body `{"id", "type": "payment"|"refund"|"chargeback", "invoice", "paid_at", "amount"}`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.utils import timezone

from creditcheck.erp.enums import EventKind, SourceKind
from creditcheck.erp.refusals import WebhookRefused

# Asaas payment events (docs "Payment events"): which ones pay, which ones reverse a payment.
ASAAS_PAYMENT_EVENTS = frozenset({"PAYMENT_RECEIVED", "PAYMENT_CONFIRMED"})
ASAAS_REVERSAL_EVENTS = frozenset(
    {
        "PAYMENT_REFUNDED",
        "PAYMENT_PARTIALLY_REFUNDED",
        "PAYMENT_CHARGEBACK_REQUESTED",
        "PAYMENT_CHARGEBACK_DISPUTE",
        "PAYMENT_RECEIVED_IN_CASH_UNDONE",
    }
)
SIGNED_TYPES = {
    "payment": EventKind.PAYMENT,
    "refund": EventKind.REVERSAL,
    "chargeback": EventKind.REVERSAL,
}
PIX_VALUE = re.compile(r"^\d{1,10}\.\d{2}$")
MAX_PIX_PER_CALL = 1000
MAX_ID = 120
MAX_REFERENCE = 120


@dataclass(frozen=True)
class Notice:
    """One thing a delivery says happened to one payment."""

    event_id: str
    event_type: str
    kind: str  # EventKind
    reference: str  # what names the invoice: a reference (external id or number) or a txid
    by_txid: bool
    amount: Decimal | None
    paid_on: dt.date | None
    raw: str  # as received (a Pix batch: this Pix's object)


def notices_from(
    kind: str, secret: str, headers: Mapping[str, str], query: Mapping[str, str], body: bytes
) -> list[Notice]:
    """Authenticate a delivery for a source of `kind` with `secret`, then read it."""
    if kind == SourceKind.ASAAS:
        _check_token(headers.get("asaas-access-token", ""), secret, "missing_token")
        return [replace(_asaas_notice(_json_body(body)), raw=body.decode())]
    if kind == SourceKind.PIX:
        given = headers.get("x-webhook-secret", "") or query.get("hmac", "")
        _check_token(given, secret, "missing_token")
        return _pix_notices(_json_body(body))
    _check_signature(headers, secret, body)
    return [replace(_signed_notice(_json_body(body)), raw=body.decode())]


# ---- authentication ----------------------------------------------------------------------------


def _check_token(given: str, secret: str, missing_code: str) -> None:
    if not given:
        raise WebhookRefused(missing_code)
    # A source with no secret configured accepts nothing.
    if not secret or not hmac.compare_digest(given.encode(), secret.encode()):
        raise WebhookRefused("invalid_token")


def signature_for(secret: str, timestamp: str, body: bytes) -> str:
    """`sha256=<hex>` of `<timestamp>.<body>`: what a sender of the signed webhook computes."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


def _check_signature(headers: Mapping[str, str], secret: str, body: bytes) -> None:
    timestamp = headers.get("x-signature-timestamp", "")
    given = headers.get("x-signature", "")
    if not timestamp or not given:
        raise WebhookRefused("missing_signature")
    if not secret:
        raise WebhookRefused("invalid_signature")
    if not given.startswith("sha256="):
        given = f"sha256={given}"
    if not hmac.compare_digest(given.encode(), signature_for(secret, timestamp, body).encode()):
        raise WebhookRefused("invalid_signature")
    try:
        sent_at = int(timestamp)
    except ValueError:
        raise WebhookRefused("invalid_signature", "Carimbo de tempo não numérico.") from None
    if abs(time.time() - sent_at) > settings.PAYMENT_WEBHOOK_TOLERANCE_SECONDS:
        raise WebhookRefused("stale_timestamp")


# ---- reading -----------------------------------------------------------------------------------


def _json_body(body: bytes) -> Any:
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise WebhookRefused("malformed_body") from None


def _text(value: Any, field: str, *, required: bool = True, limit: int = MAX_ID) -> str:
    if value is None or value == "":
        if required:
            raise WebhookRefused("invalid_event", f"Campo obrigatório: {field}.")
        return ""
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise WebhookRefused("invalid_event", f"Campo {field} deve ser texto.")
    text = str(value).strip()
    if len(text) > limit:
        raise WebhookRefused("invalid_event", f"Campo {field} longo demais.")
    return text


def _amount(value: Any) -> Decimal | None:
    """A money value as a JSON number or a decimal string with a dot; None when unreadable."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    if not amount.is_finite() or abs(amount) >= Decimal("1e10"):
        return None
    return amount.quantize(Decimal("0.01"))


def _date(value: Any) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def _local_date(value: Any) -> dt.date | None:
    """The local (America/Sao_Paulo) date of an RFC 3339 date-time: the day the payer paid."""
    if not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if timezone.is_naive(moment):
        return moment.date()
    return timezone.localtime(moment).date()


def _raw(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def _asaas_notice(data: Any) -> Notice:
    if not isinstance(data, dict):
        raise WebhookRefused("invalid_event", "Esperado um objeto JSON.")
    event_type = _text(data.get("event"), "event", limit=60)
    payment = data.get("payment")
    if event_type.startswith("PAYMENT_") and not isinstance(payment, dict):
        raise WebhookRefused("invalid_event", "Campo obrigatório: payment.")
    payment = payment if isinstance(payment, dict) else {}
    if event_type in ASAAS_PAYMENT_EVENTS:
        kind = EventKind.PAYMENT
    elif event_type in ASAAS_REVERSAL_EVENTS:
        kind = EventKind.REVERSAL
    else:
        kind = EventKind.OTHER
    # The day the customer paid; Asaas's paymentDate may be the day the money was received.
    paid_on = next(
        (day for day in map(_date, (payment.get(key) for key in _ASAAS_DATES)) if day is not None),
        None,
    )
    return Notice(
        event_id=_text(data.get("id"), "id"),
        event_type=event_type,
        kind=kind,
        reference=_text(
            payment.get("externalReference"),
            "payment.externalReference",
            required=False,
            limit=MAX_REFERENCE,
        ),
        by_txid=False,
        amount=_amount(payment.get("value")),
        paid_on=paid_on,
        raw=_raw(data),
    )


_ASAAS_DATES = ("clientPaymentDate", "paymentDate", "confirmedDate")


def _pix_notices(data: Any) -> list[Notice]:
    if not isinstance(data, dict) or not isinstance(data.get("pix"), list) or not data["pix"]:
        raise WebhookRefused("invalid_event", 'Esperado {"pix": [...]} com ao menos um Pix.')
    if len(data["pix"]) > MAX_PIX_PER_CALL:
        raise WebhookRefused("invalid_event", f"No máximo {MAX_PIX_PER_CALL} Pix por chamada.")
    notices: list[Notice] = []
    for pix in data["pix"]:
        if not isinstance(pix, dict):
            raise WebhookRefused("invalid_event", "Cada Pix deve ser um objeto.")
        end_to_end = _text(pix.get("endToEndId"), "endToEndId", limit=40)
        value = pix.get("valor")
        if not isinstance(value, str) or not PIX_VALUE.match(value):
            raise WebhookRefused("invalid_event", "Campo valor deve ser como 110.00.")
        paid_on = _local_date(pix.get("horario"))
        if paid_on is None:
            raise WebhookRefused("invalid_event", "Campo horario deve ser uma data-hora RFC 3339.")
        txid = _text(pix.get("txid"), "txid", required=False, limit=35)
        notices.append(
            Notice(
                end_to_end, "pix", EventKind.PAYMENT, txid, True, _amount(value), paid_on, _raw(pix)
            )
        )
        refunds = pix.get("devolucoes") or []
        if not isinstance(refunds, list):
            raise WebhookRefused("invalid_event", "Campo devolucoes deve ser uma lista.")
        notices.extend(_pix_refund(end_to_end, txid, refund) for refund in refunds)
    return notices


def _pix_refund(end_to_end: str, txid: str, refund: Any) -> Notice:
    """A devolução: only DEVOLVIDO reverses money; NAO_REALIZADO (and the rest) is recorded."""
    if not isinstance(refund, dict):
        raise WebhookRefused("invalid_event", "Cada devolução deve ser um objeto.")
    refund_id = _text(refund.get("id"), "devolucoes.id", limit=35)
    status = _text(refund.get("status"), "devolucoes.status", limit=20)
    horario = refund.get("horario")
    moments: dict[str, Any] = horario if isinstance(horario, dict) else {}
    return Notice(
        event_id=f"{end_to_end}/{refund_id}",
        event_type=f"pix_devolucao_{status.lower()}",
        kind=EventKind.REVERSAL if status == "DEVOLVIDO" else EventKind.OTHER,
        reference=txid,
        by_txid=True,
        amount=_amount(refund.get("valor")),
        paid_on=_local_date(moments.get("liquidacao") or moments.get("solicitacao")),
        raw=_raw(refund),
    )


def _signed_notice(data: Any) -> Notice:
    if not isinstance(data, dict):
        raise WebhookRefused("invalid_event", "Esperado um objeto JSON.")
    event_type = _text(data.get("type"), "type", limit=60)
    if event_type not in SIGNED_TYPES:
        raise WebhookRefused("invalid_event", "Campo type deve ser payment, refund ou chargeback.")
    return Notice(
        event_id=_text(data.get("id"), "id"),
        event_type=event_type,
        kind=SIGNED_TYPES[event_type],
        reference=_text(data.get("invoice"), "invoice", limit=MAX_REFERENCE),
        by_txid=False,
        amount=_amount(data.get("amount")),
        paid_on=_date(data.get("paid_at")),
        raw=_raw(data),
    )
