"""Payment webhooks over HTTP (Asaas, Pix, signed) and Financeiro > Pagamentos recebidos."""

from __future__ import annotations

import datetime as dt
import json
import time
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from creditcheck.contracts.enums import InvoiceStatus
from creditcheck.contracts.models import Invoice
from creditcheck.core.enums import AuditAction
from creditcheck.core.models import AuditEntry
from creditcheck.erp.enums import EventStatus, SourceKind
from creditcheck.erp.models import PaymentEvent, PaymentSource
from creditcheck.erp.webhooks import signature_for
from creditcheck.negativation.deadlines import removal_deadline
from creditcheck.negativation.enums import NegativationStatus as S
from creditcheck.negativation.models import Negativation
from providers.sandbox.server import RunningSandbox
from tests.erp.conftest import SECRET, MakeInvoice, MakeSource, removal_calls

pytestmark = pytest.mark.django_db(transaction=True)

YESTERDAY = timezone.localdate() - dt.timedelta(days=1)


def asaas_event(
    event_id: str = "evt_05b708f961d739ea7eba7e4db318f621",
    event: str = "PAYMENT_RECEIVED",
    reference: str = "7001",
    **payment: Any,
) -> dict[str, Any]:
    """An Asaas envelope as its docs ("Payment events") show it."""
    return {
        "id": event_id,
        "event": event,
        "dateCreated": f"{YESTERDAY.isoformat()} 14:03:10",
        "payment": {
            "object": "payment",
            "id": "pay_080225913252",
            "customer": "cus_G7Dvo4iphUNk",
            "value": 129.9,
            "netValue": 127.91,
            "billingType": "PIX",
            "status": "RECEIVED",
            "dueDate": "2025-03-10",
            "paymentDate": YESTERDAY.isoformat(),
            "clientPaymentDate": YESTERDAY.isoformat(),
            "externalReference": reference,
            "deleted": False,
            **payment,
        },
    }


def post_asaas(
    client: Client, body: Any, token: str | None = SECRET, key: str = "asaas-principal"
) -> Any:
    headers = {"asaas-access-token": token} if token is not None else {}
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(f"/webhooks/{key}/", data, content_type="application/json", headers=headers)


def nothing_changed(negativation: Negativation, sandbox: RunningSandbox) -> None:
    negativation.refresh_from_db()
    assert negativation.status == S.AWAITING_NOTICE
    assert Invoice.objects.get(pk=negativation.invoice_id).status == InvoiceStatus.OPEN
    assert PaymentEvent.objects.count() == 0
    assert removal_calls(sandbox) == 0


# ---- Asaas -------------------------------------------------------------------------------------


def test_asaas_payment_pays_invoice_and_removes_negativation_once(
    client: Client, asaas_source: PaymentSource, negativated: Negativation, sandbox: RunningSandbox
) -> None:
    body = json.dumps(asaas_event())

    response = post_asaas(client, body)

    assert response.status_code == 200
    assert response.json() == {
        "events": [{"id": "evt_05b708f961d739ea7eba7e4db318f621", "status": "applied"}]
    }
    invoice = Invoice.objects.get(pk=negativated.invoice_id)
    assert (invoice.status, invoice.paid_at, str(invoice.paid_amount), invoice.paid_by) == (
        InvoiceStatus.PAID,
        YESTERDAY,
        "129.90",
        None,
    )
    assert invoice.paid_via == "Fonte asaas: evt_05b708f961d739ea7eba7e4db318f621"
    negativated.refresh_from_db()
    assert negativated.status == S.REMOVED
    assert negativated.removal_deadline == removal_deadline(YESTERDAY, "SP")
    assert removal_calls(sandbox) == 1
    event = PaymentEvent.objects.get()
    assert (event.raw, event.invoice_id, event.branch_id) == (
        body,
        invoice.pk,
        invoice.contract.branch_id,
    )
    entry = AuditEntry.objects.get(action=AuditAction.PAYMENT_EVENT)
    assert (entry.outcome, entry.target_id, entry.details["invoice"]) == (
        "applied",
        str(event.pk),
        invoice.number,
    )


def test_asaas_same_event_twice_changes_nothing(
    client: Client, asaas_source: PaymentSource, negativated: Negativation, sandbox: RunningSandbox
) -> None:
    post_asaas(client, asaas_event())

    again = post_asaas(client, asaas_event())

    assert again.status_code == 200
    assert again.json()["events"] == [
        {"id": "evt_05b708f961d739ea7eba7e4db318f621", "status": "applied"}
    ]
    assert removal_calls(sandbox) == 1
    event = PaymentEvent.objects.get()
    assert event.deliveries == 2
    assert AuditEntry.objects.filter(action=AuditAction.PAYMENT_EVENT).count() == 1


@pytest.mark.parametrize(
    ("body", "token", "status", "code"),
    [
        (json.dumps(asaas_event()), None, 401, "missing_token"),
        (json.dumps(asaas_event()), "wrong-token-of-the-same-length-0123456", 401, "invalid_token"),
        ("{not json", SECRET, 400, "malformed_body"),
        (b"\xff\xfe", SECRET, 400, "malformed_body"),
        ("[1, 2]", SECRET, 400, "invalid_event"),
        (json.dumps({"event": "PAYMENT_RECEIVED", "payment": {}}), SECRET, 400, "invalid_event"),
        (json.dumps({"id": "evt_1", "event": "PAYMENT_RECEIVED"}), SECRET, 400, "invalid_event"),
        (
            json.dumps({"id": ["x"], "event": "PAYMENT_RECEIVED", "payment": {}}),
            SECRET,
            400,
            "invalid_event",
        ),
    ],
)
def test_asaas_refused_delivery_stores_nothing(
    client: Client,
    asaas_source: PaymentSource,
    negativated: Negativation,
    sandbox: RunningSandbox,
    body: Any,
    token: str | None,
    status: int,
    code: str,
) -> None:
    response = post_asaas(client, body, token=token)

    assert (response.status_code, response.json()["code"]) == (status, code)
    nothing_changed(negativated, sandbox)


def test_webhook_unknown_inactive_source_and_get_are_refused(
    client: Client, make_source: MakeSource
) -> None:
    make_source(SourceKind.ASAAS, key="desligada", active=False)

    assert post_asaas(client, asaas_event(), key="nao-existe").json()["code"] == "unknown_source"
    assert post_asaas(client, asaas_event(), key="desligada").status_code == 404
    response = client.get("/webhooks/desligada/")
    assert (response.status_code, response.json()["code"]) == (405, "method_not_allowed")
    assert PaymentEvent.objects.count() == 0


def test_asaas_future_payment_date_is_refused_and_kept(
    client: Client, asaas_source: PaymentSource, negativated: Negativation, sandbox: RunningSandbox
) -> None:
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()

    response = post_asaas(client, asaas_event(paymentDate=tomorrow, clientPaymentDate=tomorrow))

    assert response.json()["events"][0]["status"] == "refused"
    event = PaymentEvent.objects.get()
    assert event.message == "A data do pagamento não pode estar no futuro."
    assert Invoice.objects.get(pk=negativated.invoice_id).status == InvoiceStatus.OPEN
    assert removal_calls(sandbox) == 0


def test_asaas_event_that_is_not_a_payment_is_kept_and_ignored(
    client: Client, asaas_source: PaymentSource, negativated: Negativation, sandbox: RunningSandbox
) -> None:
    response = post_asaas(client, asaas_event(event="PAYMENT_OVERDUE", status="OVERDUE"))

    assert response.json()["events"][0]["status"] == "ignored"
    assert Invoice.objects.get(pk=negativated.invoice_id).status == InvoiceStatus.OPEN
    assert removal_calls(sandbox) == 0


def test_refund_after_payment_is_recorded_and_never_reverts_the_removal(
    client: Client, asaas_source: PaymentSource, negativated: Negativation, sandbox: RunningSandbox
) -> None:
    post_asaas(client, asaas_event())

    response = post_asaas(
        client, asaas_event(event_id="evt_refund_1", event="PAYMENT_REFUNDED", status="REFUNDED")
    )

    assert response.json()["events"] == [{"id": "evt_refund_1", "status": "reversal"}]
    negativated.refresh_from_db()
    assert negativated.status == S.REMOVED
    assert Invoice.objects.get(pk=negativated.invoice_id).status == InvoiceStatus.PAID
    assert removal_calls(sandbox) == 1
    refund = PaymentEvent.objects.get(event_id="evt_refund_1")
    assert (refund.invoice_id, refund.status) == (negativated.invoice_id, EventStatus.REVERSAL)
    assert "a baixa não foi desfeita" in refund.message


# ---- unmatched payments and the screen ---------------------------------------------------------


def test_unknown_invoice_is_kept_listed_and_matched_by_a_person(
    client: Client,
    asaas_source: PaymentSource,
    negativated: Negativation,
    sandbox: RunningSandbox,
    financial: User,
) -> None:
    response = post_asaas(client, asaas_event(reference="9999"))
    assert response.json()["events"][0]["status"] == "unmatched"
    event = PaymentEvent.objects.get()
    assert removal_calls(sandbox) == 0

    # Unmatched events of a source of every branch are seen by who sees every branch only;
    # this source names the branch, so its financial user sees it.
    PaymentSource.objects.filter(pk=asaas_source.pk).update(branch=negativated.branch)
    PaymentEvent.objects.filter(pk=event.pk).update(branch=negativated.branch)
    client.force_login(financial)
    listing = client.get("/financeiro/pagamentos/", {"status": "attention"})
    assert listing.status_code == 200
    assert "evt_05b708f961d739ea7eba7e4db318f621" in listing.content.decode()
    assert "Fatura não encontrada" in listing.content.decode()

    number = Invoice.objects.get(pk=negativated.invoice_id).number
    matched = client.post(f"/financeiro/pagamentos/{event.pk}/", {"number": number})

    assert matched.status_code == 302
    event.refresh_from_db()
    assert (event.status, event.invoice_id, event.matched_by) == (
        EventStatus.MATCHED,
        negativated.invoice_id,
        financial,
    )
    invoice = Invoice.objects.get(pk=negativated.invoice_id)
    assert (invoice.status, invoice.paid_at, invoice.paid_by) == (
        InvoiceStatus.PAID,
        YESTERDAY,
        financial,
    )
    negativated.refresh_from_db()
    assert negativated.status == S.REMOVED
    assert removal_calls(sandbox) == 1


def test_match_form_refuses_unknown_number_in_portuguese(
    client: Client, asaas_source: PaymentSource, make_invoice: MakeInvoice, administrator: User
) -> None:
    post_asaas(client, asaas_event(reference="9999"))
    event = PaymentEvent.objects.get()
    client.force_login(administrator)

    response = client.post(f"/financeiro/pagamentos/{event.pk}/", {"number": "NAO-EXISTE"})

    assert response.status_code == 200
    assert "Nenhuma fatura com este número nas suas filiais." in response.content.decode()
    assert PaymentEvent.objects.get().status == EventStatus.UNMATCHED


def test_unmatched_event_of_no_branch_is_hidden_from_branch_users(
    client: Client, asaas_source: PaymentSource, financial: User, administrator: User
) -> None:
    post_asaas(client, asaas_event(reference="9999"))
    event = PaymentEvent.objects.get()

    client.force_login(financial)
    assert client.get(f"/financeiro/pagamentos/{event.pk}/").status_code == 404
    client.force_login(administrator)
    assert client.get(f"/financeiro/pagamentos/{event.pk}/").status_code == 200


# ---- Pix ---------------------------------------------------------------------------------------


def pix(end_to_end: str, txid: str, valor: str = "129.90", **extra: Any) -> dict[str, Any]:
    """A Pix as the API Pix 2.9.0 callback sends it."""
    return {
        "endToEndId": end_to_end,
        "txid": txid,
        "valor": valor,
        "chave": "pix@provedor.example",
        # 01:30 UTC on today is 22:30 of yesterday in São Paulo: the local day counts.
        "horario": f"{timezone.localdate().isoformat()}T01:30:00.00Z",
        "infoPagador": "Mensalidade",
        **extra,
    }


def post_pix(client: Client, body: Any, secret: str = SECRET, query: str = "") -> Any:
    return client.post(
        f"/webhooks/pix-principal/pix{query}",
        json.dumps(body),
        content_type="application/json",
        headers={"x-webhook-secret": secret} if secret else {},
    )


def test_pix_batch_pays_by_txid_and_keeps_the_unknown_one(
    client: Client, make_source: MakeSource, negativated: Negativation, sandbox: RunningSandbox
) -> None:
    make_source(SourceKind.PIX)
    body = {
        "pix": [
            pix("E12345678202601011234abcdefghijk", "TXID7001ABCDEFGHIJKLMNOPQRSTU"),
            pix("E12345678202601011234zzzzzzzzzzz", "TXIDDESCONHECIDO0000000000000"),
        ]
    }

    response = post_pix(client, body)

    assert response.status_code == 200
    assert [e["status"] for e in response.json()["events"]] == ["applied", "unmatched"]
    invoice = Invoice.objects.get(pk=negativated.invoice_id)
    assert (invoice.status, invoice.paid_at) == (InvoiceStatus.PAID, YESTERDAY)
    assert removal_calls(sandbox) == 1


def test_pix_refund_notification_records_reversal_and_does_not_pay_twice(
    client: Client, make_source: MakeSource, negativated: Negativation, sandbox: RunningSandbox
) -> None:
    make_source(SourceKind.PIX)
    paid = pix("E12345678202601011234abcdefghijk", "TXID7001ABCDEFGHIJKLMNOPQRSTU")
    post_pix(client, {"pix": [paid]})
    refund = {
        "id": "D12345678202601011234abcdefghij",
        "rtrId": "D12345678202601011234abcdefghij",
        "valor": "129.90",
        "horario": {"solicitacao": f"{timezone.localdate().isoformat()}T12:00:00Z"},
        "status": "DEVOLVIDO",
    }

    response = post_pix(client, {"pix": [{**paid, "devolucoes": [refund]}]})

    assert [e["status"] for e in response.json()["events"]] == ["applied", "reversal"]
    assert PaymentEvent.objects.get(event_id=paid["endToEndId"]).deliveries == 2
    negativated.refresh_from_db()
    assert negativated.status == S.REMOVED
    assert removal_calls(sandbox) == 1


@pytest.mark.parametrize(
    ("secret", "query", "status"),
    [("", "", 401), ("errado", "", 401), ("", f"?hmac={SECRET}", 200)],
)
def test_pix_secret_by_header_or_hmac_parameter(
    client: Client,
    make_source: MakeSource,
    negativated: Negativation,
    secret: str,
    query: str,
    status: int,
) -> None:
    make_source(SourceKind.PIX)

    response = post_pix(
        client, {"pix": [pix("E1", "TXID7001ABCDEFGHIJKLMNOPQRSTU")]}, secret=secret, query=query
    )

    assert response.status_code == status


@pytest.mark.parametrize(
    "body",
    [
        {"pix": []},
        {"pix": [{"txid": "X", "valor": "1.00", "horario": "2026-01-01T00:00:00Z"}]},
        {"pix": [pix("E1", "TX", valor="12,50")]},
        {"pix": [pix("E1", "TX", horario="ontem")]},
        {"pix": [pix("E1", "TX", devolucoes="x")]},
    ],
)
def test_pix_malformed_batch_is_400_and_stores_nothing(
    client: Client,
    make_source: MakeSource,
    negativated: Negativation,
    sandbox: RunningSandbox,
    body: Any,
) -> None:
    make_source(SourceKind.PIX)

    response = post_pix(client, body)

    assert (response.status_code, response.json()["code"]) == (400, "invalid_event")
    nothing_changed(negativated, sandbox)


# ---- signed webhook ----------------------------------------------------------------------------


def post_signed(
    client: Client, body: dict[str, Any], *, at: float | None = None, secret: str = SECRET
) -> Any:
    raw = json.dumps(body).encode()
    timestamp = str(int(at if at is not None else time.time()))
    return client.post(
        "/webhooks/signed-principal/",
        raw,
        content_type="application/json",
        headers={
            "x-signature-timestamp": timestamp,
            "x-signature": signature_for(secret, timestamp, raw),
        },
    )


SIGNED = {"id": "pg-1", "type": "payment", "invoice": "7001", "amount": "129.90"}


def test_signed_payment_pays_and_replay_in_window_changes_nothing(
    client: Client, make_source: MakeSource, negativated: Negativation, sandbox: RunningSandbox
) -> None:
    make_source(SourceKind.SIGNED, invoice_source="ixc")
    body = {**SIGNED, "paid_at": YESTERDAY.isoformat()}

    first = post_signed(client, body)
    replay = post_signed(client, body)

    assert [first.json(), replay.json()] == [{"events": [{"id": "pg-1", "status": "applied"}]}] * 2
    assert removal_calls(sandbox) == 1


@pytest.mark.parametrize(
    ("shift", "secret", "code"),
    [
        (-301, SECRET, "stale_timestamp"),
        (400, SECRET, "stale_timestamp"),
        (0, "x" * 20, "invalid_signature"),
    ],
)
def test_signed_webhook_refuses_old_timestamp_and_wrong_signature(
    client: Client,
    make_source: MakeSource,
    negativated: Negativation,
    sandbox: RunningSandbox,
    shift: int,
    secret: str,
    code: str,
) -> None:
    make_source(SourceKind.SIGNED, invoice_source="ixc")

    response = post_signed(
        client, {**SIGNED, "paid_at": YESTERDAY.isoformat()}, at=time.time() + shift, secret=secret
    )

    assert (response.status_code, response.json()["code"]) == (401, code)
    nothing_changed(negativated, sandbox)


def test_signed_webhook_without_signature_is_401(
    client: Client, make_source: MakeSource, negativated: Negativation, sandbox: RunningSandbox
) -> None:
    make_source(SourceKind.SIGNED)

    response = client.post(
        "/webhooks/signed-principal/", json.dumps(SIGNED), content_type="application/json"
    )

    assert (response.status_code, response.json()["code"]) == (401, "missing_signature")
    nothing_changed(negativated, sandbox)
