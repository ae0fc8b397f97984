"""The one CSV exporter: streamed, `;`-separated, UTF-8 with BOM, formula-like cells defused."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from creditcheck.core.csv_export import csv_lines, csv_response, decimal_cell, spreadsheet_cell


def test_lines_start_with_bom_and_defuse_formulas() -> None:
    lines = list(csv_lines(["Nome", "Valor"], [["=1+1", "-12,50"], ["Ana; Lima", "@SUM(A1)"]]))

    assert lines == [
        "\ufeffNome;Valor\r\n",
        "'=1+1;-12,50\r\n",
        '"Ana; Lima";\'@SUM(A1)\r\n',
    ]


def test_cells_keep_our_negative_numbers() -> None:
    assert [spreadsheet_cell(v) for v in ("-3", "-12,50", "-x", "+1", "\tcmd")] == [
        "-3",
        "-12,50",
        "'-x",
        "'+1",
        "'\tcmd",
    ]


def test_decimal_cell_has_comma_and_no_grouping() -> None:
    assert [decimal_cell(v) for v in (Decimal("1234.5"), Decimal("-0.1"), None)] == [
        "1234,50",
        "-0,10",
        "",
    ]


def test_response_streams_rows_as_they_are_produced() -> None:
    produced: list[int] = []

    def rows() -> Iterator[list[int]]:
        for n in range(3):
            produced.append(n)
            yield [n]

    response = csv_response(filename="x.csv", header=["n"], rows=rows())
    assert produced == []  # nothing read before the response is sent
    body = response.getvalue()

    assert (response["Content-Type"], response["Content-Disposition"]) == (
        "text/csv; charset=utf-8",
        'attachment; filename="x.csv"',
    )
    assert body.decode("utf-8") == "\ufeffn\r\n0\r\n1\r\n2\r\n"
    assert produced == [0, 1, 2]
