"""Every detail of a report on the result screen and in our PDF: store cheques with their value,
bank and alínea, amounts the platform did not inform, a company's fields and what the parser
could not map ("Outras informações"). Queries reach the SPC Brasil sandbox over real HTTP."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.contrib.auth.models import User
from django.test import Client

from creditcheck.analysis.models import CreditQuery
from creditcheck.core.models import Branch
from providers.sandbox.scenarios import subject_for
from providers.sandbox.server import RunningSandbox
from tests.analysis.test_views import by_testid, client_for, consult, texts
from tests.credit_setup import connect_branch, enable_credit_analysis

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

__all__ = ["client_for"]  # the fixture, shared with test_views

RETURNED_CHEQUES_CPF = "26051974334"  # two store cheques with value, one CCF record without
PROTESTS_CHEQUES_CPF = "11144477735"  # protests with cartório, three CCF records without value
COMPANY_WITH_PARTNERS = "12ABC34501DE35"

transactional = pytest.mark.django_db(transaction=True)


def _result(client: Client, branch: Branch, sandbox: RunningSandbox, document: str) -> Response:
    enable_credit_analysis()
    connect_branch(branch, sandbox, "spcbrasil")
    consult(client, branch, document=document)
    query = CreditQuery.objects.get()
    return client.get(f"/analise-credito/{query.pk}/")


def _pdf_text(client: Client, tmp_path: Path) -> str:
    """The PDF's text in reading order (not -layout), so that a wrapped cell reads as one."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) not installed")
    query = CreditQuery.objects.get()
    response = client.get(f"/analise-credito/{query.pk}/relatorio.pdf")
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "relatorio.pdf"
    path.write_bytes(response.content)
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _cheques(result: Response) -> list[str]:
    return texts(
        result,
        '//*[@data-testid="section"][.//span[.="Cheques sem fundo"]]'
        '//*[@data-testid="restriction"]',
    )


@transactional
def test_store_cheque_shows_value_bank_and_alinea_on_the_result(
    client_for: Callable[[User], Client], attendant: User, branch: Branch, sandbox: RunningSandbox
) -> None:
    result = _result(client_for(attendant), branch, sandbox, RETURNED_CHEQUES_CPF)

    cheques = _cheques(result)
    assert len(cheques) == 3
    assert cheques[0].startswith(
        "Cheque sem fundo Cheque devolvido ao lojista SUPERMERCADO EXEMPLO LTDA"
    )
    assert (
        "R$ 1.234,56 Banco: 341 - ITAU UNIBANCO S.A. Agência: 0123 Cheque nº: 000245-7 "
        "Alínea: 11 - CHEQUE SEM FUNDOS - 1A APRESENTACAO Emissão do cheque:"
    ) in cheques[0]
    assert "Banco: 341 - ITAU UNIBANCO S.A." in cheques[2]
    assert "Alínea: 12 - Cheque sem fundos - 2ª apresentação" in cheques[2]  # Bacen's table
    assert by_testid(result, "row-amount") == [
        "R$ 1.234,56",
        "R$ 380,00",
        "valor não informado",
    ]
    assert by_testid(result, "section-badge") == ["3 · R$ 1.614,56 (1 sem valor informado)"]
    assert by_testid(result, "section-total") == ["R$ 1.614,56 (1 sem valor informado)"]


@transactional
def test_cheques_without_value_never_read_zero_reais(
    client_for: Callable[[User], Client], attendant: User, branch: Branch, sandbox: RunningSandbox
) -> None:
    result = _result(client_for(attendant), branch, sandbox, PROTESTS_CHEQUES_CPF)

    page = result.content.decode()
    assert by_testid(result, "section-badge") == ["2 · R$ 2.045,50", "3 · valor não informado"]
    assert by_testid(result, "row-amount")[2:] == ["valor não informado"] * 3
    assert by_testid(result, "restriction-count") == ["5 ocorrências"]
    assert by_testid(result, "restriction-amount") == ["R$ 2.045,50 (3 sem valor informado)"]
    assert by_testid(result, "row-amount")[:2] == ["R$ 1.200,00", "R$ 845,50"]
    assert "R$ 0,00" not in page
    protests = texts(
        result,
        '//*[@data-testid="section"][.//span[.="Protestos"]]//*[@data-testid="restriction"]',
    )
    assert "Cartório: 1º TABELIONATO DE PROTESTO DE CURITIBA" in protests[0]


@transactional
def test_store_cheque_shows_value_bank_and_alinea_in_the_pdf(
    client_for: Callable[[User], Client],
    attendant: User,
    branch: Branch,
    sandbox: RunningSandbox,
    tmp_path: Path,
) -> None:
    client = client_for(attendant)
    _result(client, branch, sandbox, RETURNED_CHEQUES_CPF)

    text = " ".join(_pdf_text(client, tmp_path).split())

    assert "SUPERMERCADO EXEMPLO LTDA" in text
    assert "R$ 1.234,56" in text
    assert "Banco: 341 - ITAU UNIBANCO S.A." in text
    assert "Alínea: 11 - CHEQUE SEM FUNDOS - 1A APRESENTACAO" in text
    assert "Cheque nº: 000245-7" in text
    assert "valor não informado" in text
    assert "Total R$ 1.614,56 (1 sem valor informado)" in text
    assert "R$ 0,00" not in text
    assert "Outras informações" in text and "operador/@nome" in text


@transactional
def test_company_result_shows_company_fields_and_partners_not_a_mother(
    client_for: Callable[[User], Client],
    attendant: User,
    branch: Branch,
    sandbox: RunningSandbox,
    tmp_path: Path,
) -> None:
    client = client_for(attendant)
    company = subject_for(COMPANY_WITH_PARTNERS).company
    assert company is not None

    result = _result(client, branch, sandbox, COMPANY_WITH_PARTNERS)

    identity = by_testid(result, "identity")[0]
    assert "Razão social COMERCIO EXEMPLO LTDA" in identity
    assert f"Nome fantasia {company.trade_name}" in identity
    assert "Natureza jurídica 2062 - SOCIEDADE EMPRESARIA LIMITADA" in identity
    assert f"CNAE principal {' - '.join(company.main_activity)}" in identity
    assert "Capital social R$ 150.000,00" in identity
    assert f"Situação na Receita ATIVA desde {company.situation_on:%d/%m/%Y}" in identity
    assert "mãe" not in identity
    assert "MARIA EXEMPLO DA SILVA" in result.content.decode()  # sócios
    text = " ".join(_pdf_text(client, tmp_path).split())
    assert "Razão social COMERCIO EXEMPLO LTDA" in text
    assert "CNAE principal 4711302" in text
    assert "Nome da mãe" not in text
    assert "Quadro societário" in text and "JOAO MODELO SOUZA" in text


@transactional
def test_result_lists_what_the_platform_sent_beyond_the_report_fields(
    client_for: Callable[[User], Client], attendant: User, branch: Branch, sandbox: RunningSandbox
) -> None:
    result = _result(client_for(attendant), branch, sandbox, RETURNED_CHEQUES_CPF)

    rows = texts(result, '//*[@data-testid="other-information"]//tbody/tr')
    assert "Operador do SPC: nome OPERADOR SANDBOX operador/@nome" in rows
    assert (
        "Consultas anteriores: período (dias) 90 consulta-realizada/@quantidade-dias-consultados"
        in rows
    )
