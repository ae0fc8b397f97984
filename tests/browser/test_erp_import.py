"""Importar do ERP in the browser: upload, preview with errors, confirm, rows found, again."""

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from creditcheck.core.models import Branch
from creditcheck.customers.models import Customer
from tests.erp.conftest import COMBINED_CSV
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def import_file(page: Page, path: Path, branch: Branch) -> None:
    page.goto("/configuracoes/importar/")
    page.get_by_label("Arquivo").set_input_files(str(path))
    page.get_by_label("Origem").fill("erp")
    page.get_by_label("Filial dos clientes").select_option(str(branch.pk))
    page.get_by_role("button", name="Enviar e pré-visualizar").click()
    expect(page.get_by_test_id("import-preview")).to_be_visible()


def test_import_csv_preview_errors_confirm_find_rows_and_again_unchanged(
    page: Page,
    log_in: Callable[[str, str], None],
    screenshot: Callable[[str], Path],
    administrator: User,
    branch: Branch,
    tmp_path: Path,
) -> None:
    # Given an export of customers, contracts and invoices with two bad rows
    path = tmp_path / "exportacao.csv"
    path.write_text(COMBINED_CSV, encoding="latin-1")
    log_in(administrator.username, PASSWORD)

    # When the administrator uploads it, the preview shows each row and the two errors
    import_file(page, path, branch)
    preview = page.get_by_test_id("import-preview")
    expect(preview.locator("tbody tr")).to_have_count(4)
    expect(preview.locator("tr[data-ok=nao]")).to_have_count(2)
    expect(preview.locator("tr[data-line='4']")).to_contain_text("CPF inválido")
    expect(preview.locator("tr[data-line='5']")).to_contain_text("coluna valor: valor inválido")
    assert Customer.objects.count() == 0
    screenshot("import_preview")

    # and confirming imports the good rows
    page.get_by_test_id("import-confirm").click()
    expect(page.get_by_test_id("import-status")).to_have_text("Concluída")
    expect(page.get_by_test_id("import-created")).to_have_text("2")
    expect(page.get_by_test_id("import-errors")).to_have_text("2")
    expect(page.get_by_test_id("import-error-report")).to_be_visible()
    screenshot("import_done")

    # Then the rows are found on the screens, by the ERP's id too
    page.goto("/financeiro/faturas/?q=F2")
    rows = page.get_by_test_id("invoice-table").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("IMP-F2")
    expect(rows.first).to_contain_text("Paga")
    page.goto("/clientes/?q=C1")
    expect(page.get_by_text("Maria da Silva")).to_be_visible()

    # and importing the same file again changes nothing
    import_file(page, path, branch)
    page.get_by_test_id("import-confirm").click()
    expect(page.get_by_test_id("import-status")).to_have_text("Concluída")
    expect(page.get_by_test_id("import-unchanged")).to_have_text("2")
    expect(page.get_by_test_id("import-created")).to_have_text("0")
    expect(page.get_by_test_id("import-updated")).to_have_text("0")
    expect(page).to_have_url(re.compile(r"/configuracoes/importar/\d+/$"))
    assert Customer.objects.count() == 1
