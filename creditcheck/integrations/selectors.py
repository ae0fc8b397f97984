"""Reads of the integration settings."""

from django.db import models

from creditcheck.core.models import Branch
from creditcheck.integrations.models import BranchIntegration, CreditAnalysisSettings


def credit_settings() -> CreditAnalysisSettings:
    return CreditAnalysisSettings.load()


def integration_for_branch(branch: Branch) -> BranchIntegration | None:
    """The integration queries of `branch` use: its active default, else its first active one."""
    return (
        BranchIntegration.objects.filter(branch=branch, active=True)
        .order_by("-is_default", "id")
        .first()
    )


def integrations_for_branches(
    branches: models.QuerySet[Branch],
) -> models.QuerySet[BranchIntegration]:
    return BranchIntegration.objects.filter(branch__in=branches).select_related("branch")
