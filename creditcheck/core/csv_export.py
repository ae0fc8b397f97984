"""The one CSV exporter: every CSV the app hands out is streamed through `csv_response`, for
Excel in pt-BR (`;`-separated, UTF-8 with a BOM, decimals with a comma) with formula-like
cells defused.

Excel, LibreOffice and Google Sheets run a cell that starts with = + - @ (or a tab or carriage
return) as a formula. Names, addresses and platform texts end up in the exports, so a customer
named `=HYPERLINK(...)` or `=cmd|' /C calc'!A0` would run on the computer of whoever opens the
file (CSV injection). Such cells get a leading apostrophe, which shows them as typed.
"""

import csv
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.http import StreamingHttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Our own figures ("-12,50", "-3") are numbers, not formulas: they stay numbers.
_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")
BOM = "\ufeff"

Row = Iterable[object]


def spreadsheet_cell(value: object) -> str:
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def decimal_cell(value: Decimal | None) -> str:
    """Excel in pt-BR reads "1234,56" as a number: comma decimals, no thousands separator."""
    return "" if value is None else f"{value:.2f}".replace(".", ",")


class _Echo:
    """A file-like sink for csv.writer: hands each line back instead of buffering the file."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: Row, rows: Iterable[Row]) -> Iterator[str]:
    """The CSV's lines, one at a time: the header (after the BOM), then each row, defused."""
    writer = csv.writer(_Echo(), delimiter=";")
    yield BOM + writer.writerow([spreadsheet_cell(value) for value in header])
    for row in rows:
        yield writer.writerow([spreadsheet_cell(value) for value in row])


def csv_response(*, filename: str, header: Row, rows: Iterable[Row]) -> StreamingHttpResponse:
    """A CSV attachment streamed as `rows` are produced (a generator keeps memory flat)."""
    response = StreamingHttpResponse(
        csv_lines(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
