"""Reads of the audit trail for its screen and CSV: scoped to the user's branches, filtered."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from creditcheck.core import documents
from creditcheck.core.models import AuditEntry
from creditcheck.core.selectors import filter_given, given_fields, in_period, scope_to_user


def audit_entries_for(user: Any) -> QuerySet[AuditEntry]:
    """Entries the user may read, newest first. Branch users see their branches' entries only;
    entries without a branch (settings changes, exports) are for those who see every branch."""
    return scope_to_user(AuditEntry.objects.all(), user).select_related("branch").order_by("-seq")


@dataclass(frozen=True)
class AuditFilters:
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    action: str = ""
    user_id: int | None = None
    branch_id: int | None = None
    document: str = ""
    outcome: str = ""  # contains, case-insensitive


def filter_audit_entries(
    queryset: QuerySet[AuditEntry], filters: AuditFilters
) -> QuerySet[AuditEntry]:
    queryset = in_period(queryset, "at", filters.date_from, filters.date_to)
    equal = given_fields(filters, "action", "user_id", "branch_id")
    queryset = filter_given(queryset, outcome__icontains=filters.outcome, **equal)
    if filters.document:
        queryset = queryset.filter(document=documents.normalize(filters.document))
    return queryset
