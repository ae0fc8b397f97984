"""API shapes of notices and of consents to electronic notice."""

from rest_framework import serializers

from creditcheck.contracts.models import Invoice
from creditcheck.core.serializers import ScopedRelatedField
from creditcheck.customers.models import Customer
from creditcheck.notices.enums import ELECTRONIC
from creditcheck.notices.models import Notice, NoticeConsent, NoticeEvent, RepaymentPlan


class NoticeConsentSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    customer = ScopedRelatedField(queryset=Customer.objects.all())
    channel = serializers.ChoiceField(choices=[(c.value, c.label) for c in ELECTRONIC])
    recorded_by = serializers.SlugRelatedField(  # type: ignore[var-annotated]
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = NoticeConsent
        fields = ["id", "customer", "channel", "given_on", "source", "revoked_on",
                  "recorded_by", "created_at"]  # fmt: skip
        read_only_fields = ["id", "revoked_on", "recorded_by", "created_at"]


class NoticeConsentRevokeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    revoked_on = serializers.DateField()


class NoticeEventSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = NoticeEvent
        fields = ["kind", "at", "detail", "raw"]


class NoticeSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    events = NoticeEventSerializer(many=True, read_only=True)

    class Meta:
        model = Notice
        fields = ["id", "customer", "invoice", "channel", "status", "destination", "subject",
                  "body", "contents", "sent_on", "delivered_on", "provider_id", "tracking_code",
                  "status_detail", "events"]  # fmt: skip
        read_only_fields = fields


class RepaymentPlanSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    customer = ScopedRelatedField(queryset=Customer.objects.all())
    invoices = ScopedRelatedField(
        queryset=Invoice.objects.select_related("contract"),
        branch_field="contract__branch",
        many=True,
    )
    recorded_by = serializers.SlugRelatedField(  # type: ignore[var-annotated]
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = RepaymentPlan
        fields = ["id", "customer", "kind", "reference", "starts_on", "ends_on", "removal_on",
                  "invoices", "recorded_by", "created_at"]  # fmt: skip
        read_only_fields = ["id", "recorded_by", "created_at"]
