"""The API's JSON parser, with a depth limit.

Python's json module nests one call per array or object: a 2 KB body of 1,000 nested arrays
exhausts the interpreter's recursion limit (RecursionError, a 500). No body of this API nests
more than a few levels, so anything deeper than MAX_JSON_DEPTH is refused as bad input, 400
`json_too_deep`. The body's size is capped before parsing by Django's
DATA_UPLOAD_MAX_MEMORY_SIZE (413 `payload_too_large`, creditcheck/core/api.py).
"""

from collections.abc import Mapping
from typing import IO, Any

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_JSON_DEPTH = 32


class JsonTooDeep(ParseError):
    default_detail = format_lazy(
        _("O JSON enviado tem níveis de aninhamento demais (máximo {max})."), max=MAX_JSON_DEPTH
    )
    default_code = "json_too_deep"


def json_deeper_than(value: Any, limit: int) -> bool:
    """Whether arrays and objects nest more than `limit` levels (iterative: no recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


class DepthLimitedJSONParser(JSONParser):
    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise JsonTooDeep() from None
        if isinstance(data, dict | list) and json_deeper_than(data, MAX_JSON_DEPTH):
            raise JsonTooDeep()
        return data
