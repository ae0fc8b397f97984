"""Reads of credit policies and decisions."""

from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from creditcheck.analysis.models import CreditQuery
from creditcheck.contracts.enums import InvoiceStatus
from creditcheck.contracts.models import Invoice
from creditcheck.core.selectors import branches_for, scope_to_user
from creditcheck.decisions.models import (
    CreditDecision,
    CreditPolicy,
    CreditPolicyVersion,
    CreditReview,
)
from creditcheck.decisions.rules import OwnHistory
from creditcheck.negativation.enums import NegativationStatus
from creditcheck.negativation.models import Negativation


def policy_in_force(branch_id: int) -> CreditPolicyVersion | None:
    """The version that decides the queries of the branch: its own policy's, else the company
    default's; None when that one is off or there is none (one statement)."""
    policies = list(
        CreditPolicy.objects.filter(Q(branch_id=branch_id) | Q(branch__isnull=True)).select_related(
            "current"
        )
    )
    own = [p for p in policies if p.branch_id == branch_id]
    chosen = (own or policies)[:1]
    version = chosen[0].current if chosen else None
    return version if version is not None and version.enabled else None


def own_history(document: str) -> OwnHistory:
    """The ISP's own records of the document, every branch: overdue open invoices and the
    negativações it registered (or tried to: failed and rejected ones do not count)."""
    invoices = Invoice.objects.filter(
        contract__customer__document=document,
        status=InvoiceStatus.OPEN,
        due_date__lt=timezone.localdate(),
    ).aggregate(count=Count("id"), amount=Sum("amount"))
    negativations = (
        Negativation.objects.filter(document=document)
        .exclude(status__in=[NegativationStatus.FAILED, NegativationStatus.REJECTED])
        .count()
    )
    return OwnHistory(
        overdue_invoices=invoices["count"],
        overdue_amount=(invoices["amount"] or Decimal("0")).quantize(Decimal("0.01")),
        negativations=negativations,
    )


def policies_for(user: Any) -> QuerySet[CreditPolicy]:
    """The company default and the policies of the user's branches."""
    return (
        CreditPolicy.objects.filter(Q(branch__isnull=True) | Q(branch__in=branches_for(user)))
        .select_related("branch", "current", "current__created_by")
        .order_by("branch__name")
    )


def policy_versions(policy: CreditPolicy) -> QuerySet[CreditPolicyVersion]:
    return policy.versions.select_related("created_by").order_by("-number")


# What reading a query's decision with it takes (select_related).
DECISION_RELATED = ("decision__version__policy__branch",)


def decision_of(query: CreditQuery) -> CreditDecision | None:
    """The decision of the query (None without one: policy off, or not succeeded)."""
    try:
        decision: CreditDecision = query.decision  # type: ignore[attr-defined]
    except CreditDecision.DoesNotExist:
        return None
    return decision


def reviews_for(user: Any) -> QuerySet[CreditReview]:
    """Every review of the queries of the user's branches."""
    return scope_to_user(
        CreditReview.objects.select_related(
            "decision__query__branch",
            "decision__query__customer",
            "decision__version__policy__branch",
            "requested_by",
            "reviewed_by",
        ),
        user,
        "decision__query__branch",
    )


def review_queue(user: Any, *, closed: bool = False) -> QuerySet[CreditReview]:
    """The open reviews of the user's branches by deadline, or the decided ones."""
    reviews = reviews_for(user)
    if closed:
        return reviews.exclude(outcome="").order_by("-reviewed_at", "-pk")
    return reviews.filter(outcome="").order_by("due_at", "pk")


def open_review_of(decision: CreditDecision) -> CreditReview | None:
    return decision.reviews.filter(outcome="").select_related("requested_by").first()


def subject_decisions(
    *, customer_id: int | None = None, lead_id: int | None = None, prospect_id: int | None = None
) -> QuerySet[CreditDecision]:
    """The decisions of one customer's, lead's or prospect's queries, newest first."""
    decisions = CreditDecision.objects.select_related(
        "query", "version__policy__branch", "final_by"
    ).order_by("-decided_at", "-pk")
    if customer_id is not None:
        return decisions.filter(query__customer_id=customer_id)
    if lead_id is not None:
        return decisions.filter(query__lead_id=lead_id)
    if prospect_id is not None:
        return decisions.filter(query__prospect_id=prospect_id)
    return decisions.none()
