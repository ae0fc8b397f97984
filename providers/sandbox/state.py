"""Shared, thread-safe state of the sandboxes: clock, billing ledger, faults, stored inclusions."""

from __future__ import annotations

import datetime as dt
import itertools
import threading
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from providers import registry
from providers.base import RestrictionKind
from providers.sandbox.render import brasilia
from providers.sandbox.scenarios import Scenario, ScenarioCheque, forget_registered_scenarios

# Days a new record stays invisible while the bureau's notice letter (FAC) runs, per state (UF).
DEFAULT_NOTICE_DAYS = 10
NOTICE_DAYS_BY_STATE = {"SP": 20}

FAULT_MODES = ("latency", "timeout", "http500", "malformed", "auth")


def _bureau(platform: str) -> str:
    """Whose records a platform shows; one that names no bureau shows only its own."""
    return registry.get(platform).bureau or platform


@dataclass
class Fault:
    mode: str
    remaining: int
    latency_ms: int = 0
    path: str = ""  # only requests whose path contains this ("" = every request)


@dataclass
class LedgerEntry:
    platform: str
    operation: str
    document: str
    credential: str  # the login/e-mail/client id, never the secret
    billed: bool
    at: str  # sandbox clock, ISO 8601

    def as_dict(self) -> dict[str, object]:
        return {
            "platform": self.platform,
            "operation": self.operation,
            "document": self.document,
            "credential": self.credential,
            "billed": self.billed,
            "at": self.at,
        }


@dataclass(frozen=True)
class ShownRestriction:
    """A restriction as a consult shows it, with its date: a scenario's or a registered debt."""

    kind: RestrictionKind
    creditor: str
    amount: Decimal | None
    occurred_on: dt.date
    contract: str = ""
    city: str = ""
    state: str = ""
    description: str = ""
    notary_office: str = ""
    court: str = ""
    cheque: ScenarioCheque | None = None


@dataclass
class StoredInclusion:
    """A debt registered at a sandbox platform."""

    platform: str
    id: str
    document: str
    person_type: str
    name: str
    contract: str
    our_number: str
    due_date: dt.date
    amount: Decimal
    creditor: str
    state: str  # UF of the debtor's address
    reason_code: str
    included_at: dt.datetime
    visible_at: dt.datetime
    removed_at: dt.datetime | None = None
    removal_reason: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    def status(self, now: dt.datetime) -> str:
        """pending | active | removed, as the platform would report it at `now`."""
        if self.removed_at is not None:
            return "removed"
        return "active" if now >= self.visible_at else "pending"


class SandboxState:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.clock_offset = dt.timedelta()
            self.ledger: list[LedgerEntry] = []
            self.faults: dict[str, list[Fault]] = {}
            self.latency_ms: dict[str, int] = {}  # steady latency per platform ("*" = all)
            self.inclusions: list[StoredInclusion] = []
            self.balances: dict[str, Decimal] = {}
            self.last_requests: dict[str, object] = {}
            self._ids = itertools.count(1)
            # Each service sandbox (server.SERVICE_SANDBOXES) keeps its own state here, under
            # its mount point, so /sandbox/reset clears it with the rest.
            self.services: dict[str, object] = {}
        forget_registered_scenarios()

    def remember_request(self, platform: str, request: object) -> None:
        """Keep the last request per platform, so a bench can replay the exact same bytes."""
        with self.lock:
            self.last_requests[platform] = request

    # Clock ------------------------------------------------------------------------------------
    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC).replace(microsecond=0) + self.clock_offset

    def today(self) -> dt.date:
        # Business dates are Brazilian: the platforms live in America/Sao_Paulo (UTC-3, no DST).
        return brasilia(self.now()).date()

    def advance(self, days: float) -> dt.datetime:
        with self.lock:
            self.clock_offset += dt.timedelta(days=days)
            return self.now()

    # Ledger -----------------------------------------------------------------------------------
    def record(
        self, platform: str, operation: str, *, document: str, credential: str, billed: bool
    ) -> None:
        with self.lock:
            self.ledger.append(
                LedgerEntry(
                    platform, operation, document, credential, billed, self.now().isoformat()
                )
            )

    def ledger_entries(self) -> list[dict[str, object]]:
        with self.lock:
            return [entry.as_dict() for entry in self.ledger]

    # Faults and latency -----------------------------------------------------------------------
    def add_fault(
        self, platform: str, mode: str, count: int, latency_ms: int, path: str = ""
    ) -> None:
        if mode not in FAULT_MODES:
            raise ValueError(f"unknown fault mode {mode!r}; use one of {', '.join(FAULT_MODES)}")
        with self.lock:
            self.faults.setdefault(platform, []).append(Fault(mode, count, latency_ms, path))

    def take_fault(self, platform: str, path: str = "") -> Fault | None:
        """The fault for this call of a platform, consuming one of its remaining calls."""
        with self.lock:
            queue = self.faults.get(platform) or []
            queue[:] = [fault for fault in queue if fault.remaining > 0]
            for fault in queue:
                if fault.path in path:
                    fault.remaining -= 1
                    return Fault(fault.mode, 1, fault.latency_ms, fault.path)
            return None

    def steady_latency_ms(self, platform: str) -> int:
        with self.lock:
            return self.latency_ms.get(platform, self.latency_ms.get("*", 0))

    # Inclusions -------------------------------------------------------------------------------
    def new_id(self, platform: str) -> str:
        if platform == "soawebservice":
            return str(uuid.uuid4())
        with self.lock:
            return f"{platform[:3].upper()}{next(self._ids):08d}"

    @staticmethod
    def notice_days(state: str) -> int:
        return NOTICE_DAYS_BY_STATE.get(state.upper(), DEFAULT_NOTICE_DAYS)

    def find_inclusion(
        self, platform: str, *, document: str, contract: str, due_date: dt.date
    ) -> StoredInclusion | None:
        """The live (not removed) record of a debt, matched as bureaus do: doc+contract+due."""
        with self.lock:
            for inc in self.inclusions:
                if (
                    inc.platform == platform
                    and inc.removed_at is None
                    and inc.document == document
                    and inc.contract == contract
                    and inc.due_date == due_date
                ):
                    return inc
        return None

    def inclusion_by_id(self, platform: str, platform_id: str) -> StoredInclusion | None:
        with self.lock:
            for inc in self.inclusions:
                if inc.platform == platform and inc.id == platform_id:
                    return inc
        return None

    def add_inclusion(self, inclusion: StoredInclusion) -> None:
        with self.lock:
            self.inclusions.append(inclusion)

    def visible_inclusions(self, platform: str, document: str) -> list[StoredInclusion]:
        """Records that a consult of `document` at `platform` shows now (after the notice).

        Platforms that resell the same bureau (Serasa: SOAWebService and ConnectSA) see each
        other's records, as they would in reality.
        """
        bureau = _bureau(platform)
        now = self.now()
        with self.lock:
            return [
                inc
                for inc in self.inclusions
                if _bureau(inc.platform) == bureau
                and inc.document == document
                and inc.status(now) == "active"
            ]

    def shown_restrictions(
        self, platform: str, document: str, scenario: Scenario, *, registered_as: str
    ) -> list[ShownRestriction]:
        """What a consult of `document` at `platform` lists: the scenario's restrictions dated by
        the sandbox clock, then the debts registered at its bureau that show now, as PEFIN
        records described as `registered_as` (each platform words it its own way)."""
        today = self.today()
        shown = [
            ShownRestriction(
                r.kind,
                r.creditor,
                r.amount,
                r.occurred_on(today),
                r.contract,
                r.city,
                r.state,
                r.description,
                r.notary_office,
                r.court,
                r.cheque,
            )
            for r in scenario.restrictions
        ]
        return shown + [
            ShownRestriction(
                RestrictionKind.PEFIN,
                inc.creditor,
                inc.amount,
                inc.due_date,
                inc.contract,
                inc.extra.get("cidade", ""),
                inc.state,
                registered_as,
            )
            for inc in self.visible_inclusions(platform, document)
        ]
