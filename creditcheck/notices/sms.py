"""Notices by SMS through Zenvia's API v2, and its delivery receipts.

Wire format (providers/sandbox/zenvia.py cites it): confirmed `POST /v2/channels/sms/messages`
with `X-API-TOKEN`, the message `id` in the answer, MESSAGE_STATUS events with `messageId` and
`messageStatus.code` (SENT, DELIVERED, NOT_DELIVERED, REJECTED); assumed: the error bodies.

Zenvia does not sign its webhooks: a subscription carries fixed `headers`, so the callback is
authenticated by SMS_WEBHOOK_TOKEN in `X-CreditCheck-Webhook-Token` (compared in constant
time) and is taken once: an event id already taken, or one whose timestamp is more than
CALLBACK_MAX_AGE away from now, is refused (a replay) and changes nothing.
"""

import datetime as dt
import hmac
import json
import logging
from dataclasses import dataclass
from typing import Any

import requests
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from creditcheck.notices.enums import NoticeEventKind
from creditcheck.notices.models import Notice, NoticeEvent
from creditcheck.notices.services import notice_record_event

logger = logging.getLogger(__name__)
SMS_MAX_LENGTH = 160  # one SMS part (GSM 7-bit): a longer notice is refused before sending
TOKEN_HEADER = "X-CreditCheck-Webhook-Token"  # noqa: S105 (a header name, not a secret)
CALLBACK_MAX_AGE = dt.timedelta(minutes=10)
STATUS_EVENT = {
    "SENT": NoticeEventKind.SENT,
    "DELIVERED": NoticeEventKind.DELIVERED,
    "NOT_DELIVERED": NoticeEventKind.BOUNCED,
    "REJECTED": NoticeEventKind.FAILED,
}
DETAIL = {
    "SENT": "Entregue à operadora.",
    "DELIVERED": "Entregue no aparelho do destinatário.",
    "NOT_DELIVERED": "Não entregue pela operadora",
    "REJECTED": "Recusado pelo gateway de SMS",
}


def _digits(phone: str) -> str:
    digits = "".join(ch for ch in phone if ch.isdigit())
    return digits if digits.startswith("55") else f"55{digits}"


def send_sms_notice(notice: Notice) -> Notice:
    """Send a queued SMS notice; the gateway's id and answer are kept as evidence."""
    if len(notice.body) > SMS_MAX_LENGTH:
        return notice_record_event(
            notice=notice,
            kind=NoticeEventKind.FAILED,
            detail=f"SMS com {len(notice.body)} caracteres: o máximo é {SMS_MAX_LENGTH}.",
        )
    body = {
        "from": settings.SMS_FROM,
        "to": _digits(notice.destination),
        "contents": [{"type": "text", "text": notice.body}],
    }
    try:
        answer = requests.post(
            f"{settings.SMS_API_URL}/v2/channels/sms/messages",
            json=body,
            headers={"X-API-TOKEN": settings.SMS_API_TOKEN},
            timeout=(settings.PROVIDER_CONNECT_TIMEOUT, settings.PROVIDER_READ_TIMEOUT),
        )
    except requests.RequestException as exc:
        return notice_record_event(
            notice=notice,
            kind=NoticeEventKind.FAILED,
            detail=f"Gateway de SMS indisponível ({type(exc).__name__}).",
        )
    raw = f"HTTP {answer.status_code}\n{answer.text[:4000]}"
    message_id = _message_id(answer)
    if answer.status_code != 200 or not message_id:
        return notice_record_event(
            notice=notice,
            kind=NoticeEventKind.FAILED,
            detail=f"Gateway de SMS recusou a mensagem (HTTP {answer.status_code}).",
            raw=raw,
        )
    Notice.objects.filter(pk=notice.pk).update(provider_id=message_id)
    notice.provider_id = message_id
    return notice_record_event(
        notice=notice, kind=NoticeEventKind.SENT, detail="Aceito pelo gateway de SMS.", raw=raw
    )


def _message_id(answer: requests.Response) -> str:
    try:
        data = answer.json()
    except ValueError:
        return ""
    return str(data.get("id") or "") if isinstance(data, dict) else ""


@dataclass(frozen=True)
class CallbackOutcome:
    status: int  # the HTTP status to answer
    code: str  # stable code of the answer


def sms_status_callback(
    *, body: bytes, headers: Any, now: dt.datetime | None = None
) -> CallbackOutcome:
    """Take one MESSAGE_STATUS event: 401 without the right token, 403 for a replay (event
    already taken, or too old or in the future), 400 unreadable, 404 unknown message."""
    expected = settings.SMS_WEBHOOK_TOKEN
    given = headers.get(TOKEN_HEADER, "")
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        return CallbackOutcome(401, "not_authenticated")
    try:
        event = json.loads(body)
        event_id = str(event["id"])
        status = event["messageStatus"]
        code = str(status["code"])
        at = parse_datetime(str(status.get("timestamp") or event["timestamp"]))
        message_id = str(event["messageId"])
    except (ValueError, KeyError, TypeError):
        return CallbackOutcome(400, "invalid_event")
    if at is None or code not in STATUS_EVENT:
        return CallbackOutcome(400, "invalid_event")
    now = now or timezone.now()
    if abs(now - at) > CALLBACK_MAX_AGE:
        return CallbackOutcome(403, "replayed_event")
    if NoticeEvent.objects.filter(provider_event_id=event_id).exists():
        return CallbackOutcome(403, "replayed_event")
    notice = Notice.objects.filter(provider_id=message_id, channel="sms").first()
    if notice is None:
        return CallbackOutcome(404, "unknown_message")
    causes = "; ".join(str(c.get("reason") or c) for c in status.get("causes") or [])
    detail = DETAIL[code] + (
        f": {status.get('description')}" if code in ("NOT_DELIVERED", "REJECTED") else ""
    )
    try:
        with transaction.atomic():
            notice_record_event(
                notice=notice,
                kind=STATUS_EVENT[code],
                at=at,
                detail=detail + (f" ({causes})" if causes else ""),
                raw=body.decode(errors="replace"),
                provider_event_id=event_id,
            )
    except IntegrityError:  # the same event, at the same time, from a parallel delivery
        return CallbackOutcome(403, "replayed_event")
    return CallbackOutcome(200, "ok")


def sms_subscribe(*, webhook_url: str) -> str:
    """Subscribe `webhook_url` to the gateway's SMS status events, with the token header;
    returns the subscription id (manage.py sms_subscribe)."""
    answer = requests.post(
        f"{settings.SMS_API_URL}/v2/subscriptions",
        json={
            "eventType": "MESSAGE_STATUS",
            "webhook": {"url": webhook_url, "headers": {TOKEN_HEADER: settings.SMS_WEBHOOK_TOKEN}},
            "criteria": {"channel": "sms"},
        },
        headers={"X-API-TOKEN": settings.SMS_API_TOKEN},
        timeout=(settings.PROVIDER_CONNECT_TIMEOUT, settings.PROVIDER_READ_TIMEOUT),
    )
    answer.raise_for_status()
    return str(answer.json()["id"])
