"""The storage codec: a report to the dict stored above this layer, and back."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from providers.base import (
    Address,
    Billed,
    BureauCode,
    Company,
    CreditReport,
    Detail,
    Identity,
    Inquiry,
    KindTotal,
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


def _detailed_report() -> CreditReport:
    """A report with every field this version added: cheque, protest and lawsuit details,
    company data, contacts and "Outras informações"."""
    cheque = Restriction(
        RestrictionKind.CHEQUE,
        "LOJA",
        Decimal("1234.56"),
        dt.date(2025, 3, 10),
        bank="341 - ITAU UNIBANCO S.A.",
        agency="0123",
        account="12345-6",
        cheque_number="000245-7",
        alinea=BureauCode("11", "Cheque sem fundos - 1ª apresentação"),
        nature=BureauCode("OUTRAS OPER", "Outras operações"),
        notary_office="1º TABELIONATO",
        court="3ª VARA",
        details=(Detail("Emissão do cheque", "20/02/2025"),),
    )
    return CreditReport(
        platform="spcbrasil",
        product="257",
        identity=Identity("EMPRESA", "11222333000181", PersonType.COMPANY, dt.date(2018, 1, 2)),
        protocol="1-2",
        billed=Billed.YES,
        raw="",
        restrictions=(cheque, Restriction(RestrictionKind.CHEQUE)),
        totals=totals_from_restrictions((cheque, Restriction(RestrictionKind.CHEQUE))),
        company=Company(
            trade_name="EMPRESA",
            legal_nature=BureauCode("2062", "SOCIEDADE EMPRESARIA LIMITADA"),
            main_activity=BureauCode("6190601", "PROVEDORES"),
            secondary_activities=(BureauCode("6201501"),),
            capital=Decimal("10000.00"),
            situation_on=dt.date(2025, 1, 7),
        ),
        addresses=(Address("06455020", "TOCANTINS", "125", "ALPHAVILLE", "BARUERI", "SP"),),
        phones=("(11) 973040000",),
        emails=("a@example.com",),
        other_information=(Detail("Operador do SPC: código", "102494488", "operador/@codigo"),),
    )


def test_detailed_report_round_trips_through_dict() -> None:
    report = _detailed_report()

    assert report_from_dict(report_to_dict(report)) == report
    assert report_to_dict(report)["totals"] == [
        {"kind": "cheque", "count": 2, "amount": "1234.56", "unvalued": 1}
    ]


# A report as the code before this version stored it (CreditQuery.report of a SPC consult of
# the protests_cheques scenario): no details, no company, totals without `unvalued`.
STORED_BEFORE_DETAILS = {
    "platform": "spcbrasil",
    "product": "257",
    "identity": {
        "name": "ANA PAULA EXEMPLO",
        "document": "11144477735",
        "person_type": "F",
        "birth_date": "1996-01-25",
        "mother_name": "MAE JOSE ROBERTO AMOSTRA",
        "receita_situation": "REGULAR",
    },
    "protocol": "14700000001-74",
    "billed": "yes",
    "score": {
        "value": 310,
        "model": "SPC Score 12 meses",
        "band": "F",
        "default_probability": "44.00",
    },
    "restrictions": [
        {
            "kind": "cheque",
            "creditor": "BANCO EXEMPLO S.A.",
            "amount": None,
            "occurred_on": "2026-03-28",
            "contract": "",
            "city": "CURITIBA",
            "state": "PR",
            "description": "Cheque sem fundo - motivo 12",
        },
        {
            "kind": "protesto",
            "creditor": "1 TABELIAO DE PROTESTO DE CURITIBA",
            "amount": "1200.00",
            "occurred_on": "2026-06-06",
            "contract": "",
            "city": "CURITIBA",
            "state": "PR",
            "description": "",
        },
    ],
    "totals": [
        {"kind": "protesto", "count": 2, "amount": "2045.50"},
        {"kind": "cheque", "count": 3, "amount": "0.00"},
    ],
    "inquiries": [],
    "partners": [],
    "payment_history": None,
    "messages": [],
    "has_restrictions": True,
}


def test_report_stored_before_details_existed_still_decodes() -> None:
    report = report_from_dict(STORED_BEFORE_DETAILS, raw="<xml/>")

    assert report.restrictions == (
        Restriction(
            RestrictionKind.CHEQUE,
            "BANCO EXEMPLO S.A.",
            None,
            dt.date(2026, 3, 28),
            city="CURITIBA",
            state="PR",
            description="Cheque sem fundo - motivo 12",
        ),
        Restriction(
            RestrictionKind.PROTESTO,
            "1 TABELIAO DE PROTESTO DE CURITIBA",
            Decimal("1200.00"),
            dt.date(2026, 6, 6),
            city="CURITIBA",
            state="PR",
        ),
    )
    assert report.totals == (
        KindTotal(RestrictionKind.PROTESTO, 2, Decimal("2045.50")),
        KindTotal(RestrictionKind.CHEQUE, 3, Decimal("0.00")),
    )
    assert (report.company, report.addresses, report.other_information) == (None, (), ())
    assert report.score == Score(310, "SPC Score 12 meses", "F", Decimal("44.00"))
    assert (report.raw, report.identity.birth_date) == ("<xml/>", dt.date(1996, 1, 25))


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
        "bank": "",
        "agency": "",
        "account": "",
        "cheque_number": "",
        "alinea": None,
        "nature": None,
        "notary_office": "",
        "court": "",
        "details": [],
    }
    assert data["totals"] == [
        {"kind": "pefin", "count": 1, "amount": "10.50", "unvalued": 0},
        {"kind": "protesto", "count": 1, "amount": "100", "unvalued": 0},
    ]
    assert (data["billed"], data["identity"]["birth_date"]) == ("yes", "1980-02-03")
