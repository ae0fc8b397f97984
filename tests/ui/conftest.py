"""Fixtures of the server-rendered screens' tests (users and roles come from tests/conftest.py)."""

import pytest

from creditcheck.core.models import Branch
from creditcheck.customers.models import Customer
from tests.factories import CustomerFactory


@pytest.fixture
def customer(branch: Branch) -> Customer:
    return CustomerFactory.create(
        name="Maria das Graças Silva", document="52998224725", branch=branch
    )


@pytest.fixture
def other_customer(other_branch: Branch) -> Customer:
    return CustomerFactory.create(
        name="João Pereira Lima", document="11144477735", branch=other_branch
    )
