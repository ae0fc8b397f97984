"""SMS notices through the Zenvia sandbox over real HTTP, and its delivery receipts posted to
our webhook (a live server): delivered, not delivered, forged and replayed."""

import json
from typing import Any

import pytest
import requests

from creditcheck.core.models import Branch
from creditcheck.notices.dunning import dunning_run, dunning_step_save
from creditcheck.notices.enums import NoticeStatus
from creditcheck.notices.models import DunningStep, Notice, NoticeEvent
from creditcheck.notices.sms import TOKEN_HEADER, sms_subscribe
from providers.sandbox.server import RunningSandbox
from tests.negativation.conftest import MakeInvoice
from tests.notice_setup import creditor_for

pytestmark = pytest.mark.django_db(transaction=True)
WEBHOOK = "/api/v1/webhooks/sms/zenvia/"
SHORT = (
    "{razao_social}: fatura {fatura} {valor} venc {vencimento}, {natureza}. "
    "Negativavel em {negativacao_a_partir_de}"
)


@pytest.fixture
def gateway(settings: Any, sandbox: RunningSandbox) -> RunningSandbox:
    settings.SMS_API_URL = f"{sandbox.url}/zenvia"
    settings.SMS_API_TOKEN = "sandbox-zenvia-token"
    settings.SMS_WEBHOOK_TOKEN = "segredo-do-webhook"
    return sandbox


def _sms_step(branch: Branch, template: str = SHORT) -> DunningStep:
    step = DunningStep(
        branch=branch, name="SMS D+5", offset_days=5, channel="sms", template=template
    )
    return dunning_step_save(step=step, user=None)


def _sms_notice(make_overdue_invoice: MakeInvoice, branch: Branch, phone: str) -> Notice:
    invoice = make_overdue_invoice(days_overdue=5, noticed=False, phone=phone)
    creditor_for(invoice.contract.branch)
    _sms_step(branch)
    assert dunning_run() == 1
    return Notice.objects.get(invoice=invoice)


def _messages(sandbox: RunningSandbox) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = requests.get(
        f"{sandbox.url}/zenvia/sandbox/messages", timeout=5
    ).json()["messages"]
    return messages


def _flush(sandbox: RunningSandbox) -> list[dict[str, Any]]:
    posted: list[dict[str, Any]] = requests.post(
        f"{sandbox.url}/zenvia/sandbox/flush", timeout=30
    ).json()["posted"]
    return posted


def test_ruler_sms_reaches_the_gateway(
    gateway: RunningSandbox, branch: Branch, make_overdue_invoice: MakeInvoice
) -> None:
    notice = _sms_notice(make_overdue_invoice, branch, "81988887777")

    (message,) = _messages(gateway)
    assert (message["to"], message["contents"][0]["text"]) == ("5581988887777", notice.body)
    assert (notice.status, notice.provider_id) == (NoticeStatus.SENT, message["id"])


def test_sms_over_the_length_is_not_sent(
    gateway: RunningSandbox, branch: Branch, make_overdue_invoice: MakeInvoice
) -> None:
    invoice = make_overdue_invoice(days_overdue=5, noticed=False)
    creditor_for(invoice.contract.branch)
    _sms_step(branch, SHORT + " " + "x" * 160)

    dunning_run()

    notice = Notice.objects.get(invoice=invoice)
    assert notice.status == NoticeStatus.FAILED
    assert notice.status_detail.startswith("SMS com ") and "o máximo é 160" in notice.status_detail
    assert _messages(gateway) == []


@pytest.mark.parametrize(
    ("phone", "status", "kinds"),
    [
        ("81988887777", NoticeStatus.DELIVERED, ["sent", "sent", "delivered"]),
        ("81988880000", NoticeStatus.BOUNCED, ["sent", "sent", "bounced"]),
    ],
)
def test_delivery_receipts_reach_the_notice(
    gateway: RunningSandbox,
    live_server: Any,
    branch: Branch,
    make_overdue_invoice: MakeInvoice,
    phone: str,
    status: str,
    kinds: list[str],
) -> None:
    sms_subscribe(webhook_url=f"{live_server.url}{WEBHOOK}")
    notice = _sms_notice(make_overdue_invoice, branch, phone)

    posted = _flush(gateway)

    assert [p["status"] for p in posted] == [200, 200]
    notice.refresh_from_db()
    assert notice.status == status
    events = list(notice.events.order_by("id"))  # as received (the gateway's clock has seconds)
    assert [e.kind for e in events] == kinds
    assert json.loads(events[-1].raw)["messageId"] == notice.provider_id


def test_forged_and_replayed_receipts_are_refused_and_change_nothing(
    gateway: RunningSandbox,
    live_server: Any,
    branch: Branch,
    make_overdue_invoice: MakeInvoice,
) -> None:
    sms_subscribe(webhook_url=f"{live_server.url}{WEBHOOK}")
    notice = _sms_notice(make_overdue_invoice, branch, "81988887777")
    delivered = _flush(gateway)[-1]["event"]
    events = NoticeEvent.objects.count()
    url = f"{live_server.url}{WEBHOOK}"
    body = json.dumps(
        {
            **delivered,
            "id": "forjado-1",
            "messageStatus": {**delivered["messageStatus"], "code": "NOT_DELIVERED"},
        }
    )

    forged = requests.post(url, data=body, headers={TOKEN_HEADER: "chute"}, timeout=5)
    unsigned = requests.post(url, data=body, timeout=5)
    replayed = requests.post(
        url, data=json.dumps(delivered), headers={TOKEN_HEADER: "segredo-do-webhook"}, timeout=5
    )
    stale_event = {
        **delivered,
        "id": "antigo-1",
        "messageStatus": {**delivered["messageStatus"], "timestamp": "2020-01-01T00:00:00Z"},
    }
    stale = requests.post(
        url, data=json.dumps(stale_event), headers={TOKEN_HEADER: "segredo-do-webhook"}, timeout=5
    )

    assert [(r.status_code, r.json()["code"]) for r in (forged, unsigned, replayed, stale)] == [
        (401, "not_authenticated"),
        (401, "not_authenticated"),
        (403, "replayed_event"),
        (403, "replayed_event"),
    ]
    notice.refresh_from_db()
    assert (notice.status, NoticeEvent.objects.count()) == (NoticeStatus.DELIVERED, events)
