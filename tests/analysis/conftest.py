"""Fixtures of the credit-query tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User

from creditcheck.analysis.models import CreditQuery
from creditcheck.core.enums import Role
from creditcheck.core.models import Branch
from providers.sandbox.server import RunningSandbox
from tests.credit_setup import (
    connect_branch,
    integration_on,
    query_with_uncertain_billing,
)


@pytest.fixture
def uncertain_query(attendant: User, branch: Branch, sandbox: RunningSandbox) -> CreditQuery:
    """The attendant's query of the branch (ConnectSA, R$ 12,50 per query) that the platform
    answered with a 500: failed, its billing unknown. For transactional tests."""
    integration_on(branch, sandbox, "connectsa", cost="12.50")
    return query_with_uncertain_billing(attendant, branch, sandbox)


@pytest.fixture
def other_branch_attendant(
    make_user: Callable[..., User], branch: Branch, other_branch: Branch, sandbox: RunningSandbox
) -> User:
    """An attendant of the other branch; both branches query SPC Brasil, with a re-query
    interval of 30 days."""
    integration_on(branch, sandbox, interval_days=30)
    connect_branch(other_branch, sandbox)
    return make_user(Role.ATTENDANT, [other_branch], username="beatriz", first_name="Beatriz")
