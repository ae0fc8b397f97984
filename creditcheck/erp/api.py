"""Bulk sync API: POST /api/v1/sync/{customers,contracts,invoices}/ (creditcheck/erp/sync.py)."""

from typing import Any

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from creditcheck.core.api import require_perm
from creditcheck.erp.sync import MAX_ITEMS, sync_records, valid_source


class SyncBatchSerializer(serializers.Serializer):  # type: ignore[type-arg]
    source = serializers.CharField(  # type: ignore[assignment]
        max_length=30, help_text="Origem dos registros, ex.: ixc."
    )
    items = serializers.ListField(
        # Any JSON per item: an item that is not an object is that item's error, not the batch's.
        child=serializers.JSONField(),
        min_length=1,
        max_length=MAX_ITEMS,
        help_text="Registros com external_id e os campos do recurso (como na API de cada um).",
    )

    def validate_source(self, value: str) -> str:
        return valid_source(value)


SYNC_RESULT = inline_serializer(
    "SyncResult",
    {
        "results": serializers.ListField(
            child=inline_serializer(
                "SyncItemResult",
                {
                    "external_id": serializers.CharField(),
                    "result": serializers.ChoiceField(["created", "updated", "unchanged", "error"]),
                    "id": serializers.IntegerField(required=False),
                    "code": serializers.CharField(required=False),
                    "errors": serializers.DictField(required=False),
                },
            )
        )
    },
)


def sync_view(kind: str, model: str) -> type[APIView]:
    """The view of one kind; it needs adding and changing that model."""

    class SyncView(APIView):
        permission_classes = [
            permissions.IsAuthenticated,
            require_perm(f"{model.replace('.', '.add_')}"),
            require_perm(f"{model.replace('.', '.change_')}"),
        ]

        @extend_schema(
            request=SyncBatchSerializer, responses=SYNC_RESULT, operation_id=f"sync_{kind}"
        )
        def post(self, request: Request) -> Response:
            batch = SyncBatchSerializer(data=request.data)
            batch.is_valid(raise_exception=True)
            results = sync_records(
                kind=kind,
                source=batch.validated_data["source"],
                items=batch.validated_data["items"],
                request=request,
            )
            body: dict[str, Any] = {"results": [result.as_dict() for result in results]}
            return Response(body)

    SyncView.__name__ = f"Sync{kind.title()}View"
    return SyncView


SyncCustomersView = sync_view("customers", "customers.customer")
SyncContractsView = sync_view("contracts", "contracts.contract")
SyncInvoicesView = sync_view("invoices", "contracts.invoice")
