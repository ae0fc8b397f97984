"""Writes of credit policies (every edit a new version, audited) and the decision taken on a
succeeded credit query (`credit_decision_make`, called where a query's outcome is stored:
analysis/services/outcome.py::store_outcome)."""

import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from creditcheck.analysis.identity import IdentityDivergence, identity_divergences
from creditcheck.analysis.models import CreditQuery
from creditcheck.core.audit import audit_record
from creditcheck.core.enums import AuditAction
from creditcheck.core.models import Branch
from creditcheck.decisions.enums import Outcome
from creditcheck.decisions.models import CreditDecision, CreditPolicy, CreditPolicyVersion
from creditcheck.decisions.reviews import review_open_for_policy
from creditcheck.decisions.rules import (
    Conditions,
    Evaluation,
    Missing,
    Rule,
    conditions_from_data,
    evaluate,
    needs_history,
    needs_identity,
    rule_from_data,
    rule_to_dict,
)
from creditcheck.decisions.selectors import own_history, policy_in_force

logger = logging.getLogger(__name__)

MAX_RULES = 50
VALIDITY_DAYS = (1, 365)


class PolicyInvalid(Exception):
    """A policy that was not saved: errors of its own fields and of its rules (by index,
    0-based), each a ValidationError with a stable code and a Portuguese message."""

    code = "invalid_policy"

    def __init__(
        self,
        fields: Mapping[str, list[ValidationError]] | None = None,
        rules: Mapping[int, Mapping[str, list[ValidationError]]] | None = None,
    ) -> None:
        self.fields = dict(fields or {})
        self.rules = dict(rules or {})
        self.message = _("A política não foi salva: corrija os campos indicados.")
        super().__init__(self.message)


@dataclass(frozen=True)
class PolicyInput:
    """What a policy edit sets (typed: a form's or a serializer's cleaned data)."""

    enabled: bool = True
    validity_days: Any = 30
    max_plan_value: Any = None
    comodato: bool = True
    deposit: Any = None
    rules: Sequence[Mapping[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class _Valid:
    enabled: bool
    validity_days: int
    conditions: Conditions
    rules: list[Rule]


def _errors_of(exc: ValidationError) -> dict[str, list[ValidationError]]:
    return {name: list(errors) for name, errors in exc.error_dict.items()}


def credit_policy_validate(data: PolicyInput) -> _Valid:
    """The policy's rules; raises PolicyInvalid with every error at once."""
    fields: dict[str, list[ValidationError]] = {}
    rule_errors: dict[int, dict[str, list[ValidationError]]] = {}
    days = data.validity_days
    low, high = VALIDITY_DAYS
    if isinstance(days, bool) or not isinstance(days, int) or not low <= days <= high:
        fields["validity_days"] = [
            ValidationError(
                _("Informe a validade da decisão em dias, de %(low)s a %(high)s.")
                % {"low": low, "high": high},
                code="out_of_range",
            )
        ]
    conditions = Conditions()
    try:
        conditions = conditions_from_data(
            {
                "max_plan_value": data.max_plan_value,
                "comodato": data.comodato,
                "deposit": data.deposit,
            }
        )
    except ValidationError as exc:
        fields.update(_errors_of(exc))
    if len(data.rules) > MAX_RULES:
        fields["rules"] = [
            ValidationError(
                _("Uma política tem no máximo %(n)s regras.") % {"n": MAX_RULES},
                code="too_many_rules",
            )
        ]
    rules = []
    for index, item in enumerate(data.rules[:MAX_RULES]):
        try:
            rules.append(rule_from_data(item))
        except ValidationError as exc:
            rule_errors[index] = _errors_of(exc)
    if fields or rule_errors:
        raise PolicyInvalid(fields, rule_errors)
    return _Valid(bool(data.enabled), int(days), conditions, rules)


def _version_state(version: CreditPolicyVersion | None) -> dict[str, Any]:
    """What the audit trail compares between two versions."""
    if version is None:
        return {}
    return {
        "enabled": version.enabled,
        "validity_days": version.validity_days,
        **version.base_conditions.to_dict(),
        "rules": version.rules,
    }


def _state(valid: _Valid) -> dict[str, Any]:
    return {
        "enabled": valid.enabled,
        "validity_days": valid.validity_days,
        **valid.conditions.to_dict(),
        "rules": [rule_to_dict(r) for r in valid.rules],
    }


def credit_policy_save(
    *,
    data: PolicyInput,
    user: Any,
    policy: CreditPolicy | None = None,
    branch: Branch | None = None,
    ip_address: str | None = None,
) -> CreditPolicyVersion:
    """Create the policy of `branch` (None: the company default) or edit `policy`: either
    makes its next version, which is then in force, audited with before and after.

    An edit that changes nothing makes no version (the current one is returned). Raises
    PolicyInvalid, saving nothing, for any invalid field or rule, or (`policy_exists`) when
    creating a policy for a scope that already has one.
    """
    valid = credit_policy_validate(data)
    with transaction.atomic():
        if policy is None:
            try:
                with transaction.atomic():
                    policy = CreditPolicy.objects.create(branch=branch)
            except IntegrityError:
                message = _("Esta filial já tem uma política de crédito: edite-a.")
                if branch is None:
                    message = _("A política padrão da empresa já existe: edite-a.")
                raise PolicyInvalid(
                    {"branch": [ValidationError(message, code="policy_exists")]}
                ) from None
        policy = (
            CreditPolicy.objects.select_for_update().select_related("current").get(pk=policy.pk)
        )
        before = _version_state(policy.current)
        after = _state(valid)
        if policy.current is not None and before == after:
            return policy.current
        number = (policy.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = CreditPolicyVersion.objects.create(
            policy=policy,
            number=number,
            enabled=valid.enabled,
            validity_days=valid.validity_days,
            max_plan_value=valid.conditions.max_plan_value,
            comodato=valid.conditions.comodato,
            deposit=valid.conditions.deposit,
            rules=after["rules"],
            created_by=user if getattr(user, "is_authenticated", False) else None,
        )
        policy.current = version
        policy.save(update_fields=["current"])
        audit_record(
            action=AuditAction.SETTINGS_CHANGE,
            user=user,
            ip_address=ip_address,
            branch=policy.branch,
            outcome=f"política de crédito v{number}",
            target=policy,
            details={
                "scope": policy.scope_name,
                "version": number,
                "before": before,
                "after": after,
            },
        )
    return version


# --- The decision of a query ------------------------------------------------------------------


def _identity(query: CreditQuery) -> list[IdentityDivergence] | None:
    """Where the bureau's identity disagrees with the record; None when the result has no
    identity at all (the rule lacks its data; a bare document has nothing to compare: [])."""
    if not isinstance(query.report, dict) or not query.report.get("identity"):
        return None
    return identity_divergences(query)


def _evaluation(query: CreditQuery, version: CreditPolicyVersion) -> Evaluation:
    rules = version.parsed_rules
    base = version.base_conditions
    try:
        history = own_history(query.document) if needs_history(rules) else None
        identity = _identity(query) if needs_identity(rules) else None
        return evaluate(rules, query.report, base=base, history=history, identity=identity)
    except Exception:  # a policy bug must not lose the (billed) result of the query
        logger.exception("credit query %s: the policy could not be evaluated", query.pk)
        lacking = Missing(0, "", "", _("erro interno ao avaliar a política"))
        return Evaluation(Outcome.INSUFFICIENT, (), (lacking,), base)


def credit_decision_make(query: CreditQuery) -> CreditDecision | None:
    """Decide a just succeeded query with the policy in force in its branch (inside the
    caller's transaction). None when the policy is off or there is none: nothing changes."""
    version = policy_in_force(query.branch_id)
    if version is None:
        return None
    evaluation = _evaluation(query, version)
    now = timezone.now()
    decision = CreditDecision.objects.create(
        query=query,
        version=version,
        outcome=evaluation.outcome,
        reasons=[f.to_dict() for f in evaluation.fired],
        missing=[m.to_dict() for m in evaluation.missing],
        conditions=evaluation.conditions.to_dict(),
        decided_at=now,
        expires_at=now + dt.timedelta(days=version.validity_days),
    )
    if decision.outcome == Outcome.REVIEW:
        review_open_for_policy(decision)
    return decision
