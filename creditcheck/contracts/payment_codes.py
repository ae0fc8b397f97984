"""How an invoice is paid: the boleto's linha digitável and the Pix copia e cola (BR Code).

The one home of their checks (the model fields' validators, hence forms, API and imports) and
of the text a notice prints. A code with a wrong check digit would send the debtor's payment
nowhere, so it is refused rather than stored.

- Linha digitável of a bank boleto: 47 digits, fields 1-3 each end in a modulo-10 digit and the
  5th group's leading digit is the barcode's modulo-11 check (FEBRABAN layout). Of a
  collection (arrecadação/convênio) slip: 48 digits starting with 8, four blocks of 11 digits
  each followed by its modulo-10 (3rd digit 6 or 7) or modulo-11 (8 or 9) check.
- Pix copia e cola: the EMV payload of the Banco Central's BR Code manual, "000201" first, a
  merchant account with the "br.gov.bcb.pix" GUI, and the CRC16-CCITT (0x1021, initial
  0xFFFF) of everything up to and including "6304" as its last four hex digits.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PIX_MAX_LENGTH = 512
DIGITABLE_LINE_MAX_LENGTH = 48
# Factor of the due date: days since 07/10/1997, restarting at 1000 on 22/02/2025 (FEBRABAN).
FACTOR_BASE = dt.date(1997, 10, 7)


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def _mod10(digits: str) -> int:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        product = int(ch) * (2 if i % 2 == 0 else 1)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10


def _weighted11(digits: str) -> int:
    return sum(int(ch) * (2 + i % 8) for i, ch in enumerate(reversed(digits)))


def _barcode_dv(digits43: str) -> int:
    """The general check digit of a bank boleto's barcode (0, 10 and 11 become 1)."""
    dv = 11 - _weighted11(digits43) % 11
    return 1 if dv in (0, 10, 11) else dv


def _collection_mod11(digits: str) -> int:
    rest = _weighted11(digits) % 11
    return 0 if rest in (0, 1) else 11 - rest


def _bank_line_ok(line: str) -> bool:
    fields = ((line[0:9], line[9]), (line[10:20], line[20]), (line[21:31], line[31]))
    if any(_mod10(body) != int(dv) for body, dv in fields):
        return False
    barcode_without_dv = line[0:4] + line[33:47] + line[4:9] + line[10:20] + line[21:31]
    return _barcode_dv(barcode_without_dv) == int(line[32])


def _collection_line_ok(line: str) -> bool:
    check = _mod10 if line[2] in "67" else _collection_mod11 if line[2] in "89" else None
    if check is None:
        return False
    blocks = [line[i : i + 12] for i in range(0, 48, 12)]
    return all(check(block[:11]) == int(block[11]) for block in blocks)


def digitable_line_check(value: str) -> None:
    """Validator of a linha digitável, typed with or without its dots and spaces."""
    if not value:
        return
    if set(value) - set("0123456789. "):
        raise ValidationError(
            _("A linha digitável só tem dígitos (pontos e espaços são ignorados)."),
            code="digitable_line_invalid",
        )
    value = _digits(value)
    if len(value) not in (47, 48):
        raise ValidationError(
            _("A linha digitável tem 47 dígitos (boleto bancário) ou 48 (convênio)."),
            code="digitable_line_length",
        )
    if len(value) == 47:
        ok = _bank_line_ok(value)
    else:
        ok = value[0] == "8" and _collection_line_ok(value)
    if not ok:
        raise ValidationError(
            _("Linha digitável inválida: um dígito verificador não confere."),
            code="digitable_line_invalid",
        )


def digitable_line_clean(value: str) -> str:
    """What the field stores of a typed or imported line: its digits (dots and spaces go)."""
    return _digits(value or "")


def digitable_line_format(value: str) -> str:
    """The line as printed on a boleto: 00190.00009 01234.567890 12345.678901 2 10000000012345."""
    if len(value) == 47:
        v = value
        return f"{v[0:5]}.{v[5:10]} {v[10:15]}.{v[15:21]} {v[21:26]}.{v[26:32]} {v[32]} {v[33:]}"
    if len(value) == 48:
        return " ".join(value[i : i + 12] for i in range(0, 48, 12))
    return value


def crc16(payload: str) -> str:
    crc = 0xFFFF
    for byte in payload.encode("utf-8"):
        crc ^= byte << 8
        for _bit in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return f"{crc:04X}"


def pix_code_check(value: str) -> None:
    """Validator of a Pix copia e cola."""
    if not value:
        return
    if len(value) > PIX_MAX_LENGTH or not value.startswith("000201"):
        raise ValidationError(
            _("Pix copia e cola inválido: deve começar por 000201 (BR Code do Banco Central)."),
            code="pix_code_invalid",
        )
    if "br.gov.bcb.pix" not in value.lower():
        raise ValidationError(
            _("Pix copia e cola inválido: falta o identificador br.gov.bcb.pix."),
            code="pix_code_invalid",
        )
    if value[-8:-4] != "6304" or crc16(value[:-4]) != value[-4:].upper():
        raise ValidationError(
            _("Pix copia e cola inválido: o CRC do código não confere."), code="pix_code_crc"
        )


# ---- builders (the demo data, the ERP sandbox and the tests make valid codes with these) -------


def due_factor(due: dt.date) -> str:
    factor = (due - FACTOR_BASE).days
    while factor > 9999:
        factor -= 9000
    return f"{factor:04d}"


def bank_digitable_line(bank: str, due: dt.date, amount: Decimal, free_field: str) -> str:
    """The 47-digit line of a bank boleto (currency 9 = real) with its check digits."""
    free = _digits(free_field).rjust(25, "0")[-25:]
    value = f"{int(amount * 100):010d}"
    tail = due_factor(due) + value
    dv = _barcode_dv(bank + "9" + tail + free)
    first = bank + "9" + free[0:5]
    second, third = free[5:15], free[15:25]
    return f"{first}{_mod10(first)}{second}{_mod10(second)}{third}{_mod10(third)}{dv}{tail}"


def _tlv(tag: str, value: str) -> str:
    return f"{tag}{len(value):02d}{value}"


def pix_copy_paste(*, key: str, amount: Decimal, txid: str, name: str, city: str) -> str:
    """A static Pix BR Code (copia e cola) for `amount`, paid to `key`, naming `txid`."""
    account = _tlv("00", "br.gov.bcb.pix") + _tlv("01", key)
    payload = (
        _tlv("00", "01")
        + _tlv("26", account)
        + _tlv("52", "0000")
        + _tlv("53", "986")
        + _tlv("54", f"{amount:.2f}")
        + _tlv("58", "BR")
        + _tlv("59", name[:25])
        + _tlv("60", city[:15])
        + _tlv("62", _tlv("05", txid[:25]))
        + "6304"
    )
    return payload + crc16(payload)
