"""CSV exports for Excel in pt-BR (`;`-separated), with formula-like cells defused.

Excel, LibreOffice and Google Sheets run a cell that starts with = + - @ (or a tab or carriage
return) as a formula. Names, addresses and platform texts end up in the exports, so a customer
named `=HYPERLINK(...)` or `=cmd|' /C calc'!A0` would run on the computer of whoever opens the
file (CSV injection). Such cells get a leading apostrophe, which shows them as typed.
"""

import csv
import re
from collections.abc import Iterable
from typing import Any, Protocol

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Our own figures ("-12,50", "-3") are numbers, not formulas: they stay numbers.
_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")


class _Sink(Protocol):
    def write(self, value: str, /) -> Any: ...


def spreadsheet_cell(value: object) -> str:
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


class SpreadsheetWriter:
    """csv.writer with `;` as separator whose rows are defused cell by cell."""

    def __init__(self, sink: _Sink) -> None:
        self._writer = csv.writer(sink, delimiter=";")

    def writerow(self, row: Iterable[object]) -> Any:
        """Write one row; returns what the sink's write returned (the line, for echo sinks)."""
        return self._writer.writerow([spreadsheet_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)
