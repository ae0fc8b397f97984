"""A query of the same CPF/CNPJ asked in another branch while one is in flight.

The user cannot open the query in flight (it belongs to a branch that is not theirs), so they get a
query of their own branch, "Aguardando outra filial", that receives its outcome: one platform call,
and everyone sees the result in a query they can open, never billed twice.

These tests keep the first query in flight by not running its task until the test says so: in a
test wrapped in a transaction, the task enqueued on commit never runs by itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import lxml.html
import pytest
from django.contrib.auth.models import User
from django.test import Client

from creditcheck.analysis.enums import Billed, QueryStatus
from creditcheck.analysis.models import CreditQuery
from creditcheck.analysis.services import (
    CreditQueryRefused,
    credit_query_request,
    credit_query_resolve_waiting,
    credit_query_run,
)
from creditcheck.analysis.services.sharing import share_into_branch
from creditcheck.analysis.subjects import subject_from_document
from creditcheck.core.enums import Role
from creditcheck.core.models import AuditEntry, Branch
from creditcheck.costs.models import QueryUsageDaily
from creditcheck.costs.usage import usage_rebuild
from providers.sandbox.scenarios import SMALL_RESTRICTION_CPF
from providers.sandbox.server import RunningSandbox
from tests.credit_setup import connect_branch, integration_on
from tests.sandbox_client import billed_calls, inject_fault, ledger

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Scene:
    """Two branches on the SPC Brasil sandbox (R$ 12,50 and R$ 9,00 a query), an attendant in
    each; neither can open the other's queries."""

    attendant: User
    branch: Branch
    other_attendant: User
    other_branch: Branch
    sandbox: RunningSandbox


@pytest.fixture
def scene(
    other_attendant: User,
    attendant: User,
    branch: Branch,
    other_branch: Branch,
    sandbox: RunningSandbox,
) -> Scene:
    integration_on(branch, sandbox, cost="12.50", interval_days=30)
    connect_branch(other_branch, sandbox, cost="9.00")
    return Scene(attendant, branch, other_attendant, other_branch, sandbox)


def ask(user: User, branch: Branch, document: str = SMALL_RESTRICTION_CPF) -> CreditQuery:
    outcome = credit_query_request(
        subject=subject_from_document(document), branch=branch, user=user
    )
    return outcome.query


def text_of(page: lxml.html.HtmlElement, testid: str) -> str:
    found = page.xpath(f'//*[@data-testid="{testid}"]//text()')
    assert isinstance(found, list)
    return " ".join(str(text) for text in found)


def reread(query: CreditQuery) -> CreditQuery:
    return CreditQuery.objects.get(pk=query.pk)


def test_other_branch_waits_for_the_query_in_flight_and_gets_its_result(scene: Scene) -> None:
    source = ask(scene.attendant, scene.branch)
    waiting = ask(scene.other_attendant, scene.other_branch)

    assert (waiting.status, waiting.branch, waiting.shared_from) == (
        QueryStatus.WAITING,
        scene.other_branch,
        source,
    )
    assert waiting.unfinished
    assert ledger(scene.sandbox) == []

    credit_query_run(query_id=source.pk)

    source, waiting = reread(source), reread(waiting)
    assert source.status == QueryStatus.SUCCEEDED and source.has_restrictions
    assert (source.billed, source.cost) == (Billed.YES, Decimal("12.50"))
    assert (waiting.status, waiting.billed, waiting.cost) == (
        QueryStatus.SUCCEEDED,
        Billed.NO,
        Decimal("0.00"),
    )
    same = ("report", "protocol", "has_restrictions", "score", "restriction_amount")
    assert [getattr(waiting, name) for name in same] == [getattr(source, name) for name in same]
    assert waiting.subject_name == source.subject_name != ""
    assert billed_calls(scene.sandbox, document=SMALL_RESTRICTION_CPF) == 1


def test_waiting_and_its_outcome_are_audited_and_counted_as_avoided(scene: Scene) -> None:
    source = ask(scene.attendant, scene.branch)
    waiting = ask(scene.other_attendant, scene.other_branch)
    credit_query_run(query_id=source.pk)

    outcomes = list(
        AuditEntry.objects.filter(target_type="analysis.creditquery", target_id=str(waiting.pk))
        .order_by("seq")
        .values_list("outcome", flat=True)
    )
    assert outcomes == [
        f"aguardando a consulta #{source.pk}, em andamento em outra filial",
        f"concluída com o resultado da consulta #{source.pk}",
    ]
    usage = {row.branch_id: row for row in QueryUsageDaily.objects.all()}
    assert (usage[scene.branch.pk].sent, usage[scene.branch.pk].cost) == (1, Decimal("12.50"))
    # The other branch made no call: one query avoided, saving its own price per query.
    theirs = usage[scene.other_branch.pk]
    assert (theirs.sent, theirs.cost, theirs.avoided, theirs.saved) == (
        0,
        Decimal("0.00"),
        1,
        Decimal("9.00"),
    )
    # Rebuilding the usage rows from the queries gives the same figures.
    before = sorted(QueryUsageDaily.objects.values_list("branch_id", "sent", "avoided", "saved"))
    usage_rebuild()
    after = sorted(QueryUsageDaily.objects.values_list("branch_id", "sent", "avoided", "saved"))
    assert after == before


def test_waiting_query_fails_unbilled_when_the_query_in_flight_fails(scene: Scene) -> None:
    inject_fault(scene.sandbox, "spcbrasil", "http500")
    source = ask(scene.attendant, scene.branch)
    waiting = ask(scene.other_attendant, scene.other_branch)

    credit_query_run(query_id=source.pk)

    source, waiting = reread(source), reread(waiting)
    assert source.status == QueryStatus.FAILED
    assert (waiting.status, waiting.error_code, waiting.billed, waiting.cost) == (
        QueryStatus.FAILED,
        "shared_query_failed",
        Billed.NO,
        Decimal("0.00"),
    )
    assert f"(#{source.pk})" in waiting.error_message
    assert "Nada foi cobrado" in waiting.error_message
    assert not QueryUsageDaily.objects.filter(branch=scene.other_branch).exists()


def test_user_of_both_branches_joins_the_same_query(
    scene: Scene, make_user: Callable[..., User]
) -> None:
    source = ask(scene.attendant, scene.branch)
    both = make_user(Role.ATTENDANT, [scene.branch, scene.other_branch], username="matriz")

    outcome = credit_query_request(
        subject=subject_from_document(SMALL_RESTRICTION_CPF), branch=scene.other_branch, user=both
    )

    assert (outcome.joined, outcome.query) == (True, source)
    assert not CreditQuery.objects.filter(status=QueryStatus.WAITING).exists()


def test_waiting_for_a_query_that_just_finished_takes_its_outcome_at_once(scene: Scene) -> None:
    """The query in flight may finish between the clash and the wait: no query is left waiting."""
    source = ask(scene.attendant, scene.branch)
    credit_query_run(query_id=source.pk)
    base: dict[str, Any] = {
        "subject_type": "document",
        "customer": None,
        "lead": None,
        "prospect": None,
        "document": SMALL_RESTRICTION_CPF,
        "person_type": "F",
        "subject_name": "",
        "branch": scene.other_branch,
        "user": scene.other_attendant,
        "ip_address": None,
        "product": "",
        "integration": scene.other_branch.integrations.get(),
        "platform": "spcbrasil",
    }

    waiting = reread(share_into_branch(source.pk, base, "aguardando"))

    assert (waiting.status, waiting.shared_from_id, waiting.billed) == (
        QueryStatus.SUCCEEDED,
        source.pk,
        Billed.NO,
    )
    assert billed_calls(scene.sandbox, document=SMALL_RESTRICTION_CPF) == 1


def test_maintenance_finishes_a_query_left_waiting(scene: Scene) -> None:
    source = ask(scene.attendant, scene.branch)
    waiting = ask(scene.other_attendant, scene.other_branch)
    assert credit_query_resolve_waiting() == 0  # still in flight: left alone
    # The source's outcome stored without handing it over (as by a version without the rule).
    CreditQuery.objects.filter(pk=source.pk).update(
        status=QueryStatus.SUCCEEDED, report={"score": None}, has_restrictions=False
    )

    assert credit_query_resolve_waiting() == 1

    waiting = reread(waiting)
    assert (waiting.status, waiting.report, waiting.billed) == (
        QueryStatus.SUCCEEDED,
        {"score": None},
        Billed.NO,
    )
    assert credit_query_resolve_waiting() == 0


def test_platform_report_is_copied_for_the_waiting_query(scene: Scene) -> None:
    # Crédito na Medida sends its own PDF when the person has restrictions.
    integration_on(scene.branch, scene.sandbox, "creditonamedida")
    connect_branch(scene.other_branch, scene.sandbox, "creditonamedida")
    source = ask(scene.attendant, scene.branch)
    waiting = ask(scene.other_attendant, scene.other_branch)

    credit_query_run(query_id=source.pk)

    source, waiting = reread(source), reread(waiting)
    assert source.provider_file.name and waiting.provider_file.name
    assert waiting.provider_file.name != source.provider_file.name  # purged with its own row
    with source.provider_file.open("rb") as theirs, waiting.provider_file.open("rb") as ours:
        assert ours.read() == theirs.read()
    assert waiting.provider_file_type == "application/pdf"


def test_api_answers_202_waiting_then_the_shared_result(
    scene: Scene, api_client_for: Callable[[User], Any]
) -> None:
    source = ask(scene.attendant, scene.branch)
    api = api_client_for(scene.other_attendant)

    created = api.post(
        "/api/v1/credit-queries/",
        {"document": SMALL_RESTRICTION_CPF, "branch": scene.other_branch.pk},
        format="json",
    )
    assert created.status_code == 202, created.content
    body = created.json()
    assert (body["status"], body["branch"], body["shared_from"]) == (
        "waiting",
        scene.other_branch.pk,
        source.pk,
    )

    credit_query_run(query_id=source.pk)
    done = api.get(f"/api/v1/credit-queries/{body['id']}/").json()

    assert (done["status"], done["billed"], done["cost"]) == ("succeeded", "no", "0.00")
    assert done["score"] == reread(source).score
    assert done["restrictions"] and done["report_url"]
    # The source stays out of reach of the other branch's user.
    assert api.get(f"/api/v1/credit-queries/{source.pk}/").status_code == 404


def test_result_screen_shows_progress_then_the_shared_result(scene: Scene, client: Client) -> None:
    source = ask(scene.attendant, scene.branch)
    waiting = ask(scene.other_attendant, scene.other_branch)
    client.force_login(scene.other_attendant)

    page = lxml.html.fromstring(client.get(f"/analise-credito/{waiting.pk}/").content)
    progress = text_of(page, "query-progress")
    assert "Aguardando a consulta deste CPF/CNPJ em andamento em outra filial" in progress
    assert page.xpath('//*[@data-status="waiting"]/text()') == ["Aguardando outra filial"]

    credit_query_run(query_id=source.pk)
    poll = client.get(f"/analise-credito/{waiting.pk}/situacao/")
    page = lxml.html.fromstring(client.get(f"/analise-credito/{waiting.pk}/").content)

    assert poll["HX-Trigger"] == "query-finished"
    assert page.xpath('//*[@data-status="succeeded"]')
    shared = text_of(page, "shared-from")
    assert f"consulta nº {source.pk}" in shared and "sem custo para esta filial" in shared
    assert page.xpath('//a[@data-testid="download-report"]')


# --- Inside the interval: the last query is of a branch the user cannot open ---------------------


def test_reuse_result_copies_the_last_query_of_another_branch_inside_the_interval(
    scene: Scene,
) -> None:
    source = ask(scene.attendant, scene.branch)
    credit_query_run(query_id=source.pk)
    subject = subject_from_document(SMALL_RESTRICTION_CPF)

    with pytest.raises(CreditQueryRefused) as refused:
        credit_query_request(subject=subject, branch=scene.other_branch, user=scene.other_attendant)
    outcome = credit_query_request(
        subject=subject, branch=scene.other_branch, user=scene.other_attendant, reuse_result=True
    )

    assert refused.value.code == "requery_interval"
    copy = reread(outcome.query)
    assert (copy.status, copy.branch, copy.shared_from_id, copy.billed, copy.cost) == (
        QueryStatus.SUCCEEDED,
        scene.other_branch,
        source.pk,
        Billed.NO,
        Decimal("0.00"),
    )
    assert not outcome.joined
    assert copy.report == reread(source).report
    assert billed_calls(scene.sandbox, document=SMALL_RESTRICTION_CPF) == 1
    assert AuditEntry.objects.filter(
        target_type="analysis.creditquery",
        target_id=str(copy.pk),
        outcome=f"resultado da consulta #{source.pk} reaproveitado, dentro do intervalo",
    ).exists()


def test_reuse_result_is_refused_when_the_user_can_open_the_last_query(scene: Scene) -> None:
    source = ask(scene.attendant, scene.branch)
    credit_query_run(query_id=source.pk)

    with pytest.raises(CreditQueryRefused) as refused:
        credit_query_request(
            subject=subject_from_document(SMALL_RESTRICTION_CPF),
            branch=scene.branch,
            user=scene.attendant,
            reuse_result=True,
        )

    # The link to the last query is the answer: no copy in the same branch.
    assert (refused.value.code, refused.value.last_query) == ("requery_interval", source)
    assert not CreditQuery.objects.filter(shared_from__isnull=False).exists()


def test_api_reuse_result_answers_201_with_the_copy(
    scene: Scene, api_client_for: Callable[[User], Any]
) -> None:
    source = ask(scene.attendant, scene.branch)
    credit_query_run(query_id=source.pk)
    api = api_client_for(scene.other_attendant)
    body = {"document": SMALL_RESTRICTION_CPF, "branch": scene.other_branch.pk}

    refused = api.post("/api/v1/credit-queries/", body, format="json")
    reused = api.post("/api/v1/credit-queries/", {**body, "reuse_result": True}, format="json")

    assert (refused.status_code, refused.json()["code"]) == (409, "requery_interval")
    assert reused.status_code == 201, reused.content
    copy = reused.json()
    assert (copy["status"], copy["shared_from"], copy["cost"]) == ("succeeded", source.pk, "0.00")
    assert copy["score"] == reread(source).score


def test_interval_alert_offers_the_result_of_another_branch_and_copies_it(
    scene: Scene, client: Client
) -> None:
    source = ask(scene.attendant, scene.branch)
    credit_query_run(query_id=source.pk)
    client.force_login(scene.other_attendant)
    url = f"/analise-credito/nova/?document={SMALL_RESTRICTION_CPF}"
    refused = client.post(url, {"document": SMALL_RESTRICTION_CPF, "branch": scene.other_branch.pk})
    page = lxml.html.fromstring(refused.content)
    hidden = page.xpath('//form[@data-testid="reuse-form"]//input[@type="hidden"]')
    assert isinstance(hidden, list)
    fields = {str(field.get("name")): str(field.get("value")) for field in hidden}  # type: ignore[union-attr]
    assert not page.xpath('//*[@data-testid="last-query-link"]')
    assert fields["reuse_result"] == "1" and fields["branch"] == str(scene.other_branch.pk)

    copied = client.post(url, fields)

    copy = CreditQuery.objects.get(shared_from=source)
    assert copied.status_code == 302 and copied["Location"] == f"/analise-credito/{copy.pk}/"
    page = lxml.html.fromstring(client.get(copied["Location"]).content)
    assert "feita em outra filial em" in text_of(page, "shared-from")
    assert billed_calls(scene.sandbox, document=SMALL_RESTRICTION_CPF) == 1


def test_reuse_result_bad_input_is_a_field_error_and_changes_nothing(
    scene: Scene, api_client_for: Callable[[User], Any], client: Client
) -> None:
    source = ask(scene.attendant, scene.branch)
    credit_query_run(query_id=source.pk)
    api = api_client_for(scene.other_attendant)
    body = {
        "document": SMALL_RESTRICTION_CPF,
        "branch": scene.other_branch.pk,
        "reuse_result": "talvez",
    }

    not_boolean = api.post("/api/v1/credit-queries/", body, format="json")
    # The reuse form posted for a branch that is not the user's: the branch field refuses it.
    client.force_login(scene.other_attendant)
    url = f"/analise-credito/nova/?document={SMALL_RESTRICTION_CPF}"
    foreign = client.post(
        url, {"document": SMALL_RESTRICTION_CPF, "branch": scene.branch.pk, "reuse_result": "1"}
    )

    assert not_boolean.status_code == 400 and "reuse_result" in not_boolean.json()
    assert foreign.status_code == 200
    page = lxml.html.fromstring(foreign.content)
    assert page.xpath('//*[@data-field-error="branch"]/text()') == [
        "Faça uma escolha válida. Sua escolha não é uma das disponíveis."
    ]
    assert not CreditQuery.objects.filter(shared_from__isnull=False).exists()
    assert billed_calls(scene.sandbox, document=SMALL_RESTRICTION_CPF) == 1
