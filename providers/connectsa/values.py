"""Tolerant readers of Mercúrio values (pure functions, no knowledge of the payload layout).

The platform is a PHP application and Serasa's data comes from fixed-width layouts, so values may
be padded, keys may change case, empty objects may arrive as `[]`, dates may be zeroed
("00/00/0000") and money may be "R$ 1.234,56" or a bare number. What cannot be read as the value
it claims to be raises ProviderProtocolError rather than becoming a wrong number.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from providers.base import ProviderProtocolError
from providers.parsing import plausible_amount

# The platform lives in Brasília time; Brazil has had no daylight saving time since 2019.
BRASILIA = dt.timezone(dt.timedelta(hours=-3), "BRT")


def get(mapping: Mapping[str, Any], name: str) -> Any:
    """mapping[name], falling back to a case-insensitive match (camelCase vs PascalCase)."""
    if name in mapping:
        return mapping[name]
    folded = name.lower()
    for key in mapping:
        if isinstance(key, str) and key.lower() == folded:
            return mapping[key]  # read through [] so that an Answer records it
    return None


def block(mapping: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    """A nested object; {} when absent or when PHP encoded an empty one as []."""
    value = get(mapping, name)
    return value if isinstance(value, Mapping) else {}


def rows(mapping: Mapping[str, Any], name: str) -> list[Mapping[str, Any]]:
    """A list of objects; an object keyed "0", "1"... (PHP sparse arrays) counts as a list."""
    value = get(mapping, name)
    if isinstance(value, Mapping):
        items = list(value.values())
    elif isinstance(value, list):
        items = value
    else:
        return []
    return [item for item in items if isinstance(item, Mapping)]


def text(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def unreadable(what: str, value: Any) -> ProviderProtocolError:
    return ProviderProtocolError(f"{what} ilegível: {str(value)[:40]!r}", code="unreadable_value")


_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def money(value: Any) -> Decimal | None:
    """ "R$ 1.234,56", "1234,56", "1234.56" or a JSON number; None when empty."""
    if isinstance(value, bool):
        raise unreadable("valor", value)
    if isinstance(value, int | float):
        number = str(value)
    else:
        number = re.sub(r"\s", "", text(value).replace("R$", ""))
        if not number:
            return None
        if "," in number:
            number = number.replace(".", "").replace(",", ".")
        elif not re.fullmatch(r"-?\d+\.\d{1,2}", number):
            number = number.replace(".", "")  # "1.234" is a thousands separator
    if not _NUMBER.fullmatch(number):
        raise unreadable("valor", value)
    try:
        amount = Decimal(number)
    except InvalidOperation as exc:
        raise unreadable("valor", value) from exc
    if not plausible_amount(amount):
        raise unreadable("valor", value)
    return amount


def percent(value: Any) -> Decimal | None:
    """ "2,10%" -> Decimal("2.10")."""
    return money(value.replace("%", "") if isinstance(value, str) else value)


def count(value: Any) -> int:
    number = optional_count(value)
    return 0 if number is None else number


def optional_count(value: Any) -> int | None:
    """A non-negative integer sent as a string or a number; None when absent or empty."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    digits = value.strip() if isinstance(value, str) else None
    if digits == "":
        return None
    # Thirteen digits at most: no count is that large, and int() refuses over 4300.
    if digits is None or not (digits.isascii() and digits.isdigit()) or len(digits) > 13:
        raise unreadable("quantidade", value)
    return int(digits)


def br_date(value: Any) -> dt.date | None:
    raw = text(value) if isinstance(value, str) else ""
    if not raw or raw.strip("0/-") == "":  # "", "00/00/0000", "0000-00-00"
        return None
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
    raise unreadable("data", value)


def br_datetime(value: Any) -> dt.datetime | None:
    raw = text(value) if isinstance(value, str) else ""
    if not raw or raw.strip("0/-: ") == "":
        return None
    for pattern in ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M:%S"):
        try:
            return dt.datetime.strptime(raw, pattern).replace(tzinfo=BRASILIA)
        except ValueError:
            continue
    raise unreadable("data e hora", value)


def document_number(value: Any) -> str:
    """A CPF/CNPJ as sent back, without mask: "529.982.247-25" -> "52998224725"."""
    return re.sub(r"[\s./-]", "", text(value)).upper()


def fold(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
