"""The storage codec: a report to the dict stored above this layer, and back."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from providers.base import (
    Billed,
    CreditReport,
    Identity,
    Inquiry,
    Partner,
    PaymentHistory,
    PersonType,
    ProviderDocument,
    Restriction,
    RestrictionKind,
    Score,
)
from providers.codec import report_from_dict, report_to_dict
from providers.parsing import totals_from_restrictions


def _report() -> CreditReport:
    restrictions = (
        Restriction(RestrictionKind.PEFIN, "CREDOR A", Decimal("10.50"), dt.date(2026, 1, 2)),
        Restriction(RestrictionKind.PROTESTO, "CARTORIO", Decimal("100"), dt.date(2025, 5, 1)),
    )
    return CreditReport(
        platform="spcbrasil",
        product="257",
        identity=Identity("FULANO", "52998224725", PersonType.PERSON, dt.date(1980, 2, 3), "MAE"),
        protocol="123-4",
        billed=Billed.YES,
        raw="<xml/>",
        score=Score(610, "SPC", "MEDIO", Decimal("12.5")),
        restrictions=restrictions,
        totals=totals_from_restrictions(restrictions),
        inquiries=(Inquiry("LOJA", dt.date(2026, 3, 1), "SP"),),
        partners=(Partner("SOCIO", "12345678909", "Sócio", Decimal("50")),),
        payment_history=PaymentHistory(10, 1, Decimal("300.00")),
    )


def test_report_round_trips_through_dict_without_raw() -> None:
    report = _report()
    data = report_to_dict(report)
    assert "raw" not in data and data["has_restrictions"] is True
    assert report_from_dict(data, raw="<xml/>") == report


def test_report_to_dict_writes_json_ready_values_and_leaves_the_document_out() -> None:
    report = _report()
    pdf = ProviderDocument(content=b"%PDF-1.4", media_type="application/pdf")
    data = report_to_dict(CreditReport(**{**report.__dict__, "document": pdf}))
    assert "document" not in data
    assert data["restrictions"][0] == {
        "kind": "pefin",
        "creditor": "CREDOR A",
        "amount": "10.50",
        "occurred_on": "2026-01-02",
        "contract": "",
        "city": "",
        "state": "",
        "description": "",
    }
    assert data["totals"] == [
        {"kind": "pefin", "count": 1, "amount": "10.50"},
        {"kind": "protesto", "count": 1, "amount": "100"},
    ]
    assert (data["billed"], data["identity"]["birth_date"]) == ("yes", "1980-02-03")
