"""The platform call of a pending credit query and its outcome."""

import datetime as dt
import logging
from typing import Any

from django.db import DataError, IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from creditcheck.analysis.enums import Billed, QueryStatus
from creditcheck.analysis.models import CreditQuery
from creditcheck.analysis.services.outcome import (
    OUTCOME_FIELDS,
    RESULT_FIELDS,
    attach_provider_document,
    cost_for,
    store_outcome,
)
from creditcheck.analysis.services.sharing import hand_over_outcome
from creditcheck.analysis.services.status import credit_query_set_status
from creditcheck.analysis.subjects import subject_of
from creditcheck.integrations.services import adapter_for
from providers.base import ConsultRequest, CreditReport, PersonType, ProviderError
from providers.codec import report_to_dict

logger = logging.getLogger(__name__)

# A query still "running" this long after it started was cut short (worker crash, lost database
# connection): it is closed as failed with billing unknown, never sent again. Longer than any live
# run can take (a consult's calls with PROVIDER_CONNECT/READ_TIMEOUT of 5 s + 30 s each), so a
# slow but live call is never closed; the maintenance job closes it at most a minute past this.
STALE_RUNNING_AFTER = dt.timedelta(minutes=3)


class UnstorableResult(Exception):
    """A platform answer whose figures do not fit the stored query's columns."""


def credit_query_run(*, query_id: int) -> None:
    """Make the platform call of a pending query and store its outcome.

    Safe to run twice for the same query (duplicate task delivery): only the run that moves it
    from pending to running calls the platform. Provider errors end in a failed query with the
    Portuguese message and the platform's code; nothing is retried automatically.
    """
    # The consulted record comes along for the request, the user and branch for the audit entry.
    query = (
        CreditQuery.objects.select_related(
            "integration", "customer", "lead", "prospect", "user", "branch"
        )
        .filter(pk=query_id)
        .first()
    )
    if query is None:
        return
    if query.status != QueryStatus.PENDING:
        close_if_stale(query_id)
        return
    query.started_at = timezone.now()
    if not credit_query_set_status(
        query=query, status=QueryStatus.RUNNING, update_fields=["started_at"]
    ):
        return  # claimed meanwhile by a duplicate of this task
    # No other query of this document can have finished since this one was stored: the
    # one_inflight_query_per_document constraint kept every other query of it out meanwhile.

    integration = query.integration
    if integration is None:
        fail_query(
            query,
            code="integration_removed",
            message=_("A integração da filial foi removida antes da consulta."),
            billed=Billed.NO,
        )
        return
    # Birth date, UF and CEP of whichever record was consulted: some products want them.
    subject = subject_of(query)
    request = ConsultRequest(
        document=query.document,
        person_type=PersonType(query.person_type),
        product=query.product,
        birth_date=subject.birth_date,
        state=subject.state,
        cep=subject.cep,
    )
    try:
        report = adapter_for(integration).consult(request)
    except ProviderError as exc:
        fail_query(
            query,
            code=exc.code or type(exc).__name__,
            message=exc.user_message,
            billed=Billed(exc.billed.value),
        )
        return
    except Exception:  # a bug must not leave the query running forever nor become a 500
        logger.exception("credit query %s crashed", query.pk)
        fail_query(
            query,
            code="internal_error",
            message=_("Erro interno ao processar a consulta. A equipe técnica foi avisada."),
            billed=Billed.UNKNOWN,
        )
        return
    try:
        _succeed(query, report)
    # An answer the database refuses to store (figures beyond the columns, text it rejects):
    # the call was billed all the same. A lost connection is not caught: maintenance closes it.
    except (UnstorableResult, DataError, IntegrityError):
        logger.exception("credit query %s: the platform's answer could not be stored", query.pk)
        fail_query(
            query,
            code="unstorable_result",
            message=_(
                "A plataforma respondeu, mas o resultado não pôde ser guardado (valores fora "
                "do esperado). A equipe técnica foi avisada; a consulta pode ter sido cobrada."
            ),
            billed=Billed(report.billed.value),
        )


def _finish(
    query: CreditQuery, status: QueryStatus, fields: list[str], outcome: str, **details: Any
) -> None:
    """Store the outcome of the query's own platform call and hand it over to the queries of
    other branches waiting for it: all of it or none."""
    with transaction.atomic():
        if store_outcome(query, status, fields, outcome, **details):
            hand_over_outcome(query)


def _succeed(query: CreditQuery, report: CreditReport) -> None:
    query.report = report_to_dict(report)
    query.raw_payload = report.raw
    query.protocol = report.protocol[:80]
    query.has_restrictions = report.has_restrictions
    query.score = report.score.value if report.score else None
    query.restriction_count = sum(t.count for t in report.totals)
    query.restriction_amount = report.total_amount
    if not _fits_the_columns(query):
        raise UnstorableResult(f"totals too large to store: {query.restriction_amount}")
    query.billed = Billed(report.billed.value)
    query.cost = cost_for(query, query.billed)
    if report.identity.name and not query.subject_name:
        query.subject_name = report.identity.name[:200]
    if report.has_restrictions and report.document is not None:
        attach_provider_document(query, report.document.content, report.document.media_type)
    _finish(
        query,
        QueryStatus.SUCCEEDED,
        [*RESULT_FIELDS, "subject_name", "provider_file", "provider_file_type"],
        "concluída",
        billed=query.billed,
        cost=str(query.cost),
        has_restrictions=query.has_restrictions,
    )


def _fits_the_columns(query: CreditQuery) -> bool:
    """Whether the totals fit their columns (SQLite would store, then fail to read, a larger
    amount; PostgreSQL would refuse it)."""
    amount = CreditQuery._meta.get_field("restriction_amount")
    whole_digits = amount.max_digits - amount.decimal_places  # type: ignore[attr-defined]
    counts = (query.restriction_count, query.score or 0)
    return abs(query.restriction_amount) < 10**whole_digits and all(0 <= n < 2**31 for n in counts)


def fail_query(query: CreditQuery, *, code: str, message: str, billed: Billed) -> None:
    """End the query (pending or running) as failed with the platform's code and message."""
    query.error_code = code[:60]
    query.error_message = message
    query.billed = billed
    query.cost = cost_for(query, billed)
    _finish(
        query,
        QueryStatus.FAILED,
        [*OUTCOME_FIELDS, "error_code", "error_message"],
        f"falhou: {query.error_code}",
        billed=billed,
        cost=str(query.cost),
    )
    logger.warning("credit query %s failed: %s (billed=%s)", query.pk, code, billed)


def close_if_stale(query_id: int, *, now: dt.datetime | None = None) -> bool:
    """Close the query if it is still running past STALE_RUNNING_AFTER; True when it was.

    The row lock closes it once when a redelivered task and the maintenance job meet.
    """
    cutoff = (now or timezone.now()) - STALE_RUNNING_AFTER
    with transaction.atomic():
        query = (
            CreditQuery.objects.select_for_update()
            .filter(pk=query_id, status=QueryStatus.RUNNING, started_at__lt=cutoff)
            .first()
        )
        if query is None:
            return False
        fail_query(
            query,
            code="interrupted",
            message=_(
                "A consulta foi interrompida antes da resposta da plataforma. Verifique com a "
                "plataforma se ela foi cobrada antes de consultar de novo."
            ),
            billed=Billed.UNKNOWN,
        )
    return True
