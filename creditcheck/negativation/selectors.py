"""Reads of negativações for the screens: lists and details scoped to the user, the Elegíveis
list, the confirmation of a batch of inclusions and the deadline board."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from creditcheck.contracts.enums import InvoiceStatus
from creditcheck.contracts.models import Invoice
from creditcheck.core.models import Branch
from creditcheck.core.selectors import scope_to_user
from creditcheck.customers.models import Customer
from creditcheck.integrations.models import BranchIntegration
from creditcheck.negativation.deadlines import business_days_between
from creditcheck.negativation.eligibility import (
    EligibilityContext,
    branch_blockers,
    eligibility_context,
    eligible_invoices,
    reasons_in,
    require_integration_enabled,
)
from creditcheck.negativation.enums import LIVE, REGISTERED, NegativationStatus
from creditcheck.negativation.models import (
    BranchNegativationSettings,
    Negativation,
    NegativationEvent,
)
from creditcheck.negativation.refusals import Ineligibility
from creditcheck.notices.rules import UfRule
from creditcheck.notices.selectors import notice_rule

S = NegativationStatus
BOARD_LIMIT = 50
# Removals due within this many business days are flagged on the board.
DUE_SOON_BUSINESS_DAYS = 2
# Two business days never span more than this many calendar days (weekends plus Carnival).
DUE_SOON_CALENDAR_BOUND = dt.timedelta(days=14)


def negativations_for(user: Any) -> QuerySet[Negativation]:
    """The negativações of the user's branches, with what every list row shows."""
    return scope_to_user(Negativation.objects.select_related("invoice", "customer", "branch"), user)


def _events_prefetch() -> Prefetch:
    return Prefetch("events", queryset=NegativationEvent.objects.select_related("user"))


def with_event_labels(negativations: list[Negativation]) -> list[Negativation]:
    """Give each prefetched event the pt-BR labels of its "de" and "para" states."""
    labels = dict(S.choices)
    for negativation in negativations:
        for event in negativation.events.all():
            event.from_label = labels.get(event.from_status, event.from_status)  # type: ignore[attr-defined]
            event.to_label = labels.get(event.to_status, event.to_status)  # type: ignore[attr-defined]
    return negativations


def negativation_details_for(user: Any) -> QuerySet[Negativation]:
    """The user's negativações with what the detail page shows (its history included)."""
    return (
        negativations_for(user)
        .select_related("integration", "requested_by")
        .prefetch_related(_events_prefetch())
    )


def customer_negativations(user: Any, customer: Customer) -> list[Negativation]:
    """The customer's negativações (of the user's branches), each with its history."""
    negativations = negativations_for(user).filter(customer=customer)
    return with_event_labels(list(negativations.prefetch_related(_events_prefetch())))


def removal_business_days_left(negativation: Negativation, today: dt.date) -> int | None:
    """Business days until the legal deadline of a pending removal (negative: overdue)."""
    if negativation.status != S.REMOVAL_REQUESTED or negativation.removal_deadline is None:
        return None
    return business_days_between(today, negativation.removal_deadline, negativation.customer.state)


def live_negativation(invoice: Invoice) -> Negativation | None:
    return invoice.negativations.filter(status__in=LIVE).first()


def registered_negativation(invoice: Invoice) -> Negativation | None:
    """The invoice's negativação registered at a platform (a payment gets it removed)."""
    return invoice.negativations.filter(status__in=REGISTERED).first()


def removal_after_payment(invoice: Invoice) -> Negativation | None:
    """The invoice's negativação whose removal a payment asked for (with its legal deadline)."""
    return (
        invoice.negativations.filter(status__in=(S.REMOVAL_REQUESTED, S.REMOVED))
        .exclude(removal_deadline=None)
        .first()
    )


def branch_settings_rows(
    branches: QuerySet[Branch],
) -> list[tuple[Branch, BranchNegativationSettings]]:
    """Each branch with its negativação rules (the defaults where none were saved)."""
    rows = []
    for branch in branches.select_related("negativation_settings__integration"):
        rules = getattr(branch, "negativation_settings", None)
        rows.append((branch, rules or BranchNegativationSettings(branch=branch)))
    return rows


# ---- Elegíveis ---------------------------------------------------------------------------------


def overdue_open_invoices(branch: Branch, today: dt.date) -> QuerySet[Invoice]:
    """The invoices Elegíveis lists: open and past due, of one branch."""
    return Invoice.objects.filter(
        contract__branch=branch, status=InvoiceStatus.OPEN, due_date__lt=today
    ).select_related("contract__customer", "contract__branch")


@dataclass(frozen=True)
class EligibleListing:
    context: EligibilityContext
    blockers: list[Ineligibility]  # why no invoice of the branch can be negativated now
    invoices: QuerySet[Invoice]  # ordered for paging


def eligible_listing(
    *, branch: Branch, invoices: QuerySet[Invoice], situation: str, today: dt.date
) -> EligibleListing:
    """`invoices` of `branch` narrowed to the eligible ones (situation "eligible"), the others
    ("ineligible") or all ("")."""
    context = eligibility_context(branch, today)
    eligible = eligible_invoices(context).values("pk")
    if situation == "eligible":
        invoices = invoices.filter(pk__in=eligible)
    elif situation == "ineligible":
        invoices = invoices.exclude(pk__in=eligible)
    return EligibleListing(context, branch_blockers(context), invoices.order_by("due_date", "pk"))


def eligible_rows(
    listing: EligibleListing, page: Iterable[Invoice]
) -> list[tuple[Invoice, list[Ineligibility]]]:
    """Each invoice of a page with the reasons it cannot be negativated (empty: it can)."""
    invoices = list(page)
    base = listing.context
    context = eligibility_context(base.branch, base.today, invoices=invoices)
    return [(invoice, reasons_in(invoice, context)) for invoice in invoices]


@dataclass(frozen=True)
class InclusionRow:
    invoice: Invoice
    reasons: list[Ineligibility]
    integration: BranchIntegration | None
    notice_rule: UfRule


@dataclass(frozen=True)
class InclusionPreview:
    rows: list[InclusionRow]
    includable: list[Invoice]
    total_cost: Decimal
    total_amount: Decimal


def inclusion_preview(invoices: Iterable[Invoice], today: dt.date) -> InclusionPreview:
    """The confirmation of "Negativar selecionadas": each invoice's reasons, platform and notice
    period, and the cost and amount of those that will be included. Raises the
    `integration_disabled` refusal while the flag is off."""
    require_integration_enabled()
    contexts: dict[int, EligibilityContext] = {}
    notice: dict[str, UfRule] = {}
    rows = []
    for invoice in invoices:
        branch, state = invoice.contract.branch, invoice.contract.customer.state
        if branch.pk not in contexts:
            contexts[branch.pk] = eligibility_context(branch, today)
        if state not in notice:
            notice[state] = notice_rule(state)
        context = contexts[branch.pk]
        rows.append(
            InclusionRow(invoice, reasons_in(invoice, context), context.integration, notice[state])
        )
    includable = [row for row in rows if not row.reasons]
    return InclusionPreview(
        rows=rows,
        includable=[row.invoice for row in includable],
        total_cost=sum(
            (row.integration.cost_per_query for row in includable if row.integration),
            Decimal("0.00"),
        ),
        total_amount=sum((row.invoice.amount for row in includable), Decimal("0.00")),
    )


# ---- Painel de prazos --------------------------------------------------------------------------


@dataclass(frozen=True)
class PendingRemoval:
    negativation: Negativation
    business_days_left: int  # negative when overdue


@dataclass(frozen=True)
class DeadlineBoard:
    awaiting: list[Negativation]
    awaiting_count: int
    active: list[Negativation]
    active_count: int
    due_soon: list[PendingRemoval]
    overdue: list[PendingRemoval]
    removals_pending: int
    removals_with_error: int
    failed_count: int


def deadline_board(negativations: QuerySet[Negativation], today: dt.date) -> DeadlineBoard:
    """Awaiting notice, active, removals due within 2 business days, removals overdue."""
    counts = dict(
        negativations.order_by()
        .values_list("status")
        .annotate(total=Count("pk"))
        .values_list("status", "total")
    )
    near = negativations.filter(
        status=S.REMOVAL_REQUESTED, removal_deadline__lte=today + DUE_SOON_CALENDAR_BOUND
    ).order_by("removal_deadline", "pk")
    due_soon, overdue = [], []
    for negativation in near:
        assert negativation.removal_deadline is not None
        left = business_days_between(
            today, negativation.removal_deadline, negativation.customer.state
        )
        row = PendingRemoval(negativation, left)
        if negativation.removal_deadline < today:
            overdue.append(row)
        elif left <= DUE_SOON_BUSINESS_DAYS:
            due_soon.append(row)
    awaiting = negativations.filter(status=S.AWAITING_NOTICE).order_by("visible_on", "pk")
    active = negativations.filter(status=S.ACTIVE).order_by("-active_at", "-pk")
    return DeadlineBoard(
        awaiting=list(awaiting[:BOARD_LIMIT]),
        awaiting_count=counts.get(S.AWAITING_NOTICE, 0),
        active=list(active[:BOARD_LIMIT]),
        active_count=counts.get(S.ACTIVE, 0),
        due_soon=due_soon,
        overdue=overdue,
        removals_pending=counts.get(S.REMOVAL_REQUESTED, 0),
        removals_with_error=negativations.filter(status=S.REMOVAL_REQUESTED)
        .exclude(error_message="")
        .count(),
        failed_count=counts.get(S.FAILED, 0),
    )
