"""Every detail of a report on the result screen and in our PDF: store cheques with their value,
bank and alínea, amounts the platform did not inform, a company's fields and what the parser
could not map ("Outras informações"). Queries reach the SPC Brasil sandbox over real HTTP."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.contrib.auth.models import User
from django.test import Client

from creditcheck.analysis.models import CreditQuery
from creditcheck.core.models import Branch
from providers.sandbox.scenarios import (
    COMPANY_PARTNERS_CNPJ,
    IDENTITY_DIVERGENCE_CPF,
    PROTESTS_CHEQUES_CPF,
    RETURNED_CHEQUES_CPF,
    subject_for,
)
from providers.sandbox.server import RunningSandbox
from tests.analysis.test_views import consult
from tests.credit_setup import identity_divergent_customer, integration_on
from tests.html import texts, texts_by_testid

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response


transactional = pytest.mark.django_db(transaction=True)


@dataclass(frozen=True)
class Desk:
    """An attendant at a branch that consults the SPC Brasil sandbox."""

    client: Client
    branch: Branch

    def result(self, document: str) -> Response:
        """Consult `document` and open the result screen."""
        return self.result_of(document=document)

    def result_of(self, **subject: object) -> Response:
        """Consult `subject` (document=, customer=, ...) and open the result screen."""
        consult(self.client, self.branch, **subject)
        query = CreditQuery.objects.get()
        return self.client.get(f"/analise-credito/{query.pk}/")


@pytest.fixture
def desk(
    client_for: Callable[[User], Client], attendant: User, branch: Branch, sandbox: RunningSandbox
) -> Desk:
    integration_on(branch, sandbox, "spcbrasil")
    return Desk(client_for(attendant), branch)


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
def test_store_cheque_shows_value_bank_and_alinea_on_the_result(desk: Desk) -> None:
    result = desk.result(RETURNED_CHEQUES_CPF)

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
    assert texts_by_testid(result, "row-amount") == [
        "R$ 1.234,56",
        "R$ 380,00",
        "valor não informado",
    ]
    assert texts_by_testid(result, "section-badge") == ["3 · R$ 1.614,56 (1 sem valor informado)"]
    assert texts_by_testid(result, "section-total") == ["R$ 1.614,56 (1 sem valor informado)"]


@transactional
def test_cheques_without_value_never_read_zero_reais(desk: Desk) -> None:
    result = desk.result(PROTESTS_CHEQUES_CPF)

    page = result.content.decode()
    assert texts_by_testid(result, "section-badge") == [
        "2 · R$ 2.045,50",
        "3 · valor não informado",
    ]
    assert texts_by_testid(result, "row-amount")[2:] == ["valor não informado"] * 3
    assert texts_by_testid(result, "restriction-count") == ["5 ocorrências"]
    assert texts_by_testid(result, "restriction-amount") == ["R$ 2.045,50 (3 sem valor informado)"]
    assert texts_by_testid(result, "row-amount")[:2] == ["R$ 1.200,00", "R$ 845,50"]
    assert "R$ 0,00" not in page
    protests = texts(
        result,
        '//*[@data-testid="section"][.//span[.="Protestos"]]//*[@data-testid="restriction"]',
    )
    assert "Cartório: 1º TABELIONATO DE PROTESTO DE CURITIBA" in protests[0]


@transactional
def test_store_cheque_shows_value_bank_and_alinea_in_the_pdf(desk: Desk, tmp_path: Path) -> None:
    desk.result(RETURNED_CHEQUES_CPF)

    text = " ".join(_pdf_text(desk.client, tmp_path).split())

    expected = (
        "SUPERMERCADO EXEMPLO LTDA",
        "R$ 1.234,56",
        "Banco: 341 - ITAU UNIBANCO S.A.",
        "Alínea: 11 - CHEQUE SEM FUNDOS - 1A APRESENTACAO",
        "Cheque nº: 000245-7",
        "valor não informado",
        "Total R$ 1.614,56 (1 sem valor informado)",
        "Outras informações",
        "operador/@nome",
    )
    assert [phrase for phrase in expected if phrase not in text] == []
    assert "R$ 0,00" not in text


@transactional
def test_company_result_shows_company_fields_and_partners_not_a_mother(
    desk: Desk, tmp_path: Path
) -> None:
    company = subject_for(COMPANY_PARTNERS_CNPJ).company
    assert company is not None

    result = desk.result(COMPANY_PARTNERS_CNPJ)

    identity = texts_by_testid(result, "identity")[0]
    shown = (
        "Razão social COMERCIO EXEMPLO LTDA",
        f"Nome fantasia {company.trade_name}",
        "Natureza jurídica 2062 - SOCIEDADE EMPRESARIA LIMITADA",
        f"CNAE principal {' - '.join(company.main_activity)}",
        "Capital social R$ 150.000,00",
        f"Situação na Receita ATIVA desde {company.situation_on:%d/%m/%Y}",
    )
    assert [phrase for phrase in shown if phrase not in identity] == []
    assert "mãe" not in identity
    assert "MARIA EXEMPLO DA SILVA" in result.content.decode()  # sócios
    text = " ".join(_pdf_text(desk.client, tmp_path).split())
    printed = ("Razão social COMERCIO EXEMPLO LTDA", "CNAE principal 4711302", "JOAO MODELO SOUZA")
    assert [phrase for phrase in printed if phrase not in text] == []
    assert "Quadro societário" in text and "Nome da mãe" not in text


@transactional
def test_result_lists_what_the_platform_sent_beyond_the_report_fields(
    desk: Desk,
) -> None:
    result = desk.result(RETURNED_CHEQUES_CPF)

    rows = texts(result, '//*[@data-testid="other-information"]//tbody/tr')
    assert "Operador do SPC: nome OPERADOR SANDBOX operador/@nome" in rows
    assert (
        "Consultas anteriores: período (dias) 90 consulta-realizada/@quantidade-dias-consultados"
        in rows
    )


@transactional
def test_identity_divergence_warns_at_the_top_of_the_result_and_in_the_pdf(
    desk: Desk, tmp_path: Path
) -> None:
    customer = identity_divergent_customer(desk.branch)

    result = desk.result_of(customer=customer.pk)

    warning = texts_by_testid(result, "identity-divergences")
    assert len(warning) == 1
    assert warning[0].startswith("Divergência de identidade: nome, data de nascimento")
    assert texts_by_testid(result, "identity-divergence") == [
        "Nome: no cadastro “Roberta Carla de Oliveira”, na plataforma “ROBERTO CARLOS DE OLIVEIRA”",
        "Data de nascimento: no cadastro “06/02/1979”, na plataforma “02/06/1979”",
    ]
    page = result.content.decode()
    assert page.index('data-testid="identity-divergences"') < page.index('data-testid="score"')
    text = " ".join(_pdf_text(desk.client, tmp_path).split())
    assert "Divergência de identidade: os dados da plataforma diferem do cadastro." in text
    assert "Data de nascimento: no cadastro “06/02/1979”, na plataforma “02/06/1979”" in text


@transactional
def test_result_of_a_bare_document_shows_no_identity_warning(desk: Desk, tmp_path: Path) -> None:
    result = desk.result(IDENTITY_DIVERGENCE_CPF)

    assert texts_by_testid(result, "identity-divergences") == []
    assert "Divergência de identidade" not in _pdf_text(desk.client, tmp_path)
