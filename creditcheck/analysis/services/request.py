"""Admission of a credit query: every check before a platform call, then a pending query (or a
stored refusal, or the query of the same document already in progress)."""

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from creditcheck.analysis.enums import IN_FLIGHT, QueryStatus, RefusalCode
from creditcheck.analysis.models import CreditQuery
from creditcheck.analysis.services.outcome import audit_query
from creditcheck.analysis.services.sharing import share_into_branch
from creditcheck.analysis.subjects import Subject
from creditcheck.core import documents
from creditcheck.core.audit import audit_record
from creditcheck.core.dispatch import enqueue
from creditcheck.core.enums import AuditAction
from creditcheck.core.formatting import money
from creditcheck.core.models import Branch
from creditcheck.core.selectors import user_can_access_branch
from creditcheck.costs.budgets import branch_budget, budget_hold
from creditcheck.costs.usage import usage_record
from creditcheck.integrations.selectors import credit_settings, integration_for_branch
from providers import registry

logger = logging.getLogger(__name__)


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

    @property
    def other_branch(self) -> bool:
        """The interval's last query is of another branch than the refused one's: who made it
        and when are not shown."""
        return self.last_query is not None and self.last_query.branch_id != self.query.branch_id


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


@dataclass(frozen=True)
class IntervalBlock:
    """The re-query interval stopping a new query of a document."""

    last_query: CreditQuery
    next_allowed_at: dt.datetime
    # The last query is of another branch than the one asked for: who consulted the document,
    # and when, are not shown.
    other_branch: bool


def credit_query_interval(document: str, branch_id: int | None) -> IntervalBlock | None:
    """The re-query interval's verdict on a new query of `document` in the branch `branch_id`:
    the check admission applies (credit_query_request), asked by the query page before it shows
    any cost. None when a query is allowed."""
    blocker = requery_blocker(
        documents.normalize(document), credit_settings().requery_interval_days
    )
    if blocker is None:
        return None
    last, next_allowed_at = blocker
    return IntervalBlock(last, next_allowed_at, last.branch_id != branch_id)


def _interval_message(last: CreditQuery, next_allowed_at: dt.datetime, branch: Branch) -> str:
    """The re-query interval refusal. Who consulted the document, and when, stays inside the
    branch that consulted it: another branch learns only that it was, and when it may query."""
    next_at = timezone.localtime(next_allowed_at).strftime("%d/%m/%Y %H:%M")
    if last.branch_id != branch.pk:
        return _(
            "Este CPF/CNPJ já foi consultado em outra filial. Uma nova consulta só é permitida "
            "a partir de %(next)s."
        ) % {"next": next_at}
    return _(
        "Este CPF/CNPJ já foi consultado em %(date)s por %(user)s. Uma nova consulta só "
        "é permitida a partir de %(next)s."
    ) % {
        "date": timezone.localtime(last.created_at).strftime("%d/%m/%Y %H:%M"),
        "user": last.user.get_full_name() or last.user.get_username(),
        "next": next_at,
    }


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
        audit_query(query, f"recusada: {code}")
        usage_record(query)
    logger.info("credit query %s refused: %s", query.pk, code)
    return CreditQueryRefused(query, message, **extra)


def credit_query_request(
    *,
    subject: Subject,
    branch: Branch,
    user: Any,
    product: str = "",
    platform: str = "",
    override_reason: str = "",
    reuse_result: bool = False,
    ip_address: str | None = None,
) -> QueryOutcome:
    """Ask for a credit query of `subject` in `branch` on behalf of `user`, through the branch's
    active integration with `platform` (default: the branch's default integration).

    Stores every attempt. Raises CreditQueryRefused (after storing the refused attempt) when the
    integration is off, the branch is not the user's or has no active integration, the document is
    invalid, the same document was consulted inside the re-query interval (unless the user may
    override it and gives a reason), or the query's cost would exceed the branch's monthly budget
    (counting the branch's queries in flight and those of uncertain billing, see budget_hold).
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
    integration = integration_for_branch(branch, platform)
    if integration is None and platform:
        raise _refuse(
            base,
            RefusalCode.BRANCH_WITHOUT_INTEGRATION,
            _("A filial %(branch)s não tem integração ativa com %(platform)s.")
            % {"branch": branch.name, "platform": registry.trade_name(platform)},
        )
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

    # The interval is checked before the pending query is stored and again after, inside the
    # INSERT's transaction: a query of the same document that finished in between (out of flight,
    # so no clash with one_inflight_query_per_document) would otherwise be billed a second time.
    # The second pass sees it and answers as the first would have.
    interval_days = settings_row.requery_interval_days
    for recheck in (False, True):
        blocker = requery_blocker(document, interval_days)
        if blocker is not None:
            shared = _admit_inside_interval(base, blocker, override_reason, reuse_result)
            if shared is not None:
                return shared
        try:
            with transaction.atomic():
                query, refusal = _store_pending(base, branch, integration.cost_per_query)
                first_pass_stored = query is not None and blocker is None and not recheck
                if first_pass_stored and requery_blocker(document, interval_days) is not None:
                    raise _FinishedMeanwhile  # rolls the INSERT back; the next pass decides
        except _FinishedMeanwhile:
            continue
        except IntegrityError:
            in_flight = CreditQuery.objects.filter(document=document, status__in=IN_FLIGHT).first()
            if in_flight is None:
                raise
            return _join(in_flight, base)
        break
    if refusal is not None:
        raise refusal
    assert query is not None

    from creditcheck.analysis.tasks import task_run_credit_query

    transaction.on_commit(lambda: enqueue(task_run_credit_query, query_id=query.pk))
    return QueryOutcome(query, joined=False)


class _FinishedMeanwhile(Exception):
    """A query of the document succeeded between the interval check and the pending INSERT."""


def _admit_inside_interval(
    base: dict[str, Any],
    blocker: tuple[CreditQuery, dt.datetime],
    override_reason: str,
    reuse_result: bool,
) -> QueryOutcome | None:
    """Inside the re-query interval: the last result copied into the user's branch (with
    `reuse_result`, when the user cannot open the last query's branch), or a refusal, or the
    override recorded in `base` (None: go on and query)."""
    last, next_allowed_at = blocker
    user = base["user"]
    if reuse_result and not user_can_access_branch(user, last.branch):
        note = f"resultado da consulta #{last.pk} reaproveitado, dentro do intervalo"
        return QueryOutcome(share_into_branch(last.pk, base, note), joined=False)
    reason = override_reason.strip()
    if not (reason and user.has_perm("analysis.override_requery_interval")):
        raise _refuse(
            base,
            RefusalCode.REQUERY_INTERVAL,
            _interval_message(last, next_allowed_at, base["branch"]),
            last_query=last,
            next_allowed_at=next_allowed_at,
        )
    base.update(override_reason=reason, overridden_query=last)
    return None


def _store_pending(
    base: dict[str, Any], branch: Branch, cost: Any
) -> tuple[CreditQuery | None, CreditQueryRefused | None]:
    """The budget check and the pending query that reserves its cost, inside the caller's
    transaction (the branch's budget lock is held until it ends). A clash with the
    one_inflight_query_per_document constraint raises IntegrityError."""
    budget = branch_budget(branch)
    if budget is not None:
        over = budget_hold(budget=budget, cost=cost)
        if over is not None:
            return None, _refuse(
                base,
                RefusalCode.BUDGET_EXCEEDED,
                _(
                    "O orçamento mensal de consultas da filial %(branch)s (%(limit)s) foi "
                    "atingido. Um administrador pode aumentá-lo em Relatórios > Custos."
                )
                % {"branch": branch.name, "limit": money(over.limit)},
            )
    return CreditQuery.objects.create(**base, status=QueryStatus.PENDING), None


def _join(in_flight: CreditQuery, base: dict[str, Any]) -> QueryOutcome:
    if not user_can_access_branch(base["user"], in_flight.branch):
        note = f"aguardando a consulta #{in_flight.pk}, em andamento em outra filial"
        return QueryOutcome(share_into_branch(in_flight.pk, base, note), joined=True)
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
