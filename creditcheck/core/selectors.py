"""Branch scoping: the one place that decides which branches (filiais) a user may see.

Every list and detail, screens and API alike, filters through `scope_to_user`.
Superusers and members of the Administrador group see every branch.
"""

from typing import Any, TypeVar

from django.db import models

from creditcheck.core.enums import Role
from creditcheck.core.models import Branch

ModelT = TypeVar("ModelT", bound=models.Model)


def user_sees_all_branches(user: Any) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    # Cached on the user object, which lives for one request: several checks ask per request.
    cached = getattr(user, "_sees_all_branches", None)
    if cached is None:
        cached = bool(user.groups.filter(name=Role.ADMINISTRATOR).exists())
        user._sees_all_branches = cached
    return bool(cached)


def branches_for(user: Any) -> models.QuerySet[Branch]:
    """The branches whose data the user may see and act on."""
    if not user.is_authenticated or not user.is_active:
        return Branch.objects.none()
    if user_sees_all_branches(user):
        return Branch.objects.all()
    return Branch.objects.filter(members=user)


def scope_to_user(
    queryset: models.QuerySet[ModelT], user: Any, branch_field: str = "branch"
) -> models.QuerySet[ModelT]:
    """Restrict `queryset` to rows whose `branch_field` (a path to a Branch) the user may see.

    `branch_field` follows relations, e.g. "contract__branch" for invoices.
    """
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user_sees_all_branches(user):
        return queryset
    member_branch_ids = Branch.objects.filter(members=user).values("pk")
    return queryset.filter(**{f"{branch_field}__in": member_branch_ids})


def filter_given(queryset: models.QuerySet[ModelT], **lookups: Any) -> models.QuerySet[ModelT]:
    """`queryset` filtered by each of `lookups` whose value was given: a filter left blank
    (None, "", False) does not narrow the list."""
    return queryset.filter(**{lookup: value for lookup, value in lookups.items() if value})


def in_period(
    queryset: models.QuerySet[ModelT], field: str, start: Any, end: Any
) -> models.QuerySet[ModelT]:
    """`queryset` narrowed to rows whose datetime `field` falls on the days from `start` to
    `end` (dates; either left blank leaves that side open)."""
    return filter_given(queryset, **{f"{field}__date__gte": start, f"{field}__date__lte": end})


def given_fields(filters: Any, *names: str) -> dict[str, Any]:
    """The named fields of a filters dataclass, as the lookups of the same name."""
    return {name: getattr(filters, name) for name in names}


def user_can_access_branch(user: Any, branch: Branch) -> bool:
    return branches_for(user).filter(pk=branch.pk).exists()


def home_branch_id(user: Any) -> int | None:
    """The user's own filial: the first branch they were made a member of (where they work
    first), whatever they see; None for a user of no branch (an administrator may be)."""
    if not user.is_authenticated:
        return None
    membership = Branch.members.through.objects.filter(user_id=user.pk).order_by("pk").first()
    return membership.branch_id if membership is not None else None
