"""Reading exports (creditcheck/erp/importing.py): encodings, Brazilian formats, XLSX formulas."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from creditcheck.erp.importing import (
    ImportFileError,
    columns_for,
    date,
    money,
    read_table,
    row_items,
)
from tests.erp.conftest import COMBINED_CSV


def test_latin1_csv_is_detected_and_read() -> None:
    data = "codigo_cliente;nome;cidade\nC1;José Conceição;São João\n".encode("latin-1")

    table = read_table(data, "clientes.csv")

    assert table.rows == [["C1", "José Conceição", "São João"]]
    assert table.encoding != "utf-8"


def test_utf8_bom_and_comma_delimiter() -> None:
    table = read_table("\ufeffCódigo Cliente,Nome\nC1,Ana\n".encode(), "x.csv")

    assert (table.headers, table.rows, table.encoding) == (
        ["codigo_cliente", "nome"],
        [["C1", "Ana"]],
        "utf-8",
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1.234,56", "1234.56"), ("R$ 99,9", "99.90"), ("1234.5", "1234.50"), (12.5, "12.50"),
     ("", "")],
)  # fmt: skip
def test_money_reads_brazilian_numbers(value: object, expected: str) -> None:
    assert money(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("31/12/2026", "2026-12-31"), ("2026-12-31", "2026-12-31"), ("0000-00-00", "")],
)
def test_date_reads_brazilian_and_iso(value: str, expected: str) -> None:
    assert date(value) == expected


def test_row_with_letters_in_amount_is_a_cell_error_in_portuguese() -> None:
    table = read_table(COMBINED_CSV.encode(), "x.csv")
    columns = columns_for("generic", table.headers)

    items, errors = row_items(columns, table.headers, table.rows[3])

    assert errors == ["coluna valor: valor inválido"]
    assert items["contracts"]["customer_external_id"] == "C3"
    assert items["invoices"]["contract_external_id"] == "K3"


def test_xlsx_formula_counts_by_its_calculated_value() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["codigo_fatura", "numero_fatura", "valor"])
    sheet.append(["F1", "N1", "=10+5"])
    buffer = io.BytesIO()
    book.save(buffer)

    table = read_table(buffer.getvalue(), "faturas.xlsx")

    # openpyxl writes no cached result: the formula cell reads empty, never as "=10+5" text.
    assert table.rows == [["F1", "N1", ""]]


def test_unknown_header_and_wrong_extension_are_refused() -> None:
    with pytest.raises(ImportFileError, match="Nenhuma coluna de código"):
        columns_for("generic", ["foo", "bar"])
    with pytest.raises(ImportFileError, match="IXC"):
        columns_for("ixc", ["codigo_cliente"])
    with pytest.raises(ImportFileError, match=r"\.csv ou \.xlsx"):
        read_table(b"x", "dados.pdf")
