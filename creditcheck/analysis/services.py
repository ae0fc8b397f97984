"""The one credit-query service. Every screen, the API and tasks come through here.

It is the single place that enforces the enabled flag, branch access, document validity, the
re-query interval (with its recorded override), single flight per document, and cost.
"""

import datetime as dt
import logging
from contextlib import nullcontext
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import DataError, IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from creditcheck.analysis.enums import IN_FLIGHT, Billed, QueryStatus, RefusalCode
from creditcheck.analysis.models import CreditQuery
from creditcheck.analysis.subjects import Subject
from creditcheck.core import documents
from creditcheck.core.audit import audit_record
from creditcheck.core.dispatch import enqueue
from creditcheck.core.enums import AuditAction
from creditcheck.core.models import Branch
from creditcheck.core.pdf import html_to_pdf
from creditcheck.core.selectors import user_can_access_branch
from creditcheck.core.shared_cache import CACHE_ERRORS
from creditcheck.core.templatetags.br import money
from creditcheck.costs.budgets import budget_status
from creditcheck.costs.usage import usage_record
from creditcheck.integrations.selectors import credit_settings, integration_for_branch
from creditcheck.integrations.services import adapter_for
from providers.base import ConsultRequest, CreditReport, PersonType, ProviderError, report_to_dict

logger = logging.getLogger(__name__)

# A query still "running" this long after it started was cut short (worker crash, lost database
# connection): it is closed as failed with billing unknown, never sent again. Longer than any live
# run can take (a consult's calls with PROVIDER_CONNECT/READ_TIMEOUT of 5 s + 30 s each), so a
# slow but live call is never closed; the maintenance job closes it at most a minute past this.
STALE_RUNNING_AFTER = dt.timedelta(minutes=3)

# What finishing a query writes (saving only these keeps the hot path's UPDATE small).
OUTCOME_FIELDS = ("status", "billed", "cost", "finished_at", "duration_ms")
# What a platform's answer fills in (also what a query waiting for it receives).
REPORT_FIELDS = (
    "report",
    "raw_payload",
    "protocol",
    "has_restrictions",
    "score",
    "restriction_count",
    "restriction_amount",
)
RESULT_FIELDS = (*OUTCOME_FIELDS, *REPORT_FIELDS)


class CreditQueryRefused(Exception):
    """A query refused before any platform call; the refused attempt is stored in `query`."""

    def __init__(
        self,
        query: CreditQuery,
        message: str,
        *,
        last_query: CreditQuery | None = None,
        next_allowed_at: dt.datetime | None = None,
    ) -> None:
        super().__init__(message)
        self.query = query
        self.code = query.refusal_code
        self.message = message
        self.last_query = last_query
        self.next_allowed_at = next_allowed_at


class UnstorableResult(Exception):
    """A platform answer whose figures do not fit the stored query's columns."""


@dataclass(frozen=True)
class QueryOutcome:
    query: CreditQuery
    # True when this request joined a query of the same document already running (`query` is that
    # query, or one of the user's branch waiting for its outcome).
    joined: bool


def last_successful_query(document: str) -> CreditQuery | None:
    return (
        CreditQuery.objects.filter(document=document, status=QueryStatus.SUCCEEDED)
        .select_related("user")
        .order_by("-created_at")
        .first()
    )


def requery_blocker(document: str, interval_days: int) -> tuple[CreditQuery, dt.datetime] | None:
    """The last successful query of `document` inside the interval and when a new one is allowed."""
    if interval_days <= 0:
        return None
    last = last_successful_query(document)
    if last is None:
        return None
    next_allowed_at = last.created_at + dt.timedelta(days=interval_days)
    return (last, next_allowed_at) if timezone.now() < next_allowed_at else None


def _audit(query: CreditQuery, outcome: str, **details: Any) -> None:
    audit_record(
        action=AuditAction.CREDIT_QUERY,
        user=query.user,
        ip_address=query.ip_address,
        branch=query.branch,
        document=query.document,
        outcome=outcome,
        target=query,
        details={"platform": query.platform, **details},
    )


def _refuse(
    base: dict[str, Any], code: RefusalCode, message: str, **extra: Any
) -> CreditQueryRefused:
    with transaction.atomic():
        query = CreditQuery.objects.create(
            **base,
            status=QueryStatus.REFUSED,
            refusal_code=code,
            error_message=message,
            finished_at=timezone.now(),
        )
        _audit(query, f"recusada: {code}")
        usage_record(query)
    logger.info("credit query %s refused: %s", query.pk, code)
    return CreditQueryRefused(query, message, **extra)


def credit_query_request(
    *,
    subject: Subject,
    branch: Branch,
    user: Any,
    product: str = "",
    override_reason: str = "",
    reuse_result: bool = False,
    ip_address: str | None = None,
) -> QueryOutcome:
    """Ask for a credit query of `subject` in `branch` on behalf of `user`.

    Stores every attempt. Raises CreditQueryRefused (after storing the refused attempt) when the
    integration is off, the branch is not the user's or has no active integration, the document is
    invalid, the same document was consulted inside the re-query interval (unless the user may
    override it and gives a reason), or the query's cost would exceed the branch's monthly budget.
    Otherwise stores a pending query and enqueues the platform call after commit, or joins the
    query of the same document already in progress: the same query when the user can open its
    branch, else a query of the user's branch that waits for its outcome (no second call).
    With `reuse_result`, a user whom the interval stops at a query of a branch they cannot open
    gets its result copied into a query of their branch instead (no call, no cost).
    """
    document = documents.normalize(subject.document)
    base: dict[str, Any] = {
        "subject_type": subject.subject_type,
        "customer": subject.customer,
        "lead": subject.lead,
        "prospect": subject.prospect,
        "document": document[:14],
        "subject_name": subject.name[:200],
        "branch": branch,
        "user": user,
        "ip_address": ip_address,
        "product": product,
    }
    settings_row = credit_settings()
    if not settings_row.enabled:
        raise _refuse(
            base,
            RefusalCode.INTEGRATION_DISABLED,
            _(
                "A integração com análise de crédito está desativada em "
                "Configurações > Integrações."
            ),
        )
    if not user_can_access_branch(user, branch):
        raise _refuse(base, RefusalCode.BRANCH_FORBIDDEN, _("Você não tem acesso a esta filial."))
    try:
        document = documents.validate(document)
    except documents.InvalidDocumentError as exc:
        raise _refuse(base, RefusalCode.INVALID_DOCUMENT, exc.message) from None
    base["person_type"] = documents.person_type_for(document)
    integration = integration_for_branch(branch)
    if integration is None:
        raise _refuse(
            base,
            RefusalCode.BRANCH_WITHOUT_INTEGRATION,
            _("A filial %(branch)s não tem integração ativa com plataforma de análise de crédito.")
            % {"branch": branch.name},
        )
    base.update(
        integration=integration,
        platform=integration.platform,
        product=product or integration.product,
    )

    blocker = requery_blocker(document, settings_row.requery_interval_days)
    if blocker is not None:
        last, next_allowed_at = blocker
        if reuse_result and not user_can_access_branch(user, last.branch):
            note = f"resultado da consulta #{last.pk} reaproveitado, dentro do intervalo"
            return QueryOutcome(_share_into_branch(last.pk, base, note), joined=False)
        reason = override_reason.strip()
        if not (reason and user.has_perm("analysis.override_requery_interval")):
            raise _refuse(
                base,
                RefusalCode.REQUERY_INTERVAL,
                _(
                    "Este CPF/CNPJ já foi consultado em %(date)s por %(user)s. "
                    "Uma nova consulta só "
                    "é permitida a partir de %(next)s."
                )
                % {
                    "date": timezone.localtime(last.created_at).strftime("%d/%m/%Y %H:%M"),
                    "user": last.user.get_full_name() or last.user.get_username(),
                    "next": timezone.localtime(next_allowed_at).strftime("%d/%m/%Y %H:%M"),
                },
                last_query=last,
                next_allowed_at=next_allowed_at,
            )
        base.update(override_reason=reason, overridden_query=last)

    budget = budget_status(branch)
    if not budget.allows(integration.cost_per_query):
        raise _refuse(
            base,
            RefusalCode.BUDGET_EXCEEDED,
            _(
                "O orçamento mensal de consultas da filial %(branch)s (%(limit)s) foi atingido. "
                "Um administrador pode aumentá-lo em Relatórios > Custos."
            )
            % {"branch": branch.name, "limit": money(budget.limit)},
        )

    # Inside a caller's transaction a savepoint keeps that transaction usable after the
    # unique-constraint clash below; in autocommit the INSERT is a transaction of its own.
    in_transaction = transaction.get_connection().in_atomic_block
    try:
        with transaction.atomic() if in_transaction else nullcontext():
            query = CreditQuery.objects.create(**base, status=QueryStatus.PENDING)
    except IntegrityError:
        # A query of the same document is in progress (one_inflight_query_per_document): join it.
        in_flight = CreditQuery.objects.filter(document=document, status__in=IN_FLIGHT).first()
        if in_flight is None:
            raise
        return _join(in_flight, base)

    from creditcheck.analysis.tasks import task_run_credit_query

    transaction.on_commit(lambda: enqueue(task_run_credit_query, query_id=query.pk))
    return QueryOutcome(query, joined=False)


def _join(in_flight: CreditQuery, base: dict[str, Any]) -> QueryOutcome:
    if not user_can_access_branch(base["user"], in_flight.branch):
        note = f"aguardando a consulta #{in_flight.pk}, em andamento em outra filial"
        return QueryOutcome(_share_into_branch(in_flight.pk, base, note), joined=True)
    audit_record(
        action=AuditAction.CREDIT_QUERY,
        user=base["user"],
        ip_address=base["ip_address"],
        branch=base["branch"],
        document=in_flight.document,
        outcome=f"aguardando a consulta #{in_flight.pk}, em andamento",
        target=in_flight,
    )
    return QueryOutcome(in_flight, joined=True)


def _share_into_branch(source_id: int, base: dict[str, Any], note: str) -> CreditQuery:
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
        _audit(query, note)
        if source.status not in IN_FLIGHT:
            _share_outcome(source, query)
    logger.info("credit query %s takes the outcome of query %s", query.pk, source.pk)
    return query


def credit_query_run(*, query_id: int) -> None:
    """Make the platform call of a pending query and store its outcome.

    Safe to run twice for the same query (duplicate task delivery): only the run that moves it
    from pending to running calls the platform. Provider errors end in a failed query with the
    Portuguese message and the platform's code; nothing is retried automatically.
    """
    now = timezone.now()
    claimed = CreditQuery.objects.filter(pk=query_id, status=QueryStatus.PENDING).update(
        status=QueryStatus.RUNNING, started_at=now
    )
    if not claimed:
        _close_if_stale(query_id)
        return
    # The user and branch come along for the audit entry written with the outcome.
    query = CreditQuery.objects.select_related("integration", "customer", "user", "branch").get(
        pk=query_id
    )
    # No other query of this document can have finished since this one was stored: the
    # one_inflight_query_per_document constraint kept every other query of it out meanwhile.

    integration = query.integration
    if integration is None:
        _fail(
            query,
            code="integration_removed",
            message=_("A integração da filial foi removida antes da consulta."),
            billed=Billed.NO,
        )
        return
    customer = query.customer
    request = ConsultRequest(
        document=query.document,
        person_type=PersonType(query.person_type),
        product=query.product,
        birth_date=customer.birth_date if customer else None,
        state=customer.state if customer else "",
        cep=customer.cep if customer else "",
    )
    try:
        report = adapter_for(integration).consult(request)
    except ProviderError as exc:
        _fail(
            query,
            code=exc.code or type(exc).__name__,
            message=exc.user_message,
            billed=Billed(exc.billed.value),
        )
        return
    except Exception:  # a bug must not leave the query running forever nor become a 500
        logger.exception("credit query %s crashed", query.pk)
        _fail(
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
        _fail(
            query,
            code="unstorable_result",
            message=_(
                "A plataforma respondeu, mas o resultado não pôde ser guardado (valores fora "
                "do esperado). A equipe técnica foi avisada; a consulta pode ter sido cobrada."
            ),
            billed=Billed(report.billed.value),
        )


def _finish_fields(query: CreditQuery) -> None:
    query.finished_at = timezone.now()
    if query.started_at:
        query.duration_ms = int((query.finished_at - query.started_at).total_seconds() * 1000)


def _store_outcome(query: CreditQuery, fields: list[str], outcome: str, **details: Any) -> None:
    """Save a finished query with its usage row and audit entry, and hand its outcome over to the
    queries of other branches waiting for it: all of it or none."""
    _finish_fields(query)
    with transaction.atomic():
        query.save(update_fields=fields)
        usage_record(query)
        _audit(query, outcome, **details)
        if query.shared_from_id is None:  # a shared outcome is not shared on
            # Nearly always none: a bare id probe keeps that case to one cheap statement.
            waiting = CreditQuery.objects.filter(shared_from=query, status=QueryStatus.WAITING)
            waiting_ids = list(waiting.values_list("pk", flat=True))
            if waiting_ids:
                for copy in _locked_waiting().filter(pk__in=waiting_ids):
                    _share_outcome(query, copy)


def _locked_waiting() -> QuerySet[CreditQuery]:
    """Waiting queries, each row locked, with what finishing one (usage, audit) reads.

    Only their own rows: PostgreSQL can't lock the nullable side of the integration's join.
    """
    return (
        CreditQuery.objects.select_for_update(of=("self",))
        .filter(status=QueryStatus.WAITING)
        .select_related("integration", "user", "branch")
    )


def _share_outcome(source: CreditQuery, query: CreditQuery) -> None:
    """Finish the waiting `query` with the outcome of `source`: the same result, or a failure of
    its own. Never billed: it made no platform call."""
    query.billed = Billed.NO
    query.cost = Decimal("0.00")
    if source.status == QueryStatus.SUCCEEDED:
        query.status = QueryStatus.SUCCEEDED
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
                _attach_provider_document(query, content, "application/pdf")
        fields = [*RESULT_FIELDS, "subject_name", "provider_file", "provider_file_type"]
        outcome = f"concluída com o resultado da consulta #{source.pk}"
    else:
        query.status = QueryStatus.FAILED
        query.error_code = "shared_query_failed"
        query.error_message = _(
            "A consulta deste CPF/CNPJ em andamento em outra filial (#%(source)s), cujo "
            "resultado esta aguardava, não teve resultado (%(code)s). Nada foi cobrado por esta "
            "consulta; consulte de novo se ainda precisar."
        ) % {"source": source.pk, "code": source.error_code or source.get_status_display()}
        fields = [*OUTCOME_FIELDS, "error_code", "error_message"]
        outcome = f"falhou: consulta #{source.pk} sem resultado"
    _store_outcome(query, fields, outcome, shared_from=source.pk)


def _cost_for(query: CreditQuery, billed: str) -> Decimal:
    if billed == Billed.NO or query.integration is None:
        return Decimal("0.00")
    return query.integration.cost_per_query


def _succeed(query: CreditQuery, report: CreditReport) -> None:
    data = report_to_dict(report)
    query.status = QueryStatus.SUCCEEDED
    query.report = data
    query.raw_payload = report.raw
    query.protocol = report.protocol[:80]
    query.has_restrictions = report.has_restrictions
    query.score = report.score.value if report.score else None
    query.restriction_count = sum(t.count for t in report.totals)
    query.restriction_amount = report.total_amount
    if not _fits_the_columns(query):
        raise UnstorableResult(f"totals too large to store: {query.restriction_amount}")
    query.billed = Billed(report.billed.value)
    query.cost = _cost_for(query, query.billed)
    if report.identity.name and not query.subject_name:
        query.subject_name = report.identity.name[:200]
    if report.has_restrictions and report.document is not None:
        _attach_provider_document(query, report.document.content, report.document.media_type)
    _store_outcome(
        query,
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


def _attach_provider_document(query: CreditQuery, content: bytes, media_type: str) -> None:
    """Keep the platform's own report as PDF (HTML reports are converted)."""
    if media_type != "application/pdf":
        try:
            content = html_to_pdf(content.decode("utf-8", errors="replace"))
        except Exception:  # a report we cannot convert must not lose the query's result
            logger.exception("could not convert the platform report of query %s", query.pk)
            return
    query.provider_file.save(f"consulta-{query.pk}.pdf", ContentFile(content), save=False)
    query.provider_file_type = "application/pdf"


def _fail(query: CreditQuery, *, code: str, message: str, billed: Billed) -> None:
    query.status = QueryStatus.FAILED
    query.error_code = code[:60]
    query.error_message = message
    query.billed = billed
    query.cost = _cost_for(query, billed)
    _store_outcome(
        query,
        [*OUTCOME_FIELDS, "error_code", "error_message"],
        f"falhou: {query.error_code}",
        billed=billed,
        cost=str(query.cost),
    )
    logger.warning("credit query %s failed: %s (billed=%s)", query.pk, code, billed)


def _close_if_stale(query_id: int, *, now: dt.datetime | None = None) -> bool:
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
        _fail(
            query,
            code="interrupted",
            message=_(
                "A consulta foi interrompida antes da resposta da plataforma. Verifique com a "
                "plataforma se ela foi cobrada antes de consultar de novo."
            ),
            billed=Billed.UNKNOWN,
        )
    return True


# ---- Maintenance: what crashed workers and lost broker messages left behind ---------------------

# A query pending this long lost its task message (the broker restarted without persistence, or
# was down when the query was stored): it is enqueued again. A duplicate message is harmless:
# only the run that claims the query calls the platform.
REQUEUE_PENDING_AFTER = dt.timedelta(minutes=2)
# A query nobody could run for this long is not sent any more: nobody waits for its answer, and
# the platform would bill it.
PENDING_EXPIRES_AFTER = dt.timedelta(minutes=30)


def credit_query_close_stale(*, now: dt.datetime | None = None) -> int:
    """Close every query left running past STALE_RUNNING_AFTER; returns how many."""
    cutoff = (now or timezone.now()) - STALE_RUNNING_AFTER
    stale = CreditQuery.objects.filter(status=QueryStatus.RUNNING, started_at__lt=cutoff)
    return sum(_close_if_stale(pk, now=now) for pk in list(stale.values_list("pk", flat=True)))


def credit_query_resolve_waiting() -> int:
    """Finish the waiting queries whose source has finished; returns how many.

    Storing the source's outcome finishes them in the same transaction; this is the safety net of
    the rule, as the maintenance job is for lost task messages.
    """
    waiting = CreditQuery.objects.filter(status=QueryStatus.WAITING).exclude(
        shared_from__status__in=IN_FLIGHT
    )
    return sum(_resolve_waiting(pk) for pk in list(waiting.values_list("pk", flat=True)))


def _resolve_waiting(query_id: int) -> bool:
    with transaction.atomic():
        query = _locked_waiting().filter(pk=query_id).first()
        source = query.shared_from if query is not None else None
        if query is None or source is None or source.status in IN_FLIGHT:
            return False
        _share_outcome(source, query)
    return True


def credit_query_requeue_pending(*, now: dt.datetime | None = None) -> tuple[int, int]:
    """Enqueue again the queries whose task message was lost; fail the ones too old to send.

    Returns (enqueued, expired).
    """
    now = now or timezone.now()
    pending = CreditQuery.objects.filter(status=QueryStatus.PENDING)
    too_old = pending.filter(created_at__lt=now - PENDING_EXPIRES_AFTER)
    expired = sum(_expire_pending(pk) for pk in list(too_old.values_list("pk", flat=True)))
    waiting = pending.filter(created_at__lt=now - REQUEUE_PENDING_AFTER)
    lost = [pk for pk in waiting.values_list("pk", flat=True) if _first_requeue_in_a_while(pk)]
    from creditcheck.analysis.tasks import task_run_credit_query

    for query_id in lost:
        enqueue(task_run_credit_query, query_id=query_id)
    if lost or expired:
        logger.warning("pending credit queries: %d enqueued again, %d expired", len(lost), expired)
    return len(lost), expired


def _first_requeue_in_a_while(query_id: int) -> bool:
    """Re-send a pending query at most once per REQUEUE_PENDING_AFTER: when the workers are only
    behind (the message is not lost), each maintenance round must not add one more copy."""
    try:
        return bool(
            cache.add(
                f"credit_query_requeued:{query_id}",
                1,
                timeout=REQUEUE_PENDING_AFTER.total_seconds(),
            )
        )
    except CACHE_ERRORS:  # duplicates are harmless (the claim step), lost queries are not
        return True


def _expire_pending(query_id: int) -> bool:
    with transaction.atomic():
        query = (
            CreditQuery.objects.select_for_update()
            .filter(pk=query_id, status=QueryStatus.PENDING)
            .first()
        )
        if query is None:
            return False
        _fail(
            query,
            code="not_sent",
            message=_(
                "A consulta não chegou a ser enviada à plataforma: o processamento ficou "
                "indisponível por tempo demais. Nada foi cobrado; consulte de novo se ainda "
                "precisar."
            ),
            billed=Billed.NO,
        )
    return True
