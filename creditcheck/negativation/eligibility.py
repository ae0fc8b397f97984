"""Which invoices may be negativated, and why not: one list of rules (RULES) for the manual
flow, the Elegíveis list and the daily sweep.

Each rule says, in Python, why an invoice breaks it (the reasons the screens list) and, as a
condition on Invoice, which invoices keep it (the one SQL query of the sweep and of the
Elegíveis filter): `ineligibility_reasons` and `eligible_invoices` are both built from RULES, and
tests/negativation/test_eligibility.py runs every rule through both. Rules about the branch as a
whole (the integration flag, the branch's integration) are read once and become a condition
that holds for every invoice or for none.

This module is also the one place that reads "Utiliza integração com análise de crédito" for
negativação: `integration_enabled`.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import DateField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet
from django.utils import timezone

from creditcheck.contracts.enums import ContractStatus, InvoiceStatus
from creditcheck.contracts.models import Invoice
from creditcheck.core import documents
from creditcheck.core.models import Branch
from creditcheck.integrations.models import BranchIntegration
from creditcheck.integrations.selectors import credit_settings, integration_for_branch
from creditcheck.negativation.deadlines import oldest_includable_due_date
from creditcheck.negativation.enums import LIVE
from creditcheck.negativation.models import BranchNegativationSettings, Negativation
from creditcheck.negativation.refusals import (
    Ineligibility,
    IneligibilityCode,
    NegativationRefused,
    RefusalCode,
    message,
)
from creditcheck.notices.models import RepaymentPlan
from providers import registry

C = IneligibilityCode
ADDRESS_FIELDS = ("cep", "street", "number", "district", "city", "state")
# A contract cancelled this long before the due date did not provide the billed service.
SERVICE_PERIOD = dt.timedelta(days=30)
# A condition no invoice meets (a primary key is never null); unlike an empty `pk__in` it still
# compiles to SQL, which the sweep's INSERT ... SELECT needs.
NO_INVOICE = Q(pk__isnull=True)

Params = dict[str, Any]


def integration_enabled() -> bool:
    """ "Utiliza integração com análise de crédito": off, no negativação action is taken."""
    return credit_settings().enabled


def require_integration_enabled() -> None:
    """Raise the `integration_disabled` refusal while the flag is off."""
    if not integration_enabled():
        raise NegativationRefused(RefusalCode.INTEGRATION_DISABLED)


def branch_rules(branch_id: int) -> BranchNegativationSettings:
    rules = BranchNegativationSettings.objects.filter(branch_id=branch_id).first()
    return rules or BranchNegativationSettings(branch_id=branch_id)


def inclusion_integrations(branch: Branch) -> QuerySet[BranchIntegration]:
    """The integrations an inclusion of `branch` may go through: active, of a platform that
    includes (negativação)."""
    including = [p.key for p in registry.platforms() if p.supports(registry.Capability.INCLUDE)]
    return BranchIntegration.objects.filter(
        branch=branch, active=True, platform__in=including
    ).order_by("-is_default", "id")


def inclusion_integration(branch: Branch) -> BranchIntegration | None:
    """The integration inclusions of `branch` go through: its chosen one, else its default."""
    chosen = branch_rules(branch.pk).integration
    if chosen is not None and chosen.active:
        return chosen
    return integration_for_branch(branch)


@dataclass(frozen=True)
class EligibilityContext:
    """What the rules read besides the invoice, for one branch on one day (read once)."""

    branch: Branch
    today: dt.date
    rules: BranchNegativationSettings
    enabled: bool
    integration: BranchIntegration | None
    # Invoices (of those being checked) with a live negativação; None: ask per invoice.
    live_invoice_ids: frozenset[int] | None = None

    def has_live_negativation(self, invoice: Invoice) -> bool:
        if self.live_invoice_ids is not None:
            return invoice.pk in self.live_invoice_ids
        return Negativation.objects.filter(invoice=invoice, status__in=LIVE).exists()


def eligibility_context(
    branch: Branch, today: dt.date | None = None, *, invoices: Iterable[Invoice] | None = None
) -> EligibilityContext:
    """The context of `branch` today; with `invoices`, their live negativações in one query."""
    live = None
    if invoices is not None:
        live = frozenset(
            Negativation.objects.filter(
                invoice__in=[invoice.pk for invoice in invoices], status__in=LIVE
            ).values_list("invoice_id", flat=True)
        )
    return EligibilityContext(
        branch=branch,
        today=today or timezone.localdate(),
        rules=branch_rules(branch.pk),
        enabled=integration_enabled(),
        integration=inclusion_integration(branch),
        live_invoice_ids=live,
    )


@dataclass(frozen=True)
class BranchRule:
    """A rule about the branch as a whole: it holds for all of its invoices or for none."""

    code: str
    broken: Callable[[EligibilityContext], Params | None]  # the message's params; None: holds

    def condition(self, context: EligibilityContext) -> Q:
        return Q() if self.broken(context) is None else NO_INVOICE


@dataclass(frozen=True)
class InvoiceRule:
    code: str
    broken: Callable[[Invoice, EligibilityContext], Params | None]  # params; None: holds
    # The invoices that keep the rule; None only where the SQL cannot check it (see its rule).
    condition: Callable[[EligibilityContext], Q] | None


Rule = BranchRule | InvoiceRule


def _when(broken: bool, **params: Any) -> Params | None:
    return params if broken else None


def _missing_address(invoice: Invoice, _context: EligibilityContext) -> Params | None:
    customer = invoice.contract.customer
    missing = [
        str(getattr(customer._meta.get_field(name), "verbose_name", name))
        for name in ADDRESS_FIELDS
        if not getattr(customer, name)
    ]
    return _when(bool(missing), fields=", ".join(missing))


def _address_complete(_context: EligibilityContext) -> Q:
    complete = Q()
    for name in ADDRESS_FIELDS:
        complete &= ~Q(**{f"contract__customer__{name}": ""})
    return complete


def _cancelled_before_period(invoice: Invoice, _context: EligibilityContext) -> Params | None:
    contract = invoice.contract
    return _when(
        contract.status == ContractStatus.CANCELLED
        and contract.cancelled_at is not None
        and contract.cancelled_at < invoice.due_date - SERVICE_PERIOD
    )


def _not_cancelled_before_period(_context: EligibilityContext) -> Q:
    return ~Q(
        contract__status=ContractStatus.CANCELLED,
        contract__cancelled_at__lt=ExpressionWrapper(
            F("due_date") - SERVICE_PERIOD, output_field=DateField()
        ),
    )


def _not_overdue_enough(invoice: Invoice, context: EligibilityContext) -> Params | None:
    overdue = (context.today - invoice.due_date).days
    minimum = context.rules.days_after_due
    return _when(overdue < minimum, days=max(overdue, 0), min=minimum)


def _below_minimum(invoice: Invoice, context: EligibilityContext) -> Params | None:
    minimum = context.rules.min_amount
    return _when(invoice.amount < minimum, min=f"{minimum:.2f}".replace(".", ","))


def _plans_in_force(context: EligibilityContext) -> QuerySet[RepaymentPlan]:
    return RepaymentPlan.objects.filter(ends_on__gte=context.today)


def _covered_by_plan(invoice: Invoice, context: EligibilityContext) -> Params | None:
    plan = _plans_in_force(context).filter(invoices=invoice).order_by("-ends_on").first()
    if plan is None:
        return None
    return {"plan": str(plan), "end": plan.ends_on.strftime("%d/%m/%Y")}


def _not_covered_by_plan(context: EligibilityContext) -> Q:
    return ~Q(Exists(_plans_in_force(context).filter(invoices=OuterRef("pk"))))


def _no_live_negativation(_context: EligibilityContext) -> Q:
    return ~Q(Exists(Negativation.objects.filter(invoice=OuterRef("pk"), status__in=LIVE)))


# In the order the screens list the reasons.
RULES: tuple[Rule, ...] = (
    BranchRule(C.INTEGRATION_DISABLED, lambda context: _when(not context.enabled)),
    InvoiceRule(
        C.NOT_OPEN,
        lambda invoice, _c: _when(
            invoice.status != InvoiceStatus.OPEN, status=invoice.get_status_display()
        ),
        lambda _c: Q(status=InvoiceStatus.OPEN),
    ),
    InvoiceRule(
        C.DISPUTED,
        lambda invoice, _c: _when(invoice.disputed),
        lambda _c: Q(disputed=False),
    ),
    InvoiceRule(
        C.NOT_OVERDUE_ENOUGH,
        _not_overdue_enough,
        lambda c: Q(due_date__lte=c.today - dt.timedelta(days=c.rules.days_after_due)),
    ),
    InvoiceRule(
        C.TOO_OLD,
        lambda invoice, c: _when(invoice.due_date < oldest_includable_due_date(c.today)),
        lambda c: Q(due_date__gte=oldest_includable_due_date(c.today)),
    ),
    InvoiceRule(C.BELOW_MINIMUM, _below_minimum, lambda c: Q(amount__gte=c.rules.min_amount)),
    InvoiceRule(C.CONTRACT_CANCELLED, _cancelled_before_period, _not_cancelled_before_period),
    # Not in SQL: check digits are validated wherever a document is stored (DocumentField, the
    # forms, the API, the imports), so the query trusts them; negativation_include checks every
    # rule again for each invoice the sweep queued, and the Elegíveis rows show these reasons.
    InvoiceRule(
        C.INVALID_DOCUMENT,
        lambda invoice, _c: _when(not documents.is_valid(invoice.contract.customer.document)),
        None,
    ),
    InvoiceRule(C.INCOMPLETE_ADDRESS, _missing_address, _address_complete),
    # Superendividamento (Lei 14.181/2021): the debts of a plan in force are not negativated.
    InvoiceRule(C.REPAYMENT_PLAN, _covered_by_plan, _not_covered_by_plan),
    InvoiceRule(
        C.ALREADY_NEGATIVATED,
        lambda invoice, c: _when(c.has_live_negativation(invoice)),
        _no_live_negativation,
    ),
    BranchRule(
        C.BRANCH_WITHOUT_INTEGRATION,
        lambda context: _when(context.integration is None, branch=context.branch.name),
    ),
)


def _broken(rule: Rule, invoice: Invoice, context: EligibilityContext) -> Params | None:
    if isinstance(rule, BranchRule):
        return rule.broken(context)
    return rule.broken(invoice, context)


def reasons_in(invoice: Invoice, context: EligibilityContext) -> list[Ineligibility]:
    """Every reason `invoice` (of the context's branch) cannot be negativated; empty if it can."""
    reasons = []
    for rule in RULES:
        params = _broken(rule, invoice, context)
        if params is not None:
            reasons.append(Ineligibility(rule.code, message(rule.code, **params)))
    return reasons


def ineligibility_reasons(invoice: Invoice, today: dt.date | None = None) -> list[Ineligibility]:
    """Every reason `invoice` cannot be negativated now; empty when it can."""
    return reasons_in(invoice, eligibility_context(invoice.contract.branch, today))


def branch_blockers(context: EligibilityContext) -> list[Ineligibility]:
    """The reasons no invoice of the branch can be negativated now (shown once, above a list)."""
    return [
        Ineligibility(rule.code, message(rule.code, **params))
        for rule in RULES
        if isinstance(rule, BranchRule) and (params := rule.broken(context)) is not None
    ]


def eligible_invoices(context: EligibilityContext) -> QuerySet[Invoice]:
    """The invoices of the context's branch that keep every rule, as one query (the sweep, the
    Elegíveis filter): each rule's condition, the branch-wide ones included."""
    invoices = Invoice.objects.filter(contract__branch=context.branch)
    for rule in RULES:
        condition = rule.condition
        if condition is not None:
            invoices = invoices.filter(condition(context))
    return invoices
