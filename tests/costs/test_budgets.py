"""Monthly budgets per branch: warning at 80%, block at 100% with no platform call, admin raise."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from creditcheck.analysis.enums import IN_FLIGHT, Billed, QueryStatus, RefusalCode, SubjectType
from creditcheck.analysis.models import CreditQuery
from creditcheck.analysis.services import (
    PENDING_EXPIRES_AFTER,
    CreditQueryRefused,
    credit_query_request,
    credit_query_requeue_pending,
    credit_query_settle_billing,
)
from creditcheck.analysis.subjects import subject_from_document
from creditcheck.core.enums import AuditAction
from creditcheck.core.models import AuditEntry, Branch
from creditcheck.costs.budgets import branch_budget_raise, budget_status, current_month
from creditcheck.costs.models import BranchBudget
from creditcheck.costs.usage import usage_record
from providers.sandbox.scenarios import CLEAN_CPF, HIGH_SCORE_CPF
from providers.sandbox.server import RunningSandbox
from tests.credit_setup import (
    integration_on,
    query_with_uncertain_billing,
)
from tests.factories import cpf_for
from tests.sandbox_client import billed_calls, ledger

pytestmark = pytest.mark.django_db(transaction=True)


def spent_this_month(branch: Branch, user: User, cost: str) -> None:
    """A finished query of this month, recorded in the usage figures as the service does."""
    query = CreditQuery.objects.create(
        subject_type=SubjectType.DOCUMENT,
        document="12345678909",
        branch=branch,
        user=user,
        platform="spcbrasil",
        status=QueryStatus.SUCCEEDED,
        billed=Billed.YES,
        cost=Decimal(cost),
    )
    usage_record(query)


def test_budget_status_without_budget_has_no_limit(branch: Branch) -> None:
    status = budget_status(branch)

    assert (status.limit, status.ratio, status.warning, status.blocked) == (
        None,
        None,
        False,
        False,
    )
    assert status.allows(Decimal("1000000.00"))


def test_budget_status_warning_from_80_percent(branch: Branch, attendant: User) -> None:
    BranchBudget.objects.create(branch=branch, monthly_amount=Decimal("100.00"))
    spent_this_month(branch, attendant, "79.99")
    assert (budget_status(branch).warning, budget_status(branch).blocked) == (False, False)

    spent_this_month(branch, attendant, "0.01")
    status = budget_status(branch)

    assert (status.spent, status.percent, status.warning, status.blocked) == (
        Decimal("80.00"),
        80,
        True,
        False,
    )
    assert (status.allows(Decimal("20.00")), status.allows(Decimal("20.01"))) == (True, False)


@pytest.fixture
def budget_of_twenty(branch: Branch, sandbox: RunningSandbox) -> None:
    """The branch's queries at R$ 12,50 (SPC Brasil) against a monthly budget of R$ 20,00."""
    integration_on(branch, sandbox, cost="12.50")
    BranchBudget.objects.create(branch=branch, monthly_amount=Decimal("20.00"))


@pytest.fixture
def ten_of_twenty_spent(budget_of_twenty: None, attendant: User, branch: Branch) -> None:
    """R$ 10,00 of the branch's R$ 20,00 spent, its queries at R$ 12,50."""
    spent_this_month(branch, attendant, "10.00")


@pytest.mark.usefixtures("ten_of_twenty_spent")
def test_request_over_budget_refused_without_platform_call(
    attendant: User,
    branch: Branch,
    sandbox: RunningSandbox,
    api_client_for: Callable[[User], APIClient],
) -> None:
    response = api_client_for(attendant).post(
        "/api/v1/credit-queries/", {"document": CLEAN_CPF, "branch": branch.pk}, format="json"
    )

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "budget_exceeded"
    assert body["detail"] == (
        "O orçamento mensal de consultas da filial Filial São Paulo (R$ 20,00) foi atingido. "
        "Um administrador pode aumentá-lo em Relatórios > Custos."
    )
    refused = CreditQuery.objects.get(pk=body["query_id"])
    assert (refused.status, refused.refusal_code, refused.cost) == (
        QueryStatus.REFUSED,
        RefusalCode.BUDGET_EXCEEDED,
        Decimal("0.00"),
    )
    assert ledger(sandbox) == []


@pytest.mark.usefixtures("ten_of_twenty_spent")
def test_request_after_admin_raise_goes_through(
    attendant: User,
    administrator: User,
    branch: Branch,
    sandbox: RunningSandbox,
    api_client_for: Callable[[User], APIClient],
) -> None:
    branch_budget_raise(branch=branch, amount=Decimal("5.00"), user=administrator)
    response = api_client_for(attendant).post(
        "/api/v1/credit-queries/", {"document": CLEAN_CPF, "branch": branch.pk}, format="json"
    )

    assert response.status_code == 201, response.content
    assert (response.json()["status"], len(ledger(sandbox))) == ("succeeded", 1)
    status = budget_status(branch)
    assert (status.limit, status.spent, status.blocked) == (
        Decimal("25.00"),
        Decimal("22.50"),
        False,
    )


def test_admin_raise_from_dashboard_audited_with_before_after(
    administrator: User, branch: Branch, client: Client
) -> None:
    BranchBudget.objects.create(branch=branch, monthly_amount=Decimal("100.00"))
    client.force_login(administrator)

    response = client.post(
        "/relatorios/custos/orcamento/",
        {"branch": branch.pk, "action": "raise", "amount": "50,00"},
        follow=True,
    )

    assert response.status_code == 200
    assert "Orçamento deste mês da Filial São Paulo aumentado para R$ 150,00." in (
        response.content.decode()
    )
    budget = BranchBudget.objects.get(branch=branch)
    assert (budget.raised_month, budget.raised_amount, budget.raised_by) == (
        current_month(),
        Decimal("50.00"),
        administrator,
    )
    entry = AuditEntry.objects.filter(action=AuditAction.SETTINGS_CHANGE).get()
    month = current_month().isoformat()
    assert (entry.user, entry.branch, entry.outcome) == (
        administrator,
        branch,
        "orçamento do mês aumentado",
    )
    assert entry.details == {
        "setting": "branch_budget",
        "before": {"monthly_amount": "100.00", "raised_month": None, "raised_amount": "0.00"},
        "after": {"monthly_amount": "100.00", "raised_month": month, "raised_amount": "50.00"},
    }


def test_raise_of_last_month_does_not_count_now(branch: Branch, administrator: User) -> None:
    budget = BranchBudget.objects.create(
        branch=branch,
        monthly_amount=Decimal("100.00"),
        raised_month=(current_month() - dt.timedelta(days=1)).replace(day=1),
        raised_amount=Decimal("50.00"),
    )

    assert budget_status(branch).limit == Decimal("100.00")
    branch_budget_raise(branch=branch, amount=Decimal("10.00"), user=administrator)
    budget.refresh_from_db()
    assert (budget.raised_amount, budget_status(branch).limit) == (
        Decimal("10.00"),
        Decimal("110.00"),
    )


def test_financial_cannot_change_budget(financial: User, branch: Branch, client: Client) -> None:
    client.force_login(financial)

    response = client.post(
        "/relatorios/custos/orcamento/", {"branch": branch.pk, "action": "set", "amount": "10"}
    )

    assert response.status_code == 403
    assert not BranchBudget.objects.exists()


def test_query_page_shows_budget_warning(
    attendant: User, branch: Branch, sandbox: RunningSandbox, client: Client
) -> None:
    integration_on(branch, sandbox, cost="12.50")
    BranchBudget.objects.create(branch=branch, monthly_amount=Decimal("100.00"))
    spent_this_month(branch, attendant, "85.00")
    client.force_login(attendant)

    html = client.get("/analise-credito/nova/", {"document": CLEAN_CPF}).content.decode()

    assert "80% do orçamento mensal da filial utilizado." in html
    assert "Gasto no mês: R$ 85,00 de R$ 100,00 (85%)." in html


# --- What a budget holds besides the spend: queries in flight and uncertain billing ----------


def ask(user: User, branch: Branch, document: str) -> CreditQuery:
    """The query asked for, as stored once the request returns (in the embedded mode its
    platform call has run, unless the test holds its on-commit callbacks)."""
    query = credit_query_request(
        subject=subject_from_document(document), branch=branch, user=user
    ).query
    query.refresh_from_db()
    return query


BUDGET_EXCEEDED = (
    "O orçamento mensal de consultas da filial Filial São Paulo (R$ 20,00) foi atingido. "
    "Um administrador pode aumentá-lo em Relatórios > Custos."
)


@pytest.mark.django_db
@pytest.mark.usefixtures("budget_of_twenty")
def test_query_in_flight_holds_its_cost_until_it_ends(
    attendant: User,
    branch: Branch,
    sandbox: RunningSandbox,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    with django_capture_on_commit_callbacks(execute=False):  # its platform call not made yet
        first = ask(attendant, branch, CLEAN_CPF)

        with pytest.raises(CreditQueryRefused) as refused:
            ask(attendant, branch, HIGH_SCORE_CPF)

    assert first.status == QueryStatus.PENDING
    assert (refused.value.code, refused.value.message) == ("budget_exceeded", BUDGET_EXCEEDED)
    status = budget_status(branch)
    assert (status.spent, status.reserved, status.available) == (
        Decimal("0.00"),
        Decimal("12.50"),
        Decimal("7.50"),
    )
    assert ledger(sandbox) == []


@pytest.mark.django_db
@pytest.mark.usefixtures("budget_of_twenty")
def test_query_ending_unbilled_releases_its_reservation(
    attendant: User,
    branch: Branch,
    sandbox: RunningSandbox,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        lost = ask(attendant, branch, CLEAN_CPF)
        # Never sent: the maintenance job ends it failed, not billed.
        credit_query_requeue_pending(now=timezone.now() + PENDING_EXPIRES_AFTER * 2)

        second = ask(attendant, branch, HIGH_SCORE_CPF)

    lost.refresh_from_db()
    assert (lost.status, lost.error_code, lost.billed) == ("failed", "not_sent", Billed.NO)
    assert second.status == QueryStatus.PENDING
    assert budget_status(branch).reserved == Decimal("12.50")


def test_uncertain_billing_holds_the_budget_until_settled_not_billed(
    attendant: User, financial: User, branch: Branch, sandbox: RunningSandbox
) -> None:
    integration_on(branch, sandbox, "connectsa", cost="12.50")
    BranchBudget.objects.create(branch=branch, monthly_amount=Decimal("20.00"))
    uncertain = query_with_uncertain_billing(attendant, branch, sandbox)
    status = budget_status(branch)
    assert (status.spent, status.uncertain, status.committed) == (
        Decimal("0.00"),
        Decimal("12.50"),
        Decimal("12.50"),
    )

    with pytest.raises(CreditQueryRefused) as refused:
        ask(attendant, branch, HIGH_SCORE_CPF)
    assert refused.value.code == "budget_exceeded"

    credit_query_settle_billing(query_id=uncertain.pk, billed=Billed.NO, user=financial)
    after = ask(attendant, branch, HIGH_SCORE_CPF)

    assert after.status == QueryStatus.SUCCEEDED
    status = budget_status(branch)
    assert (status.spent, status.uncertain) == (Decimal("12.50"), Decimal("0.00"))
    assert billed_calls(sandbox) == 1


# --- Parallel queries against one budget, on PostgreSQL ---------------------------------------

# Issue 17 case 1: R$ 50,00 of budget with R$ 29,70 spent, R$ 9,90 per query, the platform slow.
PARALLEL = 10


def ask_in_parallel(user: User, branch: Branch, documents: list[str]) -> list[str]:
    """Each document asked in its own thread, all released at once; each answer's refusal code,
    or "admitted"."""
    barrier = threading.Barrier(len(documents))
    answers: list[str] = []
    lock = threading.Lock()

    def attempt(document: str) -> None:
        try:
            barrier.wait(timeout=10)
            try:
                credit_query_request(
                    subject=subject_from_document(document), branch=branch, user=user
                )
                answer = "admitted"
            except CreditQueryRefused as refusal:
                answer = refusal.code
            with lock:
                answers.append(answer)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(doc,)) for doc in documents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


def _nearly_spent_budget(user: User, branch: Branch, sandbox: RunningSandbox) -> None:
    integration_on(branch, sandbox, cost="9.90")
    BranchBudget.objects.create(branch=branch, monthly_amount=Decimal("50.00"))
    for _ in range(3):
        spent_this_month(branch, user, "9.90")


@pytest.mark.postgres
def test_parallel_queries_cannot_overrun_the_budget(
    attendant: User, branch: Branch, sandbox: RunningSandbox
) -> None:
    _nearly_spent_budget(attendant, branch, sandbox)
    sandbox.state.latency_ms["spcbrasil"] = 1000  # every call still in flight as the others come

    documents = [cpf_for(n) for n in range(PARALLEL)]
    answers = ask_in_parallel(attendant, branch, documents)

    assert sorted(answers) == ["admitted"] * 2 + ["budget_exceeded"] * 8
    asked = CreditQuery.objects.filter(document__in=documents)
    assert sorted(asked.values_list("status", flat=True)) == ["refused"] * 8 + ["succeeded"] * 2
    assert billed_calls(sandbox) == 2
    status = budget_status(branch)
    assert (status.spent, status.reserved) == (Decimal("49.50"), Decimal("0.00"))
    assert status.spent <= Decimal("50.00")


@pytest.mark.postgres
@pytest.mark.celery_worker
def test_parallel_queries_queued_for_the_workers_cannot_overrun_the_budget(
    celery_worker_process: object, attendant: User, branch: Branch, sandbox: RunningSandbox
) -> None:
    """In production the admitted queries wait in the queue: their reservations hold the budget
    until a worker has run them."""
    _nearly_spent_budget(attendant, branch, sandbox)
    sandbox.state.latency_ms["spcbrasil"] = 500

    documents = [cpf_for(n) for n in range(PARALLEL)]
    answers = ask_in_parallel(attendant, branch, documents)

    assert sorted(answers) == ["admitted"] * 2 + ["budget_exceeded"] * 8
    deadline = time.monotonic() + 60
    while CreditQuery.objects.filter(status__in=IN_FLIGHT).exists():
        assert time.monotonic() < deadline, "the worker did not run the queued queries"
        time.sleep(0.2)
    asked = CreditQuery.objects.filter(document__in=documents)
    assert sorted(asked.values_list("status", flat=True)) == ["refused"] * 8 + ["succeeded"] * 2
    assert billed_calls(sandbox) == 2
    assert budget_status(branch).spent == Decimal("49.50")
