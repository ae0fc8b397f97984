"""Log hygiene: CPF and CNPJ never reach the logs in full (LGPD: necessity, art. 6º III).

`MaskDocumentsFilter` is installed on the console handler (settings.LOGGING). It rewrites the
formatted message, the exception text and the stack of every record so that each CPF/CNPJ-looking
value keeps only its first group: "529.***.***-**" / "529********" for a CPF,
"12.***.***/****-**" / "12************" for a CNPJ (numeric or alphanumeric). Enough to tell two
records apart while reading logs, not enough to identify anyone.

This module is loaded while logging is configured, before the apps: it imports no Django code.
"""

import logging
import re

# A value is document-like only as a whole token: not inside a longer run of letters or digits
# (a 20-digit protocol number or a hash stays as it is).
_BEFORE = r"(?<![0-9A-Za-z])"
_AFTER = r"(?![0-9A-Za-z])"
_DOCUMENT_RE = re.compile(
    _BEFORE
    + r"(?:"
    # CNPJ, masked or bare; its first 12 characters may be letters (IN RFB 2.229/2024).
    + r"(?P<cnpj>[0-9A-Z]{2}\.?[0-9A-Z]{3}\.?[0-9A-Z]{3}/?[0-9A-Z]{4}-?\d{2})"
    + r"|(?P<cpf>\d{3}\.?\d{3}\.?\d{3}-?\d{2})"
    + r")"
    + _AFTER
)
_CPF_KEEP = 3
_CNPJ_KEEP = 2


def _hide(value: str, keep: int) -> str:
    """Keep the first `keep` characters, star every later letter or digit, keep the mask."""
    return value[:keep] + re.sub(r"[0-9A-Za-z]", "*", value[keep:])


def _mask_match(match: re.Match[str]) -> str:
    cnpj = match.group("cnpj")
    if cnpj is not None:
        # Uppercase words of 14 letters are not CNPJs: a real one has a digit in its body too.
        if not any(char.isdigit() for char in cnpj[:12]):
            return cnpj
        return _hide(cnpj, _CNPJ_KEEP)
    return _hide(match.group("cpf"), _CPF_KEEP)


def mask_documents(text: str) -> str:
    """Replace every CPF/CNPJ-looking value in `text` by its first group and stars."""
    return _DOCUMENT_RE.sub(_mask_match, text)


class MaskDocumentsFilter(logging.Filter):
    """Rewrites records in place so every handler after it sees only masked documents."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_documents(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            # The formatter would render the traceback later, unmasked; render it now instead.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_documents(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_documents(record.stack_info)
        return True
