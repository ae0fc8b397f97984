"""The permissions backend gives exactly Django's ModelBackend answers, in one query."""

from collections.abc import Callable

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission, User
from pytest_django import DjangoAssertNumQueries

from creditcheck.core.auth import PermissionsInOneQueryBackend
from creditcheck.core.enums import Role


def _fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)  # no permission cache carried over


@pytest.mark.parametrize("role", list(Role))
def test_same_permissions_as_django_for_every_role_plus_a_personal_one(
    make_user: Callable[..., User], role: Role
) -> None:
    user = make_user(role)
    personal = Permission.objects.get(codename="override_requery_interval")
    user.user_permissions.add(personal)

    ours = PermissionsInOneQueryBackend().get_all_permissions(_fresh(user))

    assert ours == ModelBackend().get_all_permissions(_fresh(user))
    assert "analysis.override_requery_interval" in ours
    assert ours - {"analysis.override_requery_interval"}, "the role's group permissions count too"


def test_one_query_then_cached_on_the_user(
    make_user: Callable[..., User], django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    user = _fresh(make_user(Role.ATTENDANT))
    backend = PermissionsInOneQueryBackend()
    with django_assert_num_queries(1):
        assert backend.has_perm(user, "analysis.request_creditquery")
        assert not backend.has_perm(user, "analysis.override_requery_interval")


def test_inactive_users_have_no_permissions_and_superusers_all(
    make_user: Callable[..., User],
) -> None:
    inactive = make_user(Role.ADMINISTRATOR, is_active=False)
    superuser = make_user(Role.ATTENDANT, is_superuser=True)
    backend = PermissionsInOneQueryBackend()

    assert backend.get_all_permissions(_fresh(inactive)) == set()
    assert len(backend.get_all_permissions(_fresh(superuser))) == Permission.objects.count()


def test_a_group_without_the_user_grants_nothing(make_user: Callable[..., User]) -> None:
    user = make_user(Role.ATTENDANT)
    stranger_group = Group.objects.create(name="Outro grupo")
    stranger_group.permissions.add(Permission.objects.get(codename="override_requery_interval"))

    assert not PermissionsInOneQueryBackend().has_perm(
        _fresh(user), "analysis.override_requery_interval"
    )
