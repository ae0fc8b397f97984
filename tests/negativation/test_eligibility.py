"""The one list of eligibility rules, run through both of its forms: the Python reasons the
screens list (reasons_in) and the SQL selection of the sweep and the Elegíveis filter
(eligible_invoices). For every rule, an invoice breaking only that rule must be refused by the
first with exactly that reason and left out by the second, beside one that breaks nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.utils import timezone

from creditcheck.contracts.enums import ContractStatus, InvoiceStatus
from creditcheck.contracts.models import Invoice
from creditcheck.core.models import Branch
from creditcheck.integrations.models import BranchIntegration, CreditAnalysisSettings
from creditcheck.negativation.eligibility import (
    RULES,
    BranchRule,
    InvoiceRule,
    branch_blockers,
    eligibility_context,
    eligible_invoices,
    ineligibility_reasons,
    reasons_in,
)
from creditcheck.negativation.enums import NegativationStatus
from creditcheck.negativation.models import BranchNegativationSettings, Negativation
from creditcheck.negativation.refusals import NegativationRefused
from creditcheck.negativation.services import negativation_include
from creditcheck.notices.enums import PlanKind
from creditcheck.notices.models import RepaymentPlan
from providers.sandbox.server import RunningSandbox
from tests.credit_setup import connect_branch, enable_credit_analysis
from tests.factories import negativation_for
from tests.negativation.conftest import MakeInvoice

pytestmark = pytest.mark.django_db

Breaker = Callable[[MakeInvoice, BranchIntegration], Invoice]


def _cancelled_long_before(make: MakeInvoice, _integration: BranchIntegration) -> Invoice:
    invoice = make(days_overdue=90)
    contract = invoice.contract
    contract.status = ContractStatus.CANCELLED
    contract.cancelled_at = invoice.due_date - dt.timedelta(days=60)
    contract.save()
    return invoice


def _already_negativated(make: MakeInvoice, integration: BranchIntegration) -> Invoice:
    invoice = make()
    negativation_for(invoice, integration, NegativationStatus.ACTIVE)
    return invoice


def in_plan(invoice: Invoice, *, ends_in_days: int = 300) -> RepaymentPlan:
    """A court repayment plan covering `invoice`, started 10 days ago."""
    today = timezone.localdate()
    plan = RepaymentPlan.objects.create(
        customer=invoice.contract.customer,
        kind=PlanKind.COURT,
        reference="0001234-56.2026.8.17.0001",
        starts_on=today - dt.timedelta(days=10),
        ends_on=today + dt.timedelta(days=ends_in_days),
        removal_on=today - dt.timedelta(days=10),
    )
    plan.invoices.add(invoice)
    return plan


def _with(make: MakeInvoice, **invoice_fields: object) -> Invoice:
    invoice = make()
    Invoice.objects.filter(pk=invoice.pk).update(**invoice_fields)
    invoice.refresh_from_db()
    return invoice


def _flag_off(make: MakeInvoice, _integration: BranchIntegration) -> Invoice:
    CreditAnalysisSettings.objects.filter(pk=1).update(enabled=False)
    return make()


def _integration_off(make: MakeInvoice, integration: BranchIntegration) -> Invoice:
    BranchIntegration.objects.filter(pk=integration.pk).update(active=False)
    return make()


# An invoice breaking only the rule (and, for the branch-wide rules, the branch state that
# breaks it). The branch asks 30 days overdue and R$ 50,00 at least.
BREAKERS: dict[str, Breaker] = {
    "integration_disabled": _flag_off,
    "not_open": lambda make, _i: _with(make, status=InvoiceStatus.CANCELLED),
    "disputed": lambda make, _i: _with(make, disputed=True),
    "not_overdue_enough": lambda make, _i: make(days_overdue=29),
    "too_old": lambda make, _i: make(days_overdue=5 * 365),
    "below_minimum": lambda make, _i: make(amount="49.99"),
    "contract_cancelled": _cancelled_long_before,
    "invalid_document": lambda make, _i: make(document="11111111111"),
    "incomplete_address": lambda make, _i: make(district=""),
    "repayment_plan": lambda make, _i: in_plan(make()).invoices.get(),
    "already_negativated": _already_negativated,
    "branch_without_integration": _integration_off,
}


@pytest.fixture
def integration(branch: Branch, sandbox: RunningSandbox) -> BranchIntegration:
    enable_credit_analysis()
    BranchNegativationSettings.objects.create(
        branch=branch, days_after_due=30, min_amount=Decimal("50.00")
    )
    return connect_branch(branch, sandbox, "soawebservice")


def test_every_rule_has_a_breaking_case() -> None:
    assert list(BREAKERS) == [rule.code for rule in RULES]


def test_only_the_document_check_is_left_out_of_the_sql() -> None:
    unchecked = [r.code for r in RULES if isinstance(r, InvoiceRule) and r.condition is None]
    assert unchecked == ["invalid_document"]


@pytest.mark.parametrize("code", list(BREAKERS))
def test_rule_agrees_in_python_and_sql(
    code: str, integration: BranchIntegration, make_overdue_invoice: MakeInvoice
) -> None:
    # Given an invoice that breaks nothing (40 days overdue, R$ 129,90)...
    fine = make_overdue_invoice()
    # ...and one that breaks only `code`
    broken = BREAKERS[code](make_overdue_invoice, integration)
    rule = next(rule for rule in RULES if rule.code == code)

    context = eligibility_context(integration.branch)
    python = {
        invoice.pk: [r.code for r in reasons_in(invoice, context)] for invoice in (fine, broken)
    }
    sql = set(eligible_invoices(context).values_list("pk", flat=True))

    if isinstance(rule, BranchRule):  # the whole branch is blocked: every invoice, either way
        assert python == {fine.pk: [code], broken.pk: [code]}
        assert sql == set()
        assert [b.code for b in branch_blockers(context)] == [code]
    else:
        assert python == {fine.pk: [], broken.pk: [code]}
        # The document check alone is not in SQL (see its rule): the inclusion refuses it.
        assert sql == ({fine.pk} if rule.condition is not None else {fine.pk, broken.pk})
        assert branch_blockers(context) == []


def test_invoice_the_sql_lets_through_is_still_refused_at_inclusion(
    integration: BranchIntegration, make_overdue_invoice: MakeInvoice
) -> None:
    invalid = BREAKERS["invalid_document"](make_overdue_invoice, integration)

    with pytest.raises(NegativationRefused) as refused:
        negativation_include(invoice=invalid)

    assert (refused.value.code, [r.code for r in refused.value.reasons]) == (
        "not_eligible",
        ["invalid_document"],
    )
    assert Negativation.objects.count() == 0


def test_reasons_preloaded_for_a_page_equal_those_read_one_by_one(
    integration: BranchIntegration, make_overdue_invoice: MakeInvoice
) -> None:
    invoices = [BREAKERS[code](make_overdue_invoice, integration) for code in BREAKERS][1:-1]
    invoices.append(make_overdue_invoice())

    page = eligibility_context(integration.branch, invoices=invoices)

    assert [[r.code for r in reasons_in(i, page)] for i in invoices] == [
        [r.code for r in ineligibility_reasons(i)] for i in invoices
    ]


def test_messages_are_portuguese_with_the_branch_figures(
    integration: BranchIntegration, make_overdue_invoice: MakeInvoice
) -> None:
    invoice = make_overdue_invoice(days_overdue=5, amount="20.00", street="")
    BranchIntegration.objects.filter(pk=integration.pk).update(active=False)

    assert [(r.code, r.message) for r in ineligibility_reasons(invoice)] == [
        ("not_overdue_enough", "Vencida há 5 dia(s); a regra da filial exige 30."),
        ("below_minimum", "Valor abaixo do mínimo da filial (R$ 50,00)."),
        ("incomplete_address", "Endereço incompleto para a carta de comunicado: logradouro."),
        (
            "branch_without_integration",
            "A Filial São Paulo não tem integração ativa (Configurações > Integrações).",
        ),
    ]


def test_today_decides_overdue_days(
    integration: BranchIntegration, make_overdue_invoice: MakeInvoice
) -> None:
    invoice = make_overdue_invoice(days_overdue=29)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    assert [r.code for r in ineligibility_reasons(invoice)] == ["not_overdue_enough"]
    assert ineligibility_reasons(invoice, tomorrow) == []
    assert list(
        eligible_invoices(eligibility_context(integration.branch, tomorrow)).values_list(
            "pk", flat=True
        )
    ) == [invoice.pk]


def test_debt_of_a_plan_that_ended_is_eligible_again(
    integration: BranchIntegration, make_overdue_invoice: MakeInvoice
) -> None:
    invoice = make_overdue_invoice()
    in_plan(invoice, ends_in_days=-1)

    context = eligibility_context(invoice.contract.branch)
    assert reasons_in(invoice, context) == []
    assert list(eligible_invoices(context)) == [invoice]


def test_plan_reason_names_the_plan_and_its_end(
    integration: BranchIntegration, make_overdue_invoice: MakeInvoice
) -> None:
    invoice = make_overdue_invoice()
    plan = in_plan(invoice)

    (reason,) = ineligibility_reasons(invoice)
    assert (reason.code, reason.message) == (
        "repayment_plan",
        "A dívida está no plano de repactuação Judicial (homologado) 0001234-56.2026.8.17.0001 "
        f"(superendividamento, CDC art. 104-A), em vigor até {plan.ends_on:%d/%m/%Y}.",
    )
