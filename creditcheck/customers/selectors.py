"""Reads of customers for screens."""

from __future__ import annotations

from creditcheck.core.models import Branch
from creditcheck.customers.models import Customer


def other_branches_with_document(document: str, branch: Branch) -> int:
    """How many other branches have a customer with `document`: the screens' notice after a
    save (the branches are not named: the user may work in none of them)."""
    return (
        Customer.objects.filter(document=document)
        .exclude(branch=branch)
        .values("branch")
        .distinct()
        .count()
    )
