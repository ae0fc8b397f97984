"""Readers the platforms' parse modules share: the bounds of a readable answer and the totals
of platforms that send only the details. Pure functions, no I/O."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from providers.base import KindTotal, Restriction, RestrictionKind

# No bureau records a debt of R$ 1 trillion: an amount at or beyond it (an exponent such as
# 1E+999999999 included) is a garbled answer. Bounding every amount read also keeps their sums
# within Decimal's range, where adding such exponents raises decimal.Overflow.
MAX_AMOUNT = Decimal(10) ** 12


def plausible_amount(amount: Decimal) -> bool:
    """Whether a number read from a platform's answer can be an amount (or a percentage)."""
    # copy_abs, not abs(): abs() rounds to the context and overflows on such exponents itself.
    return amount.is_finite() and amount.copy_abs() < MAX_AMOUNT


# Answers are a few levels deep and parsers walk them recursively: an answer nested deeper would
# end in a RecursionError instead of the contract's error.
MAX_NESTING = 64
# Text no database column stores: half of a UTF-16 surrogate pair (JSON may escape one,
# "\ud800", but it is no Unicode text) and NUL (PostgreSQL refuses it in text and jsonb).
_UNSTORABLE_TEXT = re.compile("[\x00\ud800-\udfff]")


def json_answer_problem(payload: Any) -> str:
    """What makes a decoded JSON answer unreadable (nesting beyond MAX_NESTING, text with an
    unpaired surrogate or a NUL), or "" when nothing does. Walked level by level, no recursion."""
    level: list[Any] = [payload]
    for _ in range(MAX_NESTING + 1):
        below: list[Any] = []
        for node in level:
            if isinstance(node, str) and _UNSTORABLE_TEXT.search(node):
                return "texto com caractere inválido"
            if isinstance(node, dict):
                below += [*node, *node.values()]
            elif isinstance(node, list):
                below += node
        if not below:
            return ""
        level = below
    return "aninhamento excessivo"


def lower_keys(value: Any) -> Any:
    """The payload with every object key lower-cased, so PascalCase and camelCase read alike
    (SOAWebService answers in both; its sandbox reads requests the same way)."""
    if isinstance(value, dict):
        return {str(key).lower(): lower_keys(item) for key, item in value.items()}
    if isinstance(value, list):
        return [lower_keys(item) for item in value]
    return value


def totals_from_restrictions(restrictions: tuple[Restriction, ...]) -> tuple[KindTotal, ...]:
    """Totals per kind, in RestrictionKind order, for platforms that send only the details."""
    result = []
    for kind in RestrictionKind:
        items = [r for r in restrictions if r.kind is kind]
        if items:
            amount = sum((r.amount or Decimal("0") for r in items), Decimal("0"))
            result.append(KindTotal(kind=kind, count=len(items), amount=amount))
    return tuple(result)
