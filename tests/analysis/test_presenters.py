"""What the result screen and the PDF are fed: amounts honest about what the platform did not
inform, bureau codes with their descriptions, a company's fields for a CNPJ."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from creditcheck.analysis.enums import QueryStatus, SubjectType
from creditcheck.analysis.models import CreditQuery
from creditcheck.analysis.presenters import (
    amount_summary,
    coded,
    identity_facts,
    report_context,
    restriction_facts,
)
from creditcheck.core.models import Branch
from providers import base
from providers.base import BureauCode, Company, Identity, PersonType, Restriction
from tests.providers.test_codec import STORED_BEFORE_DETAILS


@pytest.mark.parametrize(
    ("amount", "count", "unvalued", "shown"),
    [
        (Decimal("1234.56"), 2, 0, "R$ 1.234,56"),
        (Decimal("0"), 3, 3, "valor não informado"),
        (Decimal("1234.56"), 4, 2, "R$ 1.234,56 (2 sem valor informado)"),
        (Decimal("0"), 0, 0, "R$ 0,00"),
    ],
)
def test_amount_summary_says_when_no_value_was_informed(
    amount: Decimal, count: int, unvalued: int, shown: str
) -> None:
    assert amount_summary(amount, count, unvalued) == shown


def test_coded_puts_the_raw_code_beside_its_description() -> None:
    assert coded(BureauCode("12", "Cheque sem fundos - 2ª apresentação")) == (
        "12 - Cheque sem fundos - 2ª apresentação"
    )
    assert coded(BureauCode("99")) == "99"
    assert coded(None) == ""


def test_restriction_facts_list_cheque_fields_then_details() -> None:
    cheque = Restriction(
        base.RestrictionKind.CHEQUE,
        bank="341 - ITAU UNIBANCO S.A.",
        agency="0123",
        cheque_number="000245-7",
        alinea=BureauCode("11", "Cheque sem fundos - 1ª apresentação"),
        details=(base.Detail("Emissão do cheque", "20/02/2025"),),
    )

    assert restriction_facts(cheque) == [
        ("Banco", "341 - ITAU UNIBANCO S.A."),
        ("Agência", "0123"),
        ("Cheque nº", "000245-7"),
        ("Alínea", "11 - Cheque sem fundos - 1ª apresentação"),
        ("Emissão do cheque", "20/02/2025"),
    ]


def _report(identity: Identity, company: Company | None = None) -> base.CreditReport:
    return base.CreditReport(
        platform="spcbrasil",
        product="257",
        identity=identity,
        protocol="1",
        billed=base.Billed.YES,
        raw="",
        company=company,
        addresses=(base.Address("06455020", "TOCANTINS", "125", "ALPHAVILLE", "BARUERI", "SP"),),
    )


def test_identity_facts_of_a_company_show_company_fields_and_no_mother() -> None:
    report = _report(
        Identity("EMPRESA TESTE LTDA", "02178451000149", PersonType.COMPANY, dt.date(2018, 1, 2)),
        Company(
            trade_name="EMPRESA TESTE",
            legal_nature=BureauCode("2062", "SOCIEDADE EMPRESARIA LIMITADA"),
            main_activity=BureauCode("6190601", "PROVEDORES DE ACESSO"),
            capital=Decimal("150000.00"),
            situation_on=dt.date(2025, 1, 7),
        ),
    )

    assert identity_facts(report) == [
        ("Razão social", "EMPRESA TESTE LTDA"),
        ("Nome fantasia", "EMPRESA TESTE"),
        ("Fundação", "02/01/2018"),
        ("Situação na Receita", "—"),
        ("Natureza jurídica", "2062 - SOCIEDADE EMPRESARIA LIMITADA"),
        ("CNAE principal", "6190601 - PROVEDORES DE ACESSO"),
        ("Capital social", "R$ 150.000,00"),
        ("Endereço", "TOCANTINS, 125 - ALPHAVILLE - BARUERI/SP - CEP 06455-020"),
    ]


def test_identity_facts_of_a_person_keep_the_mother_even_when_blank() -> None:
    report = _report(Identity("FULANO", "52998224725", PersonType.PERSON, dt.date(1980, 2, 3)))

    assert identity_facts(report)[:4] == [
        ("Nome", "FULANO"),
        ("Nascimento", "03/02/1980"),
        ("Nome da mãe", "—"),
        ("Situação na Receita", "—"),
    ]


@pytest.mark.django_db
def test_report_stored_before_details_shows_ccf_amount_as_not_informed(
    attendant: User, branch: Branch
) -> None:
    cheques = [STORED_BEFORE_DETAILS["restrictions"][0]] * 3  # type: ignore[index]
    stored = {**STORED_BEFORE_DETAILS, "restrictions": cheques}
    query = CreditQuery.objects.create(
        subject_type=SubjectType.DOCUMENT,
        document="11144477735",
        branch=branch,
        user=attendant,
        status=QueryStatus.SUCCEEDED,
        platform="spcbrasil",
        report=stored,
    )

    context = report_context(query)

    cheque_section = next(s for s in context["sections"] if s["title"] == "Cheques sem fundo")
    assert (cheque_section["count"], cheque_section["amount_text"]) == (3, "valor não informado")
    assert [row["amount"] for row in cheque_section["rows"]] == ["valor não informado"] * 3
    assert context["total_amount_text"] == "R$ 2.045,50 (3 sem valor informado)"
    assert query.restriction_unvalued == 3
