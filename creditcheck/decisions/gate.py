"""The gate on contract activation: where a credit policy is in force, a contract becomes active
only for a customer whose decision in force is `aprovado` (automated or by a reviewer), inside
its expiry and within the conditions it granted, unless a user with the permission overrides
it with a reason (audited). Where the policy is off, nothing changes.
"""

from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from creditcheck.core.audit import audit_record
from creditcheck.core.enums import AuditAction
from creditcheck.core.formatting import money
from creditcheck.core.models import Branch
from creditcheck.customers.models import Customer
from creditcheck.decisions.enums import Outcome
from creditcheck.decisions.models import CreditDecision
from creditcheck.decisions.selectors import policy_in_force

OVERRIDE_PERMISSION = "decisions.override_credit_gate"


class ActivationRefused(Exception):
    """A contract activation the gate refuses: a stable code and a Portuguese message."""

    def __init__(self, code: str, message: str, decision: CreditDecision | None = None) -> None:
        self.code = code
        self.message = message
        self.decision = decision
        super().__init__(message)


def latest_decision(customer: Customer) -> CreditDecision | None:
    """The newest decision of a query of the customer (or of its CPF/CNPJ)."""
    return (
        CreditDecision.objects.filter(
            Q(query__customer=customer) | Q(query__document=customer.document)
        )
        .select_related("query")
        .order_by("-decided_at", "-pk")
        .first()
    )


def activation_refusal(
    *, customer: Customer, branch: Branch, monthly_amount: Decimal
) -> ActivationRefused | None:
    """Why the gate refuses activating a contract of `monthly_amount` for `customer` in
    `branch` (None: it may be activated, or no policy is in force in the branch)."""
    if policy_in_force(branch.pk) is None:
        return None
    decision = latest_decision(customer)
    if decision is None:
        return ActivationRefused(
            "no_credit_decision",
            _("O cliente não tem decisão de crédito: faça a análise de crédito antes de ativar."),
        )
    final = decision.final
    messages = {
        Outcome.DENIED: ("credit_denied", _("A análise de crédito do cliente foi negada.")),
        Outcome.REVIEW: (
            "credit_in_review",
            _("A análise de crédito do cliente aguarda revisão manual."),
        ),
        Outcome.INSUFFICIENT: (
            "credit_insufficient_data",
            _("A análise de crédito não trouxe dados suficientes para decidir."),
        ),
    }
    if final in messages:
        code, message = messages[Outcome(final)]
        return ActivationRefused(code, message, decision)
    if decision.expired:
        expired_at = date_format(decision.expires_at, "d/m/Y")
        return ActivationRefused(
            "credit_decision_expired",
            _("A decisão de crédito do cliente expirou em %(date)s: consulte de novo.")
            % {"date": expired_at},
            decision,
        )
    limit = decision.granted.max_plan_value
    if limit is not None and monthly_amount > limit:
        return ActivationRefused(
            "plan_above_credit_limit",
            _("O plano de %(amount)s passa do aprovado para o cliente: planos até %(limit)s.")
            % {"amount": money(monthly_amount), "limit": money(limit)},
            decision,
        )
    return None


def activation_gate(
    *,
    customer: Customer,
    branch: Branch,
    monthly_amount: Decimal,
    user: Any,
    override_reason: str = "",
    ip_address: str | None = None,
    contract: Any = None,
) -> None:
    """Raise ActivationRefused unless the contract may be activated. A refusal is passed over
    when `user` holds the override permission and gives a reason: audited with both."""
    refusal = activation_refusal(customer=customer, branch=branch, monthly_amount=monthly_amount)
    if refusal is None:
        return
    reason = (override_reason or "").strip()
    if not reason:
        raise refusal
    if not user.has_perm(OVERRIDE_PERMISSION):
        raise ActivationRefused(
            "override_forbidden",
            _("Você não tem permissão para ativar contrato sem decisão de crédito aprovada."),
            refusal.decision,
        )
    audit_record(
        action=AuditAction.CREDIT_DECISION,
        user=user,
        ip_address=ip_address,
        branch=branch,
        document=customer.document,
        outcome="ativação de contrato liberada sem decisão aprovada",
        target=contract if contract is not None and contract.pk else customer,
        details={
            "refusal": refusal.code,
            "reason": reason,
            "decision": refusal.decision.pk if refusal.decision else None,
            "monthly_amount": str(monthly_amount),
        },
    )
