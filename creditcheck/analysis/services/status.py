"""The one setter of a credit query's status (the transitions table is enums.TRANSITIONS)."""

from collections.abc import Sequence

from django.db.models import Field

from creditcheck.analysis.enums import TRANSITIONS, QueryStatus
from creditcheck.analysis.models import CreditQuery
from creditcheck.core import events


class InvalidQueryTransition(Exception):
    """A change of status the transitions table does not allow from the query's status."""


def credit_query_set_status(
    *, query: CreditQuery, status: QueryStatus, update_fields: Sequence[str] = ()
) -> bool:
    """Move `query` from its status to `status`, saving `update_fields` with it.

    One conditional UPDATE of the status and those fields only (as save(update_fields=...)
    would), applied only while the row still has the status `query` was read with: a second
    run of the same step (a redelivered task, the maintenance job meeting a late answer) finds
    it moved and writes nothing. Returns whether this call moved it; `query.status` is
    `status` only then, and the change is announced to the screens once it commits. Raises
    InvalidQueryTransition when TRANSITIONS does not allow the move.
    The audit entry of a finished query is written with its outcome (outcome.store_outcome);
    claiming a pending query for its run is not audited.
    """
    current = query.status
    if status not in TRANSITIONS[current]:
        raise InvalidQueryTransition(f"credit query {query.pk}: {current} -> {status}")
    # pre_save is what save() stores for each field (a file field commits its file first).
    values = {name: _field(name).pre_save(query, False) for name in update_fields}
    moved = CreditQuery.objects.filter(pk=query.pk, status=current).update(status=status, **values)
    if moved:  # after the UPDATE: one the database refused leaves the query as it was
        query.status = status
        # The screens waiting on it (result, "Aguardando outra filial") hear it after commit.
        events.publish_on_commit(query_topic(query.pk), status)
    return bool(moved)


def query_topic(pk: int) -> str:
    """Where the status changes of query `pk` are announced (creditcheck/core/events.py)."""
    return events.topic("query", pk)


def _field(name: str) -> Field:  # type: ignore[type-arg]
    field = CreditQuery._meta.get_field(name)
    assert isinstance(field, Field), name
    return field
