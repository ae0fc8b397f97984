from collections.abc import Callable

import pytest
from django.contrib.auth.models import AnonymousUser, User

from creditcheck.contracts.models import Invoice
from creditcheck.core.enums import Role
from creditcheck.core.models import Branch
from creditcheck.core.selectors import branches_for, scope_to_user, user_can_access_branch
from creditcheck.customers.models import Customer
from tests.factories import CustomerFactory, InvoiceFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.ATTENDANT, Role.SELLER, Role.FINANCIAL])
def test_branches_for_staff_role_is_its_own_branches(
    make_user: Callable[..., User], branch: Branch, other_branch: Branch, role: Role
) -> None:
    user = make_user(role, [branch])

    assert list(branches_for(user)) == [branch]
    assert user_can_access_branch(user, branch) is True
    assert user_can_access_branch(user, other_branch) is False


def test_branches_for_administrator_is_every_branch(
    administrator: User, branch: Branch, other_branch: Branch
) -> None:
    assert set(branches_for(administrator)) == {branch, other_branch}


def test_branches_for_superuser_without_membership_is_every_branch(
    branch: Branch, other_branch: Branch
) -> None:
    superuser = UserFactory.create(is_superuser=True)

    assert set(branches_for(superuser)) == {branch, other_branch}


def test_branches_for_user_without_branch_is_empty(branch: Branch) -> None:
    user = UserFactory.create()

    assert list(branches_for(user)) == []


def test_branches_for_anonymous_and_inactive_users_is_empty(branch: Branch) -> None:
    inactive = UserFactory.create(is_active=False, is_superuser=True)

    assert list(branches_for(AnonymousUser())) == []
    assert list(branches_for(inactive)) == []


def test_scope_to_user_filters_direct_branch_field(
    attendant: User, branch: Branch, other_branch: Branch
) -> None:
    own = CustomerFactory.create(branch=branch)
    CustomerFactory.create(branch=other_branch)

    assert list(scope_to_user(Customer.objects.all(), attendant)) == [own]


def test_scope_to_user_follows_relation_paths(
    financial: User, branch: Branch, other_branch: Branch
) -> None:
    own = InvoiceFactory.create(contract__customer__branch=branch)
    InvoiceFactory.create(contract__customer__branch=other_branch)

    scoped = scope_to_user(Invoice.objects.all(), financial, "contract__branch")

    assert list(scoped) == [own]


def test_scope_to_user_with_two_branches_returns_each_row_once(
    make_user: Callable[..., User], branch: Branch, other_branch: Branch
) -> None:
    user = make_user(Role.SELLER, [branch, other_branch])
    CustomerFactory.create(branch=branch)
    CustomerFactory.create(branch=other_branch)

    assert scope_to_user(Customer.objects.all(), user).count() == 2
