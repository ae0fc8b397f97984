"""API shapes of the integration settings. Credentials are write-only, never returned."""

from decimal import Decimal
from typing import Any

from rest_framework import serializers

from creditcheck.core.serializers import UserBranchField
from creditcheck.integrations.enums import Environment
from creditcheck.integrations.models import BranchIntegration, CreditAnalysisSettings
from providers import registry


class PlatformField(serializers.ChoiceField):
    """A platform key. The choices are read from the registry each time a serializer is built
    (DRF copies declared fields per serializer), so a registered platform is accepted at once."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=registry.choices(), **kwargs)


class CreditAnalysisSettingsSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """The global flags' shape; credit_settings_update holds their rules."""

    class Meta:
        model = CreditAnalysisSettings
        fields = ["enabled", "requery_interval_days", "updated_at"]
        read_only_fields = ["updated_at"]


class BranchIntegrationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    branch = UserBranchField()
    platform = PlatformField()
    environment = serializers.ChoiceField(choices=Environment.choices)
    base_url = serializers.URLField(required=False, allow_blank=True, max_length=300)
    cost_per_query = serializers.DecimalField(
        max_digits=8, decimal_places=2, min_value=Decimal("0.00"), required=False
    )
    credentials = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=300),
        write_only=True,
        required=False,
    )
    has_credentials = serializers.SerializerMethodField()

    class Meta:
        model = BranchIntegration
        fields = [
            "id", "branch", "platform", "environment", "base_url", "product", "products",
            "products_synced_at", "cost_per_query", "is_default", "active", "credentials",
            "has_credentials", "last_test_at", "last_test_ok", "last_test_message",
        ]  # fmt: skip
        read_only_fields = [
            "products", "products_synced_at", "last_test_at", "last_test_ok", "last_test_message",
        ]  # fmt: skip
        # Not the validator DRF derives from the one-default-per-branch constraint: it refuses
        # `is_default: true` while another integration is the default, before the service that
        # moves the default (branch_integration_save) can run.
        validators: list[Any] = []

    def get_has_credentials(self, integration: BranchIntegration) -> bool:
        return bool(integration.credentials_encrypted)
