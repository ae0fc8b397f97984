"""Reading an ERP's export (CSV or XLSX) into sync items: pure functions, no database.

A file is read by the csv module (encoding detected by charset-normalizer, delimiter sniffed)
or by openpyxl (the first sheet, values as last calculated: a formula counts by its result).
Its header row is matched against a column preset (`PRESETS`): the generic layout of
CreditCheck, or the columns of IXCProvedor's `cliente`, `cliente_contrato` and `fn_areceber`
exports (../shared/docs/ERP-AND-PAYMENTS.md §1.4; IXC's values: S/N flags, A/R/C statuses).
Each row gives up to three items (a customer, its contract, its invoice) in the format of
`creditcheck/erp/sync.py`; Brazilian numbers ("1.234,56") and dates ("31/12/2026") are
converted here, everything else is validated by the sync as if it came through the API.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from charset_normalizer import from_bytes

KINDS = ("customers", "contracts", "invoices")
MAX_ROWS = 500_000
LEGACY_ENCODINGS = ["cp1252", "latin_1", "cp850", "utf_16"]


class ImportFileError(Exception):
    """The file as a whole cannot be read (a Portuguese message for the upload form)."""


@dataclass
class Table:
    headers: list[str]
    rows: list[list[Any]]
    encoding: str


def read_table(data: bytes, name: str) -> Table:
    if name.lower().endswith(".xlsx"):
        return _read_xlsx(data)
    if name.lower().endswith((".csv", ".txt")):
        return _read_csv(data)
    raise ImportFileError("Envie um arquivo .csv ou .xlsx.")


def _read_csv(data: bytes) -> Table:
    if data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    else:
        try:
            data.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError:
            # Brazilian exports that are not UTF-8 are Windows-1252 / Latin-1 (or the old DOS
            # code page, or UTF-16 from some spreadsheets): detect among those.
            best = from_bytes(data[:200_000], cp_isolation=LEGACY_ENCODINGS).best()
            encoding = best.encoding if best is not None else "cp1252"
    text = data.decode(encoding, errors="replace")
    try:
        dialect = csv.Sniffer().sniff(text[:20_000], delimiters=";,\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = [row for row in reader if any(cell.strip() for cell in row)]
    return _table(rows, "utf-8" if encoding == "utf-8-sig" else encoding)


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ImportFileError("Não foi possível ler a planilha XLSX.") from exc
    sheet = book.worksheets[0]
    rows: list[list[Any]] = []
    for values in sheet.iter_rows(values_only=True):
        if len(rows) > MAX_ROWS + 1:
            break
        cells = ["" if value is None else value for value in values]
        if any(str(cell).strip() for cell in cells):
            rows.append(cells)
    book.close()
    return _table(rows, "xlsx")


def _table(rows: list[list[Any]], encoding: str) -> Table:
    if not rows:
        raise ImportFileError("O arquivo está vazio.")
    if len(rows) - 1 > MAX_ROWS:
        raise ImportFileError(f"O arquivo passa de {MAX_ROWS:,} linhas.".replace(",", "."))
    headers = [normalize_header(str(cell)) for cell in rows[0]]
    return Table(headers, rows[1:], encoding)


def normalize_header(text: str) -> str:
    """'Data de Vencimento' -> 'data_de_vencimento' (no accents, lowercase, underscores)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")


# ---- values ------------------------------------------------------------------------------------


class CellError(ValueError):
    pass


def text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def money(value: Any) -> str:
    """'1.234,56', '1234,56', '1234.56' or a spreadsheet number -> '1234.56'."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return f"{Decimal(str(value)):.2f}"
    raw = str(value).strip().replace("R$", "").replace(" ", "")
    if not raw:
        return ""
    if "," in raw:
        raw = raw.replace(".", "").replace(",", ".")
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        raise CellError("valor inválido") from None
    if not amount.is_finite():
        raise CellError("valor inválido")
    return f"{amount:.2f}"


def date(value: Any) -> str:
    """'31/12/2026', '2026-12-31' or a spreadsheet date -> '2026-12-31'; '' for empty."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    raw = str(value).strip()
    if raw in ("", "0000-00-00", "00/00/0000"):
        return ""
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%d/%m/%y"):
        try:
            return dt.datetime.strptime(raw, pattern).date().isoformat()
        except ValueError:
            continue
    raise CellError("data inválida (use DD/MM/AAAA)")


def choice(mapping: dict[str, str]) -> Callable[[Any], str]:
    def convert(value: Any) -> str:
        key = normalize_header(text(value))
        if not key:
            return ""
        if key not in mapping:
            raise CellError(f"valor não reconhecido: {text(value)}")
        return mapping[key]

    return convert


CUSTOMER_STATUS = {"ativo": "active", "inativo": "inactive", "s": "active", "n": "inactive",
                   "active": "active", "inactive": "inactive"}  # fmt: skip
CONTRACT_STATUS = {"ativo": "active", "suspenso": "suspended", "cancelado": "cancelled",
                   "a": "active", "i": "suspended", "d": "cancelled", "n": "suspended",
                   "active": "active", "suspended": "suspended",
                   "cancelled": "cancelled"}  # fmt: skip
INVOICE_STATUS = {"aberta": "open", "em_aberto": "open", "paga": "paid", "cancelada": "cancelled",
                  "renegociada": "renegotiated", "a": "open", "r": "paid", "c": "cancelled",
                  "open": "open", "paid": "paid", "cancelled": "cancelled"}  # fmt: skip

Converter = Callable[[Any], str]
# preset -> header -> (kind, field, converter)
Columns = dict[str, tuple[str, str, Converter]]


def _columns(kind: str, spec: dict[str, tuple[str, Converter]]) -> Columns:
    return {header: (kind, field, convert) for header, (field, convert) in spec.items()}


GENERIC: Columns = {
    **_columns("customers", {
        "codigo_cliente": ("external_id", text), "nome": ("name", text),
        "cpf_cnpj": ("document", text), "data_nascimento": ("birth_date", date),
        "nome_mae": ("mother_name", text), "cep": ("cep", text), "logradouro": ("street", text),
        "numero": ("number", text), "complemento": ("complement", text),
        "bairro": ("district", text), "cidade": ("city", text), "uf": ("state", text),
        "telefone": ("phone", text), "email": ("email", text),
        "situacao_cliente": ("status", choice(CUSTOMER_STATUS)),
    }),
    **_columns("contracts", {
        "codigo_contrato": ("external_id", text), "plano": ("plan", text),
        "valor_mensal": ("monthly_amount", money), "data_inicio": ("start_date", date),
        "situacao_contrato": ("status", choice(CONTRACT_STATUS)),
        "data_cancelamento": ("cancelled_at", date),
    }),
    **_columns("invoices", {
        "codigo_fatura": ("external_id", text), "numero_fatura": ("number", text),
        "valor": ("amount", money), "vencimento": ("due_date", date),
        "situacao_fatura": ("status", choice(INVOICE_STATUS)),
        "data_pagamento": ("paid_at", date), "valor_pago": ("paid_amount", money),
        "txid": ("pix_txid", text), "linha_digitavel": ("digitable_line", text),
        "pix_copia_e_cola": ("pix_code", text),
    }),
}  # fmt: skip

# IXCProvedor's exports of `cliente`, `cliente_contrato` and `fn_areceber` (one table a file:
# its own `id` column is the record's). Column names as in IXC's API (§1.4 of the reference).
IXC_TABLES: dict[str, Columns] = {
    "customers": _columns("customers", {
        "id": ("external_id", text), "razao": ("name", text), "cnpj_cpf": ("document", text),
        "data_nascimento": ("birth_date", date), "cep": ("cep", text),
        "endereco": ("street", text), "numero": ("number", text),
        "complemento": ("complement", text), "bairro": ("district", text),
        "cidade": ("city", text), "uf": ("state", text), "telefone_celular": ("phone", text),
        "email": ("email", text), "ativo": ("status", choice(CUSTOMER_STATUS)),
    }),
    "contracts": _columns("contracts", {
        "id": ("external_id", text), "id_cliente": ("customer_external_id", text),
        "contrato": ("plan", text), "valor": ("monthly_amount", money),
        "data_ativacao": ("start_date", date), "status": ("status", choice(CONTRACT_STATUS)),
        "data_cancelamento": ("cancelled_at", date),
    }),
    "invoices": _columns("invoices", {
        "id": ("external_id", text), "id_contrato": ("contract_external_id", text),
        "documento": ("number", text), "valor": ("amount", money),
        "data_vencimento": ("due_date", date), "status": ("status", choice(INVOICE_STATUS)),
        "pagamento_data": ("paid_at", date), "valor_recebido": ("paid_amount", money),
        "pix_txid": ("pix_txid", text), "linha_digitavel": ("digitable_line", text),
    }),
}  # fmt: skip
# Which IXC table a header row is: a column only that table has.
IXC_MARKERS = {"razao": "customers", "id_cliente": "contracts", "data_vencimento": "invoices"}
PRESET_NAMES = {"generic": "Genérico (CreditCheck)", "ixc": "Exportação do IXCProvedor"}


def columns_for(preset: str, headers: list[str]) -> Columns:
    """The preset's columns that this header row has; raises ImportFileError when none fit."""
    if preset == "ixc":
        table = next((IXC_MARKERS[h] for h in headers if h in IXC_MARKERS), None)
        if table is None:
            raise ImportFileError(
                "Cabeçalho não reconhecido como cliente, cliente_contrato ou fn_areceber do IXC."
            )
        columns = IXC_TABLES[table]
    else:
        columns = GENERIC
    known = {h: columns[h] for h in headers if h in columns}
    kinds = {kind for kind, field, _ in known.values() if field == "external_id"}
    if not kinds:
        raise ImportFileError(
            "Nenhuma coluna de código encontrada (codigo_cliente, codigo_contrato ou "
            "codigo_fatura; no IXC, id)."
        )
    return known


def row_items(
    columns: Columns, headers: list[str], row: list[Any]
) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """One row -> {kind: item} and its cell errors (Portuguese, with the column)."""
    items: dict[str, dict[str, Any]] = {}
    errors = []
    for index, header in enumerate(headers):
        if header not in columns:
            continue
        kind, field, convert = columns[header]
        value = row[index] if index < len(row) else ""
        try:
            converted = convert(value)
        except CellError as exc:
            errors.append(f"coluna {header}: {exc}")
            continue
        if converted != "" or field == "external_id":
            items.setdefault(kind, {})[field] = converted
    items = {kind: item for kind, item in items.items() if item.get("external_id")}
    # A combined row links its own parts: its contract's customer, its invoice's contract.
    if "contracts" in items and "customers" in items:
        items["contracts"].setdefault("customer_external_id", items["customers"]["external_id"])
    if "invoices" in items and "contracts" in items:
        items["invoices"].setdefault("contract_external_id", items["contracts"]["external_id"])
    return items, errors


def iter_rows(table: Table, start: int = 0) -> Iterator[tuple[int, list[Any]]]:
    """(line number in the file, cells), from data row `start` (0-based)."""
    for offset, row in enumerate(table.rows[start:], start=start):
        yield offset + 2, row
