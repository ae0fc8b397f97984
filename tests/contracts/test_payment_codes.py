"""The linha digitável and Pix copia e cola of an invoice: their check digits, as stored."""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from creditcheck.contracts.payment_codes import (
    bank_digitable_line,
    digitable_line_check,
    digitable_line_format,
    pix_code_check,
    pix_copy_paste,
)
from creditcheck.core.models import Branch
from tests.factories import InvoiceFactory

# Banco do Brasil's boleto line as printed on a public sample; the Banco Central's BR Code
# manual's example of a static Pix code.
BB_LINE = "00190500954014481606906809350314337370000000100"
BCB_PIX = (
    "00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-4266554400005204000053039865802BR"
    "5913Fulano de Tal6008BRASILIA62070503***63041D3D"
)
# A collection slip (convênio, 3rd digit 6: modulo 10).
COLLECTION_LINE = "846700000017435900240209024050002435842210108119"


def test_published_codes_are_valid() -> None:
    digitable_line_check(BB_LINE)
    digitable_line_check(digitable_line_format(BB_LINE))
    digitable_line_check(COLLECTION_LINE)
    pix_code_check(BCB_PIX)


@pytest.mark.parametrize(
    ("line", "code"),
    [
        (BB_LINE[:-1] + "1", "digitable_line_invalid"),  # the value: the general digit fails
        (BB_LINE[:9] + "6" + BB_LINE[10:], "digitable_line_invalid"),  # field 1's own digit
        (COLLECTION_LINE[:11] + "0" + COLLECTION_LINE[12:], "digitable_line_invalid"),
        (BB_LINE[:-2], "digitable_line_length"),
        (BB_LINE[:20] + "X" + BB_LINE[21:], "digitable_line_invalid"),
    ],
)
def test_line_with_a_wrong_digit_is_refused(line: str, code: str) -> None:
    with pytest.raises(ValidationError) as refused:
        digitable_line_check(line)
    assert refused.value.code == code


@pytest.mark.parametrize(
    ("pix", "code"),
    [
        (BCB_PIX[:-4] + "1D3E", "pix_code_crc"),
        (BCB_PIX.replace("Fulano", "Beltra"), "pix_code_crc"),
        (BCB_PIX.replace("br.gov.bcb.pix", "br.gov.bcb.pax"), "pix_code_invalid"),
        ("000101" + BCB_PIX[6:], "pix_code_invalid"),
    ],
)
def test_pix_code_with_a_wrong_crc_or_shape_is_refused(pix: str, code: str) -> None:
    with pytest.raises(ValidationError) as refused:
        pix_code_check(pix)
    assert refused.value.code == code


def test_built_codes_carry_due_date_amount_and_check_digits() -> None:
    line = bank_digitable_line("001", dt.date(2026, 12, 10), Decimal("129.90"), "123456789")
    digitable_line_check(line)
    # Factor 1656 (days from 22/02/2025, restarted at 1000) and R$ 129,90 close the line.
    assert line[33:] == "16560000012990"
    assert digitable_line_format(line).endswith(" 16560000012990")
    pix = pix_copy_paste(
        key="45723174000110", amount=Decimal("129.90"), txid="TX1", name="PROVEDOR", city="RECIFE"
    )
    pix_code_check(pix)
    assert "5406129.90" in pix


@pytest.mark.django_db
def test_api_stores_the_line_as_digits_and_refuses_a_wrong_pix(
    api_client_for: Callable[[User], APIClient], financial: User, branch: Branch
) -> None:
    invoice = InvoiceFactory.create(contract__customer__branch=branch)
    client = api_client_for(financial)

    ok = client.patch(
        f"/api/v1/invoices/{invoice.pk}/",
        {"digitable_line": digitable_line_format(BB_LINE), "pix_code": BCB_PIX},
        format="json",
    )
    bad = client.patch(
        f"/api/v1/invoices/{invoice.pk}/", {"pix_code": BCB_PIX[:-1] + "E"}, format="json"
    )

    assert ok.status_code == 200, ok.json()
    assert (ok.json()["digitable_line"], ok.json()["pix_code"]) == (BB_LINE, BCB_PIX)
    assert bad.status_code == 400
    assert bad.json()["codes"] == {"pix_code": ["pix_code_crc"]}
    invoice.refresh_from_db()
    assert (invoice.digitable_line, invoice.pix_code) == (BB_LINE, BCB_PIX)
