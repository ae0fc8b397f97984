"""Reads of the integration settings."""

from django.db import models

from creditcheck.core.models import Branch
from creditcheck.integrations.models import BranchIntegration, CreditAnalysisSettings


def credit_settings() -> CreditAnalysisSettings:
    return CreditAnalysisSettings.load()


def integration_for_branch(branch: Branch, platform: str = "") -> BranchIntegration | None:
    """The integration queries of `branch` use: its active default, else its first active one;
    with `platform`, its active integration with that platform (None when it has none)."""
    integrations = BranchIntegration.objects.filter(branch=branch, active=True)
    if platform:
        integrations = integrations.filter(platform=platform)
    return integrations.order_by("-is_default", "id").first()


def query_integrations(branch: Branch) -> list[BranchIntegration]:
    """The platforms a query of `branch` may use, one integration each (the one
    `integration_for_branch` picks for it), the branch's default first."""
    chosen: dict[str, BranchIntegration] = {}
    active = BranchIntegration.objects.filter(branch=branch, active=True)
    for integration in active.order_by("-is_default", "id"):
        chosen.setdefault(integration.platform, integration)
    return list(chosen.values())


def integrations_for_branches(
    branches: models.QuerySet[Branch],
) -> models.QuerySet[BranchIntegration]:
    return BranchIntegration.objects.filter(branch__in=branches).select_related("branch")
