"""The bare framework floor of bench/query_overhead.py (not a bench itself): what any Django +
DRF endpoint that consults a platform must do at least, and nothing CreditCheck adds.

One minimal DRF view with token authentication: read the document, make the adapter call, one
INSERT of the answer, a JSON answer. It is served by the same Django process, settings and
middleware as the full path, at `/bench-floor/` (a URL configuration of its own that adds it to
the app's).
"""

from __future__ import annotations

from typing import Any, Protocol

from django.db import connection
from django.urls import include, path
from rest_framework.authentication import TokenAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from providers.base import ConsultRequest, CreditReport, PersonType

TABLE = "bench_floor_answer"


class Consults(Protocol):
    def consult(self, request: ConsultRequest) -> CreditReport: ...


_adapter: list[Consults] = []


def install(adapter: Consults) -> None:
    """Give the view its adapter and create the table of its INSERT."""
    _adapter[:] = [adapter]
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
        cursor.execute(
            f"CREATE TABLE {TABLE} (document varchar(14), protocol varchar(80), score integer)"
        )


class FloorView(APIView):
    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated]

    def post(self, request: Request) -> Response:
        data: dict[str, Any] = request.data  # type: ignore[assignment]
        document = str(data["document"])
        report = _adapter[0].consult(
            ConsultRequest(document=document, person_type=PersonType.PERSON)
        )
        score = report.score.value if report.score else None
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {TABLE} (document, protocol, score) VALUES (%s, %s, %s)",  # noqa: S608
                [document, report.protocol[:80], score],
            )
        return Response({"document": document, "protocol": report.protocol, "score": score}, 201)


urlpatterns: list[Any] = [
    path("bench-floor/", FloorView.as_view()),
    path("", include("creditcheck.urls")),
]
