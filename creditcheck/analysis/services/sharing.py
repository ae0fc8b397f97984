"""Queries of a branch whose user cannot open the query of the same CPF/CNPJ of another branch:
they make no platform call and take that query's outcome (status WAITING until then)."""

import logging
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from creditcheck.analysis.enums import IN_FLIGHT, Billed, QueryStatus
from creditcheck.analysis.models import CreditQuery
from creditcheck.analysis.services.outcome import (
    OUTCOME_FIELDS,
    REPORT_FIELDS,
    RESULT_FIELDS,
    attach_provider_document,
    audit_query,
    store_outcome,
)

logger = logging.getLogger(__name__)


def share_into_branch(source_id: int, base: dict[str, Any], note: str) -> CreditQuery:
    """A query of the user's own branch that receives the outcome of `source_id`, a query of the
    same document in a branch the user cannot open: no second platform call, and the user sees
    the result in a query they can open. `note` is its first audit entry.

    The source's row lock orders this with the source's outcome: while the source is in flight,
    storing its outcome hands it over to this query (after this commit); once it has finished, the
    outcome is handed over here.
    """
    with transaction.atomic():
        source = CreditQuery.objects.select_for_update().get(pk=source_id)
        query = CreditQuery.objects.create(**base, status=QueryStatus.WAITING, shared_from=source)
        audit_query(query, note)
        if source.status not in IN_FLIGHT:
            share_outcome(source, query)
    logger.info("credit query %s takes the outcome of query %s", query.pk, source.pk)
    return query


def hand_over_outcome(source: CreditQuery) -> None:
    """Finish the queries waiting for the just finished `source` (inside its transaction)."""
    if source.shared_from_id is not None:  # a shared outcome is not shared on
        return
    # Nearly always none: a bare id probe keeps that case to one cheap statement.
    waiting = CreditQuery.objects.filter(shared_from=source, status=QueryStatus.WAITING)
    waiting_ids = list(waiting.values_list("pk", flat=True))
    if waiting_ids:
        for copy in locked_waiting().filter(pk__in=waiting_ids):
            share_outcome(source, copy)


def locked_waiting() -> QuerySet[CreditQuery]:
    """Waiting queries, each row locked, with what finishing one (usage, audit) reads.

    Only their own rows: PostgreSQL can't lock the nullable side of the integration's join.
    """
    return (
        CreditQuery.objects.select_for_update(of=("self",))
        .filter(status=QueryStatus.WAITING)
        .select_related("integration", "user", "branch")
    )


def share_outcome(source: CreditQuery, query: CreditQuery) -> None:
    """Finish the waiting `query` with the outcome of `source`: the same result, or a failure of
    its own. Never billed: it made no platform call. Inside the caller's transaction."""
    query.billed = Billed.NO
    query.cost = Decimal("0.00")
    if source.status == QueryStatus.SUCCEEDED:
        status = QueryStatus.SUCCEEDED
        for name in REPORT_FIELDS:
            setattr(query, name, getattr(source, name))
        query.subject_name = query.subject_name or source.subject_name
        if source.provider_file:
            # A file of its own: each query's file lives and is purged with its own row.
            try:
                with source.provider_file.open("rb") as stored:
                    content = stored.read()
            except OSError:  # purged meanwhile: the result is shared without the platform's PDF
                logger.warning("query %s: the platform report of %s is gone", query.pk, source.pk)
            else:
                attach_provider_document(query, content, "application/pdf")
        fields = [*RESULT_FIELDS, "subject_name", "provider_file", "provider_file_type"]
        outcome = f"concluída com o resultado da consulta #{source.pk}"
    else:
        status = QueryStatus.FAILED
        query.error_code = "shared_query_failed"
        query.error_message = _(
            "A consulta deste CPF/CNPJ em andamento em outra filial (#%(source)s), cujo "
            "resultado esta aguardava, não teve resultado (%(code)s). Nada foi cobrado por esta "
            "consulta; consulte de novo se ainda precisar."
        ) % {"source": source.pk, "code": source.error_code or source.get_status_display()}
        fields = [*OUTCOME_FIELDS, "error_code", "error_message"]
        outcome = f"falhou: consulta #{source.pk} sem resultado"
    store_outcome(query, status, fields, outcome, shared_from=source.pk)
