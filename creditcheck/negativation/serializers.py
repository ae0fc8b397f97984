"""API shapes of negativações."""

from rest_framework import serializers

from creditcheck.contracts.models import Invoice
from creditcheck.core.serializers import ScopedRelatedField
from creditcheck.integrations.models import BranchIntegration
from creditcheck.negativation.enums import InclusionReason, RemovalReason
from creditcheck.negativation.models import Negativation, NegativationEvent


class NegativationEventSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = NegativationEvent
        fields = ["from_status", "to_status", "at", "user", "message"]


class NegativationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    # "" until a removal is asked for; a read-only model field would lose allow_blank.
    removal_reason = serializers.ChoiceField(
        choices=RemovalReason.choices, allow_blank=True, read_only=True
    )
    events = NegativationEventSerializer(many=True, read_only=True)

    class Meta:
        model = Negativation
        fields = [
            "id", "invoice", "customer", "branch", "platform", "status", "status_display",
            "document", "amount", "due_date", "reason", "reason_code", "platform_id",
            "automatic", "requested_by",
            "created_at", "sent_at", "visible_on", "active_at", "removal_reason",
            "removal_requested_at", "removal_deadline", "removed_at", "attempts", "error_code",
            "error_message", "notice", "notice_met_on", "events",
        ]  # fmt: skip
        read_only_fields = fields


class NegativationRequestSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """An inclusion request: the invoice, and optionally what the screen's form offers. Whether
    the amount and integration fit the invoice is the service's answer (400 invalid_request,
    with `errors` per field)."""

    invoice = ScopedRelatedField(
        queryset=Invoice.objects.select_related("contract__customer"),
        branch_field="contract__branch",
    )
    reason = serializers.ChoiceField(
        choices=InclusionReason.choices, required=False, help_text="Default: `overdue`."
    )
    reason_code = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=20,
        help_text="The platform's nature of the debt; omitted: the branch's default.",
    )
    integration = ScopedRelatedField(
        queryset=BranchIntegration.objects.all(),
        required=False,
        help_text="An active integration of the invoice's branch that includes; omitted: the "
        "branch's inclusion integration.",
    )
    amount = serializers.DecimalField(
        max_digits=10,
        decimal_places=2,
        required=False,
        help_text="Above zero, at most the invoice's open amount; omitted: the open amount.",
    )


class NegativationRemovalSerializer(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.ChoiceField(choices=RemovalReason.choices)
    platform_code = serializers.CharField(
        required=False, allow_blank=True, max_length=20, default=""
    )
