"""Reads of notices: the rule in force per UF, and what the customer's Comunicados tab shows."""

from dataclasses import replace

from django.db.models import QuerySet

from creditcheck.contracts.enums import InvoiceStatus
from creditcheck.contracts.models import Invoice
from creditcheck.core.enums import State
from creditcheck.core.models import Branch
from creditcheck.customers.models import Customer
from creditcheck.notices.models import (
    CreditorProfile,
    Notice,
    NoticeConsent,
    RepaymentPlan,
    StateNoticeRule,
)
from creditcheck.notices.rules import DEFAULT_RULES, UfRule


def rule_from_row(row: StateNoticeRule) -> UfRule:
    return UfRule(
        state=row.state,
        days=row.days,
        business_days=row.business_days,
        channels_without_consent=tuple(row.channels_without_consent),
        channels_with_consent=tuple(row.channels_with_consent),
        contents=tuple(row.contents),
        source=row.source,
        customized=True,
    )


def notice_rule(state: str) -> UfRule:
    """The notice rule in force for a debtor in `state`: the stored one, else the default."""
    state = (state or "").upper()
    row = StateNoticeRule.objects.filter(state=state).first()
    if row is not None:
        return rule_from_row(row)
    # A customer without a known UF gets the default of a UF with no state law.
    return DEFAULT_RULES.get(state) or replace(DEFAULT_RULES["DF"], state=state)


def notice_rules() -> list[UfRule]:
    """The rule of every UF, in the order of the UF list."""
    stored = {row.state: rule_from_row(row) for row in StateNoticeRule.objects.all()}
    return [stored.get(state) or DEFAULT_RULES[state] for state in State.values]


def creditor_of(branch: Branch) -> CreditorProfile | None:
    return CreditorProfile.objects.filter(branch=branch).first()


def customer_consents(customer: Customer) -> list[NoticeConsent]:
    return list(customer.notice_consents.select_related("recorded_by"))


def customer_notices(customer: Customer) -> list[Notice]:
    return list(
        customer.notices.select_related("invoice", "recorded_by").prefetch_related("events")
    )


def customer_plans(customer: Customer) -> list[RepaymentPlan]:
    return list(customer.repayment_plans.select_related("recorded_by").prefetch_related("invoices"))


def open_invoices_of(customer: Customer) -> QuerySet[Invoice]:
    return Invoice.objects.filter(contract__customer=customer, status=InvoiceStatus.OPEN)
