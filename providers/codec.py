"""The storage codec of reports: a CreditReport to a JSON-ready dict and back.

Above this layer a report is stored as `report_to_dict` writes it (CreditQuery.report) and read
back with `report_from_dict`; the raw payload and the platform's own document are kept apart.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import types
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Union, get_args, get_origin, get_type_hints

from providers.base import CreditReport, Identity


def _encode(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, bytes):
        raise TypeError("bytes are not serialized")
    return value


def report_to_dict(report: CreditReport) -> dict[str, Any]:
    """A JSON-ready dict of the normalized report, without the raw payload and the document."""

    def convert(obj: Any) -> Any:
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            return {f.name: convert(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
        if isinstance(obj, tuple | list):
            return [convert(item) for item in obj]
        return _encode(obj)

    data: dict[str, Any] = {
        f.name: convert(getattr(report, f.name))
        for f in dataclasses.fields(report)
        if f.name not in ("raw", "document")  # kept apart: the payload and the platform's file
    }
    data["has_restrictions"] = report.has_restrictions
    return data


@functools.cache
def _field_types(cls: type) -> tuple[tuple[str, Any], ...]:
    return tuple(get_type_hints(cls).items())


def _decode(kind: Any, value: Any) -> Any:
    """`value` as stored by report_to_dict, rebuilt as the type `kind` of a dataclass field."""
    if value is None:
        return None
    origin = get_origin(kind)
    if origin is Union or origin is types.UnionType:
        inner = [arg for arg in get_args(kind) if arg is not type(None)]
        return _decode(inner[0], value)
    if origin is tuple:
        return tuple(_decode(get_args(kind)[0], item) for item in value)
    if kind is Decimal:
        return Decimal(value)
    if kind is dt.date:
        return dt.date.fromisoformat(value) if value else None
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return kind(value)
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        return _build(kind, value)
    return value


def _build(cls: type, data: Mapping[str, Any]) -> Any:
    """A dataclass from its stored dict. Fields the dict lacks (reports stored before the field
    existed) take their defaults; keys no field has are ignored."""
    return cls(
        **{name: _decode(kind, data[name]) for name, kind in _field_types(cls) if name in data}
    )


def report_from_dict(data: Mapping[str, Any], *, raw: str = "") -> CreditReport:
    """Rebuild a report stored with report_to_dict (raw and document are not stored there)."""
    stored = {key: value for key, value in data.items() if key not in ("raw", "document")}
    report: CreditReport = _build(CreditReport, {**stored, "raw": raw})
    return report


def identity_from_dict(data: Mapping[str, Any]) -> Identity | None:
    """Only the identity of a report stored with report_to_dict (None when it has none): what
    a list needs, without rebuilding the whole report."""
    stored = data.get("identity")
    if not stored:
        return None
    identity: Identity = _build(Identity, stored)
    return identity
