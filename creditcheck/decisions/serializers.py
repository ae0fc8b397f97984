"""API shapes of credit policies and decisions."""

from typing import Any

from rest_framework import serializers

from creditcheck.core.serializers import UserBranchField
from creditcheck.decisions.enums import DECISION_STATES, Outcome, RuleAction, RuleKind
from creditcheck.decisions.models import CreditDecision
from creditcheck.decisions.presenters import decision_sentence
from creditcheck.decisions.rules import CONDITION_FIELDS, PARAMETERS


class ConditionsSerializer(serializers.Serializer[Any]):
    max_plan_value = serializers.DecimalField(
        max_digits=11, decimal_places=2, allow_null=True, help_text="null: any plan"
    )
    comodato = serializers.BooleanField(help_text="Equipment on loan allowed")
    deposit = serializers.DecimalField(
        max_digits=11, decimal_places=2, allow_null=True, help_text="Caução; null: none"
    )


class DecisionSerializer(serializers.Serializer[Any]):
    """A query's credit decision (read-only)."""

    outcome = serializers.ChoiceField(Outcome.choices, help_text="The policy's (automated)")
    final = serializers.ChoiceField(
        Outcome.choices, help_text="The decision in force: the reviewer's, else `outcome`"
    )
    state = serializers.ChoiceField(
        DECISION_STATES, help_text="`final`, or `expirada` after `expires_at`."
    )
    reviewed_by = serializers.CharField(
        source="final_by.get_username", default=None, allow_null=True
    )
    reviewed_at = serializers.DateTimeField(source="final_at", allow_null=True)
    review_reason = serializers.CharField(source="final_reason")
    summary = serializers.SerializerMethodField(help_text="In plain Portuguese")
    reasons = serializers.ListField(
        child=serializers.DictField(),
        help_text="Every rule that fired: position, kind, action, reason, fact, values",
    )
    missing = serializers.ListField(
        child=serializers.DictField(),
        help_text="Every rule the result lacked data for: position, kind, reason, lacking",
    )
    conditions = ConditionsSerializer(source="granted")
    policy = serializers.IntegerField(source="version.policy_id")
    policy_version = serializers.IntegerField(source="version.number")
    decided_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()

    def get_summary(self, decision: CreditDecision) -> str:
        return decision_sentence(decision)


# --- Policies ---------------------------------------------------------------------------------


class RuleSerializer(serializers.Serializer[Any]):
    """One rule. Only its shape is checked here; what it means (scale, ranges, known kinds,
    a reason) is the policy service's, with stable codes."""

    kind = serializers.CharField(max_length=40, help_text=f"One of {', '.join(RuleKind.values)}")
    action = serializers.CharField(
        max_length=20, help_text=f"One of {', '.join(RuleAction.values)}"
    )
    reason = serializers.CharField(
        max_length=1000, allow_blank=True, help_text="Portuguese reason the decision shows"
    )
    score = serializers.IntegerField(required=False, allow_null=True)
    score_min = serializers.IntegerField(required=False, allow_null=True)
    score_max = serializers.IntegerField(required=False, allow_null=True)
    kinds = serializers.ListField(
        child=serializers.CharField(max_length=20), required=False, max_length=20
    )
    amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True
    )
    count = serializers.IntegerField(required=False, allow_null=True)
    max_plan_value = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True
    )
    no_comodato = serializers.BooleanField(required=False, default=False)
    deposit = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True
    )

    def to_representation(self, instance: Any) -> dict[str, Any]:
        """A stored rule with only the parameters its kind and action use."""
        kind = instance.get("kind", "")
        used = {"kind", "action", "reason", *PARAMETERS.get(kind, ())}
        if instance.get("action") == RuleAction.CONDITION:
            used.update(CONDITION_FIELDS)
        return {name: value for name, value in instance.items() if name in used}


class PolicyVersionSerializer(serializers.Serializer[Any]):
    number = serializers.IntegerField(read_only=True)
    enabled = serializers.BooleanField(default=True)
    validity_days = serializers.IntegerField(default=30, help_text="Days a decision is valid")
    max_plan_value = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True, default=None
    )
    comodato = serializers.BooleanField(default=True)
    deposit = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True, default=None
    )
    rules = serializers.ListField(child=RuleSerializer(), max_length=200)
    created_by = serializers.CharField(
        source="created_by.get_username", read_only=True, default=None, allow_null=True
    )
    created_at = serializers.DateTimeField(read_only=True)


class CreditPolicySerializer(serializers.Serializer[Any]):
    """A policy and its version in force. Writing one makes its next version."""

    id = serializers.IntegerField(read_only=True)
    branch = UserBranchField(
        allow_null=True,
        required=False,
        default=None,
        help_text="null: the company default, followed by every branch without its own",
    )
    version = PolicyVersionSerializer(source="current")
