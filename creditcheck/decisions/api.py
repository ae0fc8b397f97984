"""REST API of credit policies (`/api/v1/credit-policies/`): every write makes a new version."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from creditcheck.core.api import ModelPermissions
from creditcheck.core.http import client_ip
from creditcheck.core.openapi import error_responses
from creditcheck.decisions.models import CreditPolicy
from creditcheck.decisions.selectors import policies_for, policy_versions
from creditcheck.decisions.serializers import CreditPolicySerializer, PolicyVersionSerializer
from creditcheck.decisions.services import PolicyInput, PolicyInvalid, credit_policy_save


def _as_api_error(refusal: PolicyInvalid) -> ValidationError:
    """The refusal as DRF field errors: `{"validity_days": [...], "version": {"rules":
    [{}, {"score_max": ["..."]}]}}`, whose stable codes the exception handler adds."""
    version: dict[str, Any] = {
        name: serializers.as_serializer_error(DjangoValidationError(errors))["non_field_errors"]
        for name, errors in refusal.fields.items()
        if name != "branch"
    }
    if refusal.rules:
        count = max(refusal.rules) + 1
        version["rules"] = [
            serializers.as_serializer_error(DjangoValidationError(dict(refusal.rules[i])))
            if i in refusal.rules
            else {}
            for i in range(count)
        ]
    detail: dict[str, Any] = {}
    if version:
        detail["version"] = version
    if "branch" in refusal.fields:
        detail["branch"] = serializers.as_serializer_error(
            DjangoValidationError(refusal.fields["branch"])
        )["non_field_errors"]
    return ValidationError(detail)


def _input(data: dict[str, Any]) -> PolicyInput:
    version = data["current"]
    return PolicyInput(
        enabled=version["enabled"],
        validity_days=version["validity_days"],
        max_plan_value=version["max_plan_value"],
        comodato=version["comodato"],
        deposit=version["deposit"],
        rules=[dict(rule) for rule in version["rules"]],
    )


class CreditPolicyViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    """The company default and the branches' policies. Creating or editing one stores its next
    version, which is then in force (the decisions already taken keep theirs)."""

    serializer_class = CreditPolicySerializer
    permission_classes = [permissions.IsAuthenticated, ModelPermissions]
    queryset = CreditPolicy.objects.all()

    def get_queryset(self) -> Any:
        return policies_for(self.request.user)

    def _save(self, request: Request, policy: CreditPolicy | None) -> CreditPolicy:
        serializer = self.get_serializer(policy, data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            version = credit_policy_save(
                policy=policy,
                branch=serializer.validated_data.get("branch") if policy is None else None,
                data=_input(serializer.validated_data),
                user=request.user,
                ip_address=client_ip(request),
            )
        except PolicyInvalid as refusal:
            raise _as_api_error(refusal) from None
        return self.get_queryset().get(pk=version.policy_id)

    @extend_schema(responses={201: CreditPolicySerializer, **error_responses(400)})
    def create(self, request: Request) -> Response:
        policy = self._save(request, None)
        return Response(self.get_serializer(policy).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: CreditPolicySerializer, **error_responses(400, 404)})
    def update(self, request: Request, pk: str | None = None) -> Response:
        """Replace the version in force by a new one (`branch` cannot change)."""
        policy = self._save(request, self.get_object())
        return Response(self.get_serializer(policy).data)

    @extend_schema(responses=PolicyVersionSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)  # every version, one page
    def versions(self, request: Request, pk: str | None = None) -> Response:
        """Every version, newest first, with who made it and when."""
        versions = policy_versions(self.get_object())
        return Response(PolicyVersionSerializer(versions, many=True).data)
