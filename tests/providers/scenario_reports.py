"""What a sandbox scenario promises in the normalized report, for the platform tests
(tests/providers/test_<platform>.py) to hold every adapter to the same fields; each test adds
what its platform spells its own way (descriptions, details, the alíneas' wording)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from providers.base import KindTotal, Restriction, RestrictionKind
from providers.sandbox.scenarios import Scenario, ScenarioRestriction


def core(restriction: Restriction) -> tuple[Any, ...]:
    """The fields of a restriction every platform renders from a scenario."""
    r = restriction
    return (
        r.kind,
        r.creditor,
        r.amount,
        r.occurred_on,
        r.contract,
        r.city,
        r.state,
        r.bank,
        r.agency,
        r.cheque_number,
        r.alinea.code if r.alinea else "",
        r.notary_office,
        r.court,
    )


def promised(
    r: ScenarioRestriction,
    today: dt.date,
    kinds: Mapping[RestrictionKind, RestrictionKind] | None = None,
) -> tuple[Any, ...]:
    """core() of what a scenario restriction must become (`kinds`: the platform's renaming of
    kinds, as Serasa's SPC records shown as PEFIN)."""
    cheque = r.cheque
    bank = (
        (f"{cheque.bank_code} - {cheque.bank_name}", cheque.agency, cheque.number, cheque.alinea)
        if cheque
        else ("", "", "", "")
    )
    kind = (kinds or {}).get(r.kind, r.kind)
    where = (r.contract, r.city, r.state)
    return (
        kind,
        r.creditor,
        r.amount,
        r.occurred_on(today),
        *where,
        *bank,
        r.notary_office,
        r.court,
    )


def in_order(rows: Iterable[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """core()/promised() tuples in one order (kind, creditor, date, cheque number)."""
    return sorted(rows, key=lambda row: (row[0].value, row[1], str(row[3]), row[9]))


def promised_totals(
    scenario: Scenario, kinds: Mapping[RestrictionKind, RestrictionKind] | None = None
) -> tuple[KindTotal, ...]:
    """Count, amount and occurrences without an amount per kind, in RestrictionKind order."""
    found: dict[RestrictionKind, list[ScenarioRestriction]] = {}
    for r in scenario.restrictions:
        found.setdefault((kinds or {}).get(r.kind, r.kind), []).append(r)
    return tuple(
        KindTotal(
            kind,
            len(found[kind]),
            sum((r.amount or Decimal("0") for r in found[kind]), Decimal("0")),
            sum(1 for r in found[kind] if r.amount is None),
        )
        for kind in RestrictionKind
        if kind in found
    )
