"""Parallel removals on a real database (issue 17, case 2): every transition takes the row lock
inside negativation_set_status, so of simultaneous requests one removes and the others are
refused with `invalid_transition`, with one removal call at the platform and a clean history."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Any

import lxml.html
import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient

from creditcheck.core.enums import Role
from creditcheck.core.models import Branch
from creditcheck.negativation.enums import NegativationStatus as S
from creditcheck.negativation.models import Negativation
from creditcheck.negativation.services import negativation_include, negativation_poll
from providers.sandbox.server import RunningSandbox
from tests.credit_setup import integration_on
from tests.negativation.conftest import MakeInvoice
from tests.sandbox_client import advance_clock, ledger

PLATFORM = "soawebservice"
LIFECYCLE = [
    ("", S.REQUESTED),
    (S.REQUESTED, S.SENT),
    (S.SENT, S.AWAITING_NOTICE),
    (S.AWAITING_NOTICE, S.ACTIVE),
    (S.ACTIVE, S.REMOVAL_REQUESTED),
    (S.REMOVAL_REQUESTED, S.REMOVED),
]


def all_at_once(attempts: list[Callable[[], Any]]) -> list[Any]:
    """Run each attempt in its own thread, all released at the same moment; their answers."""
    barrier = threading.Barrier(len(attempts))
    answers: list[Any] = []
    lock = threading.Lock()

    def run(attempt: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            answer = attempt()
            with lock:
                answers.append(answer)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(attempt,)) for attempt in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


def alert_texts(content: bytes) -> list[str]:
    """The flash messages of a page."""
    page: lxml.html.HtmlElement = lxml.html.fromstring(content.decode())
    alerts: list[lxml.html.HtmlElement] = page.xpath('//div[@role="alert"]')  # type: ignore[assignment]
    return [" ".join(alert.text_content().split()) for alert in alerts]


def history(negativation: Negativation) -> list[tuple[str, str]]:
    return [
        (event.from_status, event.to_status) for event in negativation.events.order_by("at", "id")
    ]


@pytest.fixture
def second_financial(make_user: Callable[..., User], branch: Branch) -> User:
    return make_user(Role.FINANCIAL, [branch], username="financeiro-2")


ActiveNegativations = Callable[..., list[Negativation]]


@pytest.fixture
def active_negativations(
    financial: User, branch: Branch, sandbox: RunningSandbox, make_overdue_invoice: MakeInvoice
) -> ActiveNegativations:
    """`count` negativações registered at the SOAWebService sandbox and active; then every
    platform call takes `latency_ms`, so the first removal is in flight as the others come."""
    integration_on(branch, sandbox, PLATFORM)

    def make(count: int, latency_ms: int = 400) -> list[Negativation]:
        negativations = [
            negativation_include(invoice=make_overdue_invoice(state="MG"), user=financial)
            for _ in range(count)
        ]
        advance_clock(sandbox, 11)
        assert negativation_poll() == count
        sandbox.state.latency_ms[PLATFORM] = latency_ms
        return negativations

    return make


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_parallel_api_removals_remove_once(
    financial: User,
    second_financial: User,
    sandbox: RunningSandbox,
    active_negativations: ActiveNegativations,
) -> None:
    (negativation,) = active_negativations(1)
    url = f"/api/v1/negativations/{negativation.pk}/remove/"

    def remove(user: User) -> Callable[[], tuple[int, str]]:
        def attempt() -> tuple[int, str]:
            client = APIClient()
            client.force_authenticate(user=User.objects.get(pk=user.pk))
            response = client.post(url, {"reason": "paid"}, format="json")
            body = response.json()
            return response.status_code, body.get("code") or body["status"]

        return attempt

    answers = all_at_once([remove(financial if n % 2 else second_financial) for n in range(10)])

    assert sorted(answers) == [(200, S.REMOVED)] + [(409, "invalid_transition")] * 9
    assert len(ledger(sandbox, platform=PLATFORM, operation="Excluir")) == 1
    negativation.refresh_from_db()
    assert negativation.status == S.REMOVED
    assert history(negativation) == LIFECYCLE
    removed = negativation.events.get(to_status=S.REMOVED)
    requested = negativation.events.get(to_status=S.REMOVAL_REQUESTED)
    # Set once, by the one removal: between its request and its confirmation.
    assert negativation.removed_at is not None
    assert requested.at <= negativation.removed_at <= removed.at


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_batch_removals_remove_each_once(
    financial: User,
    second_financial: User,
    sandbox: RunningSandbox,
    active_negativations: ActiveNegativations,
) -> None:
    negativations = active_negativations(3, 200)
    ids = [negativation.pk for negativation in negativations]

    def confirm(user: User) -> Callable[[], list[str]]:
        def attempt() -> list[str]:
            client = Client()
            client.force_login(User.objects.get(pk=user.pk))
            response = client.post(
                "/financeiro/negativacoes/lote/",
                {"action": "remove", "reason": "paid", "ids": ids, "confirmed": "True"},
                follow=True,
            )
            assert response.status_code == 200
            return alert_texts(response.content)

        return attempt

    answers = all_at_once([confirm(financial if n % 2 else second_financial) for n in range(6)])

    # Every removal was done once, by whichever batch locked it first; the others say why not.
    done = [
        int(match.group(1))
        for messages in answers
        for message in messages
        if (match := re.fullmatch(r"(\d+) baixas? solicitadas?\.", message))
    ]
    assert (len(done), sum(done)) == (6, 3)
    refused = [message for messages in answers for message in messages if "ignorada" in message]
    assert len(refused) == sum(1 for count in done if count < 3)
    reason = r"Negativação (baixada|baixa solicitada): nada a baixar"
    assert all(re.fullmatch(rf"\d ignorada\(s\): {reason}(; {reason})?\.", m) for m in refused)
    assert len(ledger(sandbox, platform=PLATFORM, operation="Excluir")) == 3
    for negativation in negativations:
        negativation.refresh_from_db()
        assert (negativation.status, history(negativation)) == (S.REMOVED, LIFECYCLE)
