"""Values written the way the Brazilian platforms write them, shared by every sandbox: money,
percentages, dates, Brasília times and masked documents. Pure functions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

# Brasília time is UTC-3 all year (no daylight saving time since 2019).
BRASILIA_OFFSET = dt.timedelta(hours=-3)


def brl(amount: Decimal) -> str:
    """Decimal("1234.5") -> "R$ 1.234,50"."""
    return "R$ " + f"{amount:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


def decimal_text(amount: Decimal) -> str:
    """Decimal("1234.5") -> "1234.50": an amount in a JSON string or an XML attribute."""
    return f"{amount:.2f}"


def br_percent(value: Decimal) -> str:
    """Decimal("12.5") -> "12,50%"."""
    return f"{value:.2f}%".replace(".", ",")


def br_date(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def brasilia(moment: dt.datetime) -> dt.datetime:
    """A UTC instant (the sandbox clock's) as the wall-clock time in Brasília, without an offset."""
    return (moment + BRASILIA_OFFSET).replace(tzinfo=None)


def br_datetime(moment: dt.datetime) -> str:
    """A UTC instant as Brasília time, "dd/mm/yyyy hh:mm:ss"."""
    return brasilia(moment).strftime("%d/%m/%Y %H:%M:%S")


def masked_document(document: str) -> str:
    """A normalized CPF (11) or CNPJ (14 characters) with its mask; anything else as it is."""
    if len(document) == 11:
        return f"{document[:3]}.{document[3:6]}.{document[6:9]}-{document[9:]}"
    if len(document) == 14:
        return f"{document[:2]}.{document[2:5]}.{document[5:8]}/{document[8:12]}-{document[12:]}"
    return document
