"""The storage codec of reports: a CreditReport to a JSON-ready dict and back.

Above this layer a report is stored as `report_to_dict` writes it (CreditQuery.report) and read
back with `report_from_dict`; the raw payload and the platform's own document are kept apart.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from providers.base import (
    Billed,
    CreditReport,
    Identity,
    Inquiry,
    KindTotal,
    Partner,
    PaymentHistory,
    PersonType,
    Restriction,
    RestrictionKind,
    Score,
)


def _encode(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, bytes):
        raise TypeError("bytes are not serialized")
    return value


def report_to_dict(report: CreditReport) -> dict[str, Any]:
    """A JSON-ready dict of the normalized report, without the raw payload and the document."""

    def convert(obj: Any) -> Any:
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            return {f.name: convert(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
        if isinstance(obj, tuple | list):
            return [convert(item) for item in obj]
        return _encode(obj)

    data: dict[str, Any] = {
        f.name: convert(getattr(report, f.name))
        for f in dataclasses.fields(report)
        if f.name not in ("raw", "document")  # kept apart: the payload and the platform's file
    }
    data["has_restrictions"] = report.has_restrictions
    return data


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _decimal(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None else None


def report_from_dict(data: Mapping[str, Any], *, raw: str = "") -> CreditReport:
    """Rebuild a report stored with report_to_dict (raw and document are not stored there)."""
    ident = data["identity"]
    score = data.get("score")
    history = data.get("payment_history")
    return CreditReport(
        platform=data["platform"],
        product=data["product"],
        identity=Identity(
            name=ident["name"],
            document=ident["document"],
            person_type=PersonType(ident["person_type"]),
            birth_date=_date(ident.get("birth_date")),
            mother_name=ident.get("mother_name", ""),
            receita_situation=ident.get("receita_situation", ""),
        ),
        protocol=data["protocol"],
        billed=Billed(data["billed"]),
        raw=raw,
        score=Score(
            value=score["value"],
            model=score.get("model", ""),
            band=score.get("band", ""),
            default_probability=_decimal(score.get("default_probability")),
        )
        if score
        else None,
        restrictions=tuple(
            Restriction(
                kind=RestrictionKind(r["kind"]),
                creditor=r.get("creditor", ""),
                amount=_decimal(r.get("amount")),
                occurred_on=_date(r.get("occurred_on")),
                contract=r.get("contract", ""),
                city=r.get("city", ""),
                state=r.get("state", ""),
                description=r.get("description", ""),
            )
            for r in data.get("restrictions", [])
        ),
        totals=tuple(
            KindTotal(
                kind=RestrictionKind(t["kind"]), count=t["count"], amount=Decimal(t["amount"])
            )
            for t in data.get("totals", [])
        ),
        inquiries=tuple(
            Inquiry(inquirer=i["inquirer"], date=_date(i.get("date")), city=i.get("city", ""))
            for i in data.get("inquiries", [])
        ),
        partners=tuple(
            Partner(
                name=p["name"],
                document=p.get("document", ""),
                role=p.get("role", ""),
                share=_decimal(p.get("share")),
            )
            for p in data.get("partners", [])
        ),
        payment_history=PaymentHistory(
            on_time_payments=history.get("on_time_payments"),
            late_payments=history.get("late_payments"),
            commitments=_decimal(history.get("commitments")),
            description=history.get("description", ""),
        )
        if history
        else None,
        messages=tuple(data.get("messages", [])),
    )
