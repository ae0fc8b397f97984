"""The human review queue: the policy's reviews, the data subject's requests (LGPD art. 20) and
the reviewer's decision beside the automated one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from creditcheck.core.enums import AuditAction
from creditcheck.core.models import AuditEntry
from creditcheck.decisions.models import CreditDecision, CreditReview
from creditcheck.decisions.reviews import ReviewRefused, review_decide, review_request_by_subject
from tests.decisions.conftest import Run
from tests.decisions.policies import CLEAN_CPF, SMALL_RESTRICTION_CPF, publish_standard_policy

pytestmark = pytest.mark.django_db


def client_of(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_policy_review_enters_the_queue_with_a_two_day_term(run_query: Run) -> None:
    publish_standard_policy()
    query = run_query(SMALL_RESTRICTION_CPF)
    review = CreditReview.objects.get()
    assert (review.decision.query, review.origin, review.outcome) == (query, "politica", "")
    assert review.due_at - review.requested_at == dt.timedelta(days=2)
    assert not CreditReview.objects.filter(decision__outcome="aprovado").exists()


def test_reviewer_approval_is_kept_beside_the_automated_decision(
    run_query: Run, financial: User
) -> None:
    publish_standard_policy(validity_days=10)
    query = run_query(SMALL_RESTRICTION_CPF)
    review = CreditReview.objects.get()

    review_decide(
        review_id=review.pk,
        outcome="aprovado",
        reason="Cliente antigo, pagou em dia",
        user=financial,
    )

    decision = CreditDecision.objects.get(query=query)
    assert (decision.outcome, decision.final, decision.final_by) == (
        "revisao",
        "aprovado",
        financial,
    )
    assert decision.state == "aprovado"
    assert decision.final_at is not None
    assert decision.expires_at - decision.final_at == dt.timedelta(days=10)
    entry = AuditEntry.objects.filter(action=AuditAction.CREDIT_DECISION).get()
    assert (entry.outcome, entry.details["automated"], entry.details["final"]) == (
        "revisão: aprovado",
        "revisao",
        "aprovado",
    )
    with pytest.raises(ReviewRefused) as closed:
        review_decide(review_id=review.pk, outcome="negado", reason="x", user=financial)
    assert closed.value.code == "review_closed"


@pytest.mark.parametrize(
    ("outcome", "reason", "code"),
    [("talvez", "x", "invalid_outcome"), ("negado", "  ", "reason_required")],
)
def test_review_without_outcome_or_reason_refused(
    run_query: Run, financial: User, outcome: str, reason: str, code: str
) -> None:
    publish_standard_policy()
    run_query(SMALL_RESTRICTION_CPF)
    review = CreditReview.objects.get()
    with pytest.raises(ReviewRefused) as caught:
        review_decide(review_id=review.pk, outcome=outcome, reason=reason, user=financial)
    assert caught.value.code == code
    review.refresh_from_db()
    assert review.open


def test_subject_request_lands_in_the_queue_with_a_15_day_term(
    run_query: Run, attendant: User
) -> None:
    publish_standard_policy()
    decision = CreditDecision.objects.get(query=run_query(CLEAN_CPF))
    review = review_request_by_subject(
        decision=decision, note="Pediu por telefone a revisão", user=attendant
    )
    assert (review.origin, review.requested_by) == ("titular", attendant)
    assert review.due_at - review.requested_at == dt.timedelta(days=15)
    with pytest.raises(ReviewRefused) as again:
        review_request_by_subject(decision=decision, note="De novo", user=attendant)
    assert again.value.code == "review_open"
    assert CreditReview.objects.count() == 1


def test_review_screens_decide_and_show_both_decisions(
    run_query: Run, financial: User, attendant: User
) -> None:
    publish_standard_policy()
    query = run_query(SMALL_RESTRICTION_CPF)
    review = CreditReview.objects.get()
    reviewer = client_of(financial)

    queue = reviewer.get(reverse("reviews:list")).content.decode()
    refused = reviewer.post(reverse("reviews:detail", args=[review.pk]), {"outcome": "negado"})
    decided = reviewer.post(
        reverse("reviews:detail", args=[review.pk]),
        {"outcome": "negado", "reason": "Renda não comprovada"},
    )
    result = client_of(attendant).get(reverse("analysis:detail", args=[query.pk])).content.decode()

    assert "Revisão pedida pela política" in queue
    assert "Escreva o motivo da decisão do revisor." in refused.content.decode()
    assert decided.status_code == 302
    assert 'data-testid="decision-final"' in result
    assert "Negado pelo revisor" in result
    assert "Renda não comprovada" in result
    assert "Decisão automática: Revisão manual: score 520 entre 300 e 599" in result
    assert client_of(attendant).get(reverse("reviews:list")).status_code == 403


def test_subject_request_recorded_from_the_customer_screen(run_query: Run, attendant: User) -> None:
    publish_standard_policy()
    query = run_query(CLEAN_CPF)
    decision = CreditDecision.objects.get(query=query)
    client = client_of(attendant)

    form = client.get(reverse("reviews:request", args=[decision.pk]))
    empty = client.post(reverse("reviews:request", args=[decision.pk]), {"note": ""})
    recorded = client.post(
        reverse("reviews:request", args=[decision.pk]), {"note": "Pediu no balcão"}
    )

    assert "LGPD art. 20" in form.content.decode()
    assert "Escreva o que o titular pediu" in empty.content.decode()
    assert recorded.status_code == 302
    assert CreditReview.objects.get().request_note == "Pediu no balcão"
