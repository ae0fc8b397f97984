"""Bulk upsert of an ERP's customers, contracts and invoices, keyed by (source, external id).

One home for "bring this record of the ERP in": the sync API (and the file import and the
IXC connector after it) call `sync_records`. Each item is validated by the API's own
serializer of its model (the same field rules, branch scoping and messages) and saved in a
savepoint of its own, so one bad item never leaves half a row and never stops the others.
A second run of the same batch answers `unchanged` for every item and writes nothing.

An invoice the ERP reports paid is saved open and then paid through
`contracts.services.invoice_pay` with the ERP's payment date, like any payment: its
negativação gets its removal requested.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from types import SimpleNamespace
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction
from rest_framework import serializers

from creditcheck.contracts.enums import InvoiceStatus
from creditcheck.contracts.models import Contract, Invoice
from creditcheck.contracts.serializers import ContractSerializer, InvoiceSerializer
from creditcheck.contracts.services import invoice_pay
from creditcheck.core.external import EXTERNAL_ID_MAX_LENGTH, SOURCE_MAX_LENGTH
from creditcheck.core.selectors import scope_to_user
from creditcheck.customers.models import Customer
from creditcheck.customers.serializers import CustomerSerializer

MAX_ITEMS = 500


class SystemActor:
    """The ERP itself (a scheduled sync): acts on every branch and is no user (paid_by None)."""

    is_authenticated = True
    is_active = True
    is_superuser = True
    pk = None
    _sees_all_branches = True


SYSTEM = SimpleNamespace(user=SystemActor())


class Outcome:
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    ERROR = "error"


@dataclass
class ItemResult:
    external_id: str
    result: str
    id: int | None = None
    code: str = ""
    errors: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"external_id": self.external_id, "result": self.result}
        if self.id is not None:
            body["id"] = self.id
        if self.result == Outcome.ERROR:
            body["code"], body["errors"] = self.code, self.errors
        return body


class _ItemError(Exception):
    def __init__(self, code: str, errors: dict[str, Any]) -> None:
        self.code, self.errors = code, errors
        super().__init__(code)


@dataclass(frozen=True)
class Kind:
    """How one model is synced: its serializer, and how an item names its parent."""

    model: type[models.Model]
    serializer: type[serializers.ModelSerializer]  # type: ignore[type-arg]
    branch_field: str
    # Turns the parent's external id ("customer_external_id") into the serializer's pk.
    resolve: Callable[[str, dict[str, Any], Any], dict[str, Any]]


def _parent(
    model: type[models.Model], key: str, target: str, branch_field: str
) -> Callable[[str, dict[str, Any], Any], dict[str, Any]]:
    def resolve(source: str, item: dict[str, Any], user: Any) -> dict[str, Any]:
        if key not in item:
            return item
        reference = str(item.pop(key))
        rows = scope_to_user(model._default_manager.all(), user, branch_field)
        parent = rows.filter(external_source=source, external_id=reference).first()
        if parent is None:
            raise _ItemError(
                "unknown_parent",
                {key: [f"Nenhum registro com o código {reference} da origem {source}."]},
            )
        item[target] = parent.pk
        if isinstance(parent, Customer) and "branch" not in item:
            item["branch"] = parent.branch_id  # a contract is of its customer's branch
        return item

    return resolve


def _as_is(source: str, item: dict[str, Any], user: Any) -> dict[str, Any]:
    return item


KINDS = {
    "customers": Kind(Customer, CustomerSerializer, "branch", _as_is),
    "contracts": Kind(
        Contract, ContractSerializer, "branch",
        _parent(Customer, "customer_external_id", "customer", "branch"),
    ),
    "invoices": Kind(
        Invoice, InvoiceSerializer, "contract__branch",
        _parent(Contract, "contract_external_id", "contract", "branch"),
    ),
}  # fmt: skip


def sync_records(
    *, kind: str, source: str, items: list[Any], request: Any, via: str = ""
) -> list[ItemResult]:
    """Upsert each item of `kind` ("customers", "contracts", "invoices") from `source`."""
    spec = KINDS[kind]
    seen: set[str] = set()
    results = []
    for item in items:
        external_id = str(item.get("external_id", "")).strip() if isinstance(item, dict) else ""
        try:
            if not isinstance(item, dict):
                raise _ItemError("invalid", {"non_field_errors": ["Cada item deve ser um objeto."]})
            if not external_id or len(external_id) > EXTERNAL_ID_MAX_LENGTH:
                raise _ItemError("invalid", {"external_id": ["Informe o código do registro."]})
            if external_id in seen:
                raise _ItemError("duplicate", {"external_id": ["Código repetido neste lote."]})
            seen.add(external_id)
            with transaction.atomic():
                results.append(_upsert(spec, source, external_id, dict(item), request, via))
        except _ItemError as exc:
            results.append(ItemResult(external_id, Outcome.ERROR, code=exc.code, errors=exc.errors))
    return results


def _upsert(
    spec: Kind, source: str, external_id: str, item: dict[str, Any], request: Any, via: str
) -> ItemResult:
    item.pop("external_id", None)
    item.pop("external_source", None)
    payment = _payment_of(item) if spec.model is Invoice else None
    item = spec.resolve(source, item, request.user)
    found = (
        spec.model._default_manager.select_for_update()
        .filter(external_source=source, external_id=external_id)
        .first()
    )
    if (
        found is not None
        and not scope_to_user(
            spec.model._default_manager.filter(pk=found.pk), request.user, spec.branch_field
        ).exists()
    ):
        raise _ItemError(
            "forbidden_branch",
            {"external_id": ["O registro é de uma filial à qual você não tem acesso."]},
        )
    if found is not None and isinstance(found, Invoice) and found.status == InvoiceStatus.PAID:
        item.pop("status", None)  # a paid invoice stays paid (invoice_status_check)
    serializer = spec.serializer(
        found, data=item, partial=found is not None, context={"request": request}
    )
    if not serializer.is_valid():
        raise _ItemError("invalid", dict(serializer.errors))
    changed = found is None or any(
        getattr(found, name) != value for name, value in serializer.validated_data.items()
    )
    record = found
    if changed:
        record = serializer.save(external_source=source, external_id=external_id)
    outcome = (
        Outcome.CREATED if found is None else Outcome.UPDATED if changed else Outcome.UNCHANGED
    )
    assert record is not None
    if payment is not None and _pay(
        record, payment, request.user, via or f"Sincronização {source}"
    ):
        outcome = Outcome.CREATED if found is None else Outcome.UPDATED
    return ItemResult(external_id, outcome, id=record.pk)


def _payment_of(item: dict[str, Any]) -> tuple[dt.date, Decimal | None] | None:
    """An invoice item's payment (status "paid", paid_at, paid_amount), taken out of the item:
    only invoice_pay pays."""
    paid_at, paid_amount = item.pop("paid_at", None), item.pop("paid_amount", None)
    if item.get("status") != InvoiceStatus.PAID:
        return None
    item.pop("status")
    errors: dict[str, list[str]] = {}
    try:
        day = dt.date.fromisoformat(str(paid_at))
    except ValueError:
        errors["paid_at"] = ["Informe a data do pagamento (AAAA-MM-DD)."]
    amount: Decimal | None = None
    if paid_amount not in (None, ""):
        try:
            amount = Decimal(str(paid_amount))
        except InvalidOperation:
            errors["paid_amount"] = ["Valor pago inválido."]
    if errors:
        raise _ItemError("invalid", errors)
    return day, amount


def _pay(record: Any, payment: tuple[dt.date, Decimal | None], user: Any, via: str) -> bool:
    """Pay the synced invoice unless it already is; True when this paid it."""
    invoice = Invoice.objects.get(pk=record.pk)
    if invoice.status == InvoiceStatus.PAID:
        return False
    user = None if isinstance(user, SystemActor) else user
    day, amount = payment
    try:
        invoice_pay(
            invoice=invoice, paid_at=day, amount=amount or invoice.amount, user=user, via=via
        )
    except DjangoValidationError as exc:
        codes = {str(e.code) for errors in exc.error_dict.values() for e in errors}
        raise _ItemError(sorted(codes)[0] if codes else "invalid", exc.message_dict) from exc
    return True


def valid_source(value: Any) -> str:
    """The batch's source key: short lowercase text ("ixc")."""
    text = str(value or "").strip().lower()
    if not text or len(text) > SOURCE_MAX_LENGTH or not text.replace("-", "").isalnum():
        raise serializers.ValidationError(
            {"source": ["Informe a origem (letras, números e hífen, até 30)."]}, code="invalid"
        )
    return text
