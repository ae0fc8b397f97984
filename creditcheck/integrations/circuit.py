"""Circuit breaker per branch and platform: stop calling a platform that keeps failing.

After CIRCUIT_FAILURE_THRESHOLD consecutive outage failures of one platform in one branch the
circuit opens: for CIRCUIT_OPEN_SECONDS every call is refused before it leaves (CircuitOpen:
nothing sent, nothing billed), so staff get an immediate, clear failure instead of waiting for
one more timeout each. After the cool-down the circuit is half-open: one trial call goes
through; an answer closes the circuit, another outage failure opens it again.

The state lives in Django's cache (Redis when CACHE_URL is set, so every gunicorn and Celery
process shares it; per process in embedded mode), under three keys per (branch, platform):
when it opened, the current failure streak and the claim of the half-open trial. Storing when it
opened, not until when, lets a changed CIRCUIT_OPEN_SECONDS apply to a circuit already open.
Opening and closing are written to the audit trail (platform, branch and error code only: no
document, credential or platform message).
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

from creditcheck.core.audit import audit_record
from creditcheck.core.enums import AuditAction
from creditcheck.core.shared_cache import CACHE_ERRORS
from creditcheck.integrations.models import BranchIntegration
from providers.base import (
    Adapter,
    Balance,
    Billed,
    ConsultRequest,
    CreditReport,
    InclusionReceipt,
    InclusionRequest,
    InclusionStatus,
    Product,
    ProviderError,
    ProviderProtocolError,
    ProviderUnavailable,
    ReasonCode,
    RemovalReceipt,
    RemovalRequest,
)

logger = logging.getLogger(__name__)
T = TypeVar("T")

# What counts towards opening: the platform did not answer (timeout, refused connection, 5xx:
# ProviderUnavailable) or answered something unreadable (ProviderProtocolError: a maintenance
# page, a truncated body). Every other ProviderError is an answer, so the platform is up:
# business refusals (invalid document, product not allowed, no balance, duplicate) concern one
# call, and refused credentials are a configuration problem of the branch that holding calls
# back would not fix; the admin fixes them and checks with "Testar" right away. Such answers
# reset the streak like a success.
OUTAGE_ERRORS: tuple[type[ProviderError], ...] = (ProviderUnavailable, ProviderProtocolError)

# A failure streak is forgotten this long after its first failure, so a few failures spread
# over a quiet day do not open the circuit.
FAILURE_STREAK_SECONDS = 15 * 60


class CircuitState(enum.StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"
    UNKNOWN = "unknown"  # the shared cache holding the states is unreachable


class CircuitOpen(ProviderUnavailable):
    """A call refused before reaching the platform because its circuit is open (not billed)."""

    def __init__(self, *, platform_name: str, branch_name: str, retry_at: dt.datetime) -> None:
        resume = timezone.localtime(retry_at).strftime("%H:%M")
        super().__init__(
            f"circuit open until {retry_at.isoformat()}",
            code="circuit_open",
            user_message=_(
                "A plataforma %(platform)s está indisponível para a filial %(branch)s após "
                "várias falhas seguidas. Nada foi enviado nem cobrado; novas tentativas a "
                "partir das %(resume)s."
            )
            % {"platform": platform_name, "branch": branch_name, "resume": resume},
            billed=Billed.NO,
        )
        self.retry_at = retry_at


@dataclass(frozen=True)
class CircuitStatus:
    state: CircuitState
    retry_at: dt.datetime | None = None  # when an open circuit lets a trial call through

    @property
    def label(self) -> str:
        """The state as the Integrações screen shows it (pt-BR)."""
        if self.state == CircuitState.OPEN and self.retry_at is not None:
            return _("Indisponível (circuito aberto até %(time)s)") % {
                "time": timezone.localtime(self.retry_at).strftime("%H:%M")
            }
        if self.state == CircuitState.HALF_OPEN:
            return _("Em teste")
        if self.state == CircuitState.UNKNOWN:
            return _("Desconhecida (cache indisponível)")
        return _("Disponível")


def _open_seconds() -> int:
    return int(settings.CIRCUIT_OPEN_SECONDS)


def _trial_lease_seconds() -> int:
    """How long a half-open trial call holds its claim: a consult may make a few HTTP calls,
    each bounded by the provider timeouts. A crashed trial frees the claim when it expires."""
    per_call = float(settings.PROVIDER_CONNECT_TIMEOUT) + float(settings.PROVIDER_READ_TIMEOUT)
    return int(2 * per_call) + 1


def _moment(epoch: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(epoch, tz=dt.UTC)


def _key(branch_id: int, platform: str) -> str:
    return f"circuit:{branch_id}:{platform}"


def _status_from(opened_at: float | None, now: float) -> CircuitStatus:
    if opened_at is None:
        return CircuitStatus(CircuitState.CLOSED)
    retry_at = opened_at + _open_seconds()
    if now < retry_at:
        return CircuitStatus(CircuitState.OPEN, _moment(retry_at))
    return CircuitStatus(CircuitState.HALF_OPEN, _moment(retry_at))


class Circuit:
    """The breaker of one branch's calls to one platform."""

    def __init__(self, integration: BranchIntegration) -> None:
        self.integration = integration
        key = _key(integration.branch_id, integration.platform)
        self.opened_key = f"{key}:opened_at"
        self.failures_key = f"{key}:failures"
        self.trial_key = f"{key}:trial"

    def status(self) -> CircuitStatus:
        return _status_from(cache.get(self.opened_key), time.time())

    def call(self, operation: Callable[[], T], *, force: bool = False) -> T:
        """Run one platform call through the breaker.

        Raises CircuitOpen without calling while the circuit is open (or while another
        process makes the half-open trial). `force` lets the call through anyway as a trial
        ("Testar": an admin checking a fix must reach the platform).
        """
        try:
            known = cache.get_many([self.opened_key, self.failures_key])
            trial = self._admit(known.get(self.opened_key), force=force)
        except CACHE_ERRORS:
            logger.warning("%s: circuit state unreadable (cache down), calling", self._label())
            return operation()
        try:
            result = operation()
        except OUTAGE_ERRORS as exc:
            self._bookkeep(partial(self._failed, exc, trial=trial))
            raise
        except ProviderError:
            self._bookkeep(lambda: self._answered(trial=trial, streak=self.failures_key in known))
            raise
        except BaseException:
            # Our own bug says nothing about the platform: free the trial claim, change nothing.
            if trial:
                self._bookkeep(lambda: cache.delete(self.trial_key))
            raise
        self._bookkeep(lambda: self._answered(trial=trial, streak=self.failures_key in known))
        return result

    def _bookkeep(self, update: Callable[[], object]) -> None:
        """Record a call's outcome; a cache outage loses the record, never the call's result."""
        try:
            update()
        except CACHE_ERRORS:
            logger.warning("%s: circuit state not updated (cache down)", self._label())

    def _admit(self, opened_at: float | None, *, force: bool) -> bool:
        """Whether the call goes through as the half-open trial; raises CircuitOpen if refused."""
        if opened_at is None:
            return False
        if force:
            cache.set(self.trial_key, 1, timeout=_trial_lease_seconds())
            return True
        now = time.time()
        retry_at = opened_at + _open_seconds()
        if now >= retry_at:
            if cache.add(self.trial_key, 1, timeout=_trial_lease_seconds()):
                return True
            retry_at = now + _trial_lease_seconds()  # another process is making the trial
        raise CircuitOpen(
            platform_name=self.integration.get_platform_display(),
            branch_name=self.integration.branch.name,
            retry_at=_moment(retry_at),
        )

    def _answered(self, *, trial: bool, streak: bool) -> None:
        if trial:
            self._close()
        elif streak:
            cache.delete(self.failures_key)

    def _failed(self, exc: ProviderError, *, trial: bool) -> None:
        code = exc.code or type(exc).__name__
        if trial:  # still down: a new cool-down (logged; the audit keeps only open and close)
            cache.set(self.opened_key, time.time(), timeout=None)
            cache.delete(self.trial_key)
            logger.warning("%s: trial call failed (%s), circuit open again", self._label(), code)
            return
        cache.add(self.failures_key, 0, timeout=FAILURE_STREAK_SECONDS)
        try:
            failures = cache.incr(self.failures_key)
        except ValueError:  # a success elsewhere ended the streak in between
            return
        if failures < settings.CIRCUIT_FAILURE_THRESHOLD:
            return
        # `add` is atomic: of several processes failing at once, one opens and audits.
        if cache.add(self.opened_key, time.time(), timeout=None):
            cache.delete(self.failures_key)
            logger.warning(
                "%s: circuit opened after %d failures (%s)", self._label(), failures, code
            )
            self._audit("circuito aberto", failures=failures, error_code=code)

    def _close(self) -> None:
        opened_at = cache.get(self.opened_key)
        if not cache.delete(self.opened_key):
            return  # closed meanwhile by another call
        cache.delete_many([self.failures_key, self.trial_key])
        open_for = int(time.time() - opened_at) if opened_at is not None else None
        logger.info("%s: circuit closed after %s s", self._label(), open_for)
        self._audit("circuito fechado", open_seconds=open_for)

    def _label(self) -> str:
        return f"branch {self.integration.branch_id} / {self.integration.platform}"

    def _audit(self, outcome: str, **details: object) -> None:
        integration = self.integration
        audit_record(
            action=AuditAction.PLATFORM_AVAILABILITY,
            branch=integration.branch,
            outcome=f"{outcome}: {integration.get_platform_display()}",
            target=integration,
            details={"platform": integration.platform, **details},
        )


class GuardedAdapter:
    """A platform adapter whose every call passes the branch's circuit breaker.

    What `adapter_for` hands out, so credit queries, negativação inclusions, removals and status
    checks, product syncs and "Testar" all go through the same breaker. Only check_credentials
    ("Testar") goes through an open circuit, as a trial: see Circuit.call.
    """

    def __init__(self, adapter: Adapter, circuit: Circuit) -> None:
        self.adapter = adapter
        self.circuit = circuit

    def consult(self, request: ConsultRequest) -> CreditReport:
        return self.circuit.call(lambda: self.adapter.consult(request))

    def include(self, request: InclusionRequest) -> InclusionReceipt:
        return self.circuit.call(lambda: self.adapter.include(request))

    def remove(self, request: RemovalRequest) -> RemovalReceipt:
        return self.circuit.call(lambda: self.adapter.remove(request))

    def inclusion_status(self, platform_id: str, request: InclusionRequest) -> InclusionStatus:
        return self.circuit.call(lambda: self.adapter.inclusion_status(platform_id, request))

    def products(self) -> tuple[Product, ...]:
        return self.circuit.call(self.adapter.products)

    def inclusion_reasons(self) -> tuple[ReasonCode, ...]:
        return self.circuit.call(self.adapter.inclusion_reasons)

    def removal_reasons(self) -> tuple[ReasonCode, ...]:
        return self.circuit.call(self.adapter.removal_reasons)

    def balance(self) -> Balance:
        return self.circuit.call(self.adapter.balance)

    def check_credentials(self) -> None:
        self.circuit.call(self.adapter.check_credentials, force=True)


def circuit_statuses(
    integrations: Iterable[BranchIntegration],
) -> dict[tuple[int, str], CircuitStatus]:
    """The state of each (branch id, platform) pair of `integrations`, read in one cache call."""
    pairs = {(i.branch_id, i.platform) for i in integrations}
    keys = {pair: f"{_key(*pair)}:opened_at" for pair in pairs}
    try:
        stored = cache.get_many(list(keys.values()))
    except CACHE_ERRORS:
        return {pair: CircuitStatus(CircuitState.UNKNOWN) for pair in pairs}
    now = time.time()
    return {pair: _status_from(stored.get(key), now) for pair, key in keys.items()}


def circuit_health() -> list[dict[str, object]]:
    """One entry per branch and platform of the active integrations, for /healthz."""
    integrations = list(
        BranchIntegration.objects.filter(active=True)
        .select_related("branch")
        .order_by("branch__name", "branch_id", "platform")
    )
    statuses = circuit_statuses(integrations)
    entries: list[dict[str, object]] = []
    seen: set[tuple[int, str]] = set()
    for integration in integrations:
        pair = (integration.branch_id, integration.platform)
        if pair in seen:  # two integrations of one platform in a branch share one circuit
            continue
        seen.add(pair)
        entries.append(
            {
                "branch": integration.branch_id,
                "branch_name": integration.branch.name,
                "platform": integration.platform,
                "state": statuses[pair].state.value,
            }
        )
    return entries
