"""Template tags of the page frame (navbar)."""

from typing import Any

from django import template
from django.db.models import QuerySet

from creditcheck.core.models import Branch
from creditcheck.core.selectors import branches_for, user_sees_all_branches

register = template.Library()


@register.simple_tag
def user_branches(user: Any) -> QuerySet[Branch] | None:
    """The filiais listed under the user's name; None for those who see every branch."""
    if user_sees_all_branches(user):
        return None
    return branches_for(user)
