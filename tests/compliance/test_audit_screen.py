"""Relatórios > Auditoria: filters, scoping, detail, integrity check and CSV export."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from creditcheck.core.audit import audit_record
from creditcheck.core.enums import AuditAction
from creditcheck.core.models import AuditEntry, Branch
from tests.conftest import ClientFor

pytestmark = pytest.mark.django_db

URL = "/auditoria/"


@pytest.fixture
def entries(
    financial: User, other_financial: User, branch: Branch, other_branch: Branch
) -> list[AuditEntry]:
    return [
        audit_record(
            action=AuditAction.CREDIT_QUERY,
            user=financial,
            ip_address="10.0.0.1",
            branch=branch,
            document="12345678909",
            outcome="concluída",
        ),
        audit_record(
            action=AuditAction.NEGATIVATION,
            user=financial,
            branch=branch,
            document="12345678909",
            outcome="requested → sent",
            details={"from": "requested", "to": "sent"},
        ),
        audit_record(
            action=AuditAction.CREDIT_QUERY,
            user=other_financial,
            ip_address="10.0.0.2",
            branch=other_branch,
            document="52998224725",
            outcome="recusada: requery_interval",
        ),
        audit_record(
            action=AuditAction.SETTINGS_CHANGE,
            user=None,
            outcome="integrações",
            details={"before": {"enabled": False}, "after": {"enabled": True}},
        ),
    ]


def streamed(response: Any) -> str:
    """The body of a streaming response (the CSV export)."""
    return b"".join(response.streaming_content).decode("utf-8")


def listed(client: Client, **params: str) -> list[int]:
    response = client.get(URL, params)
    assert response.status_code == 200
    return [entry.seq for entry in response.context["page_obj"]]


def test_admin_sees_every_entry_newest_first(
    client_for: ClientFor, entries: list[AuditEntry], administrator: User
) -> None:
    assert listed(client_for(administrator)) == [4, 3, 2, 1]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"action": "credit_query"}, [3, 1]),
        ({"document": "123.456.789-09"}, [2, 1]),
        ({"outcome": "RECUSADA"}, [3]),
        ({"user": "financeiro_bh"}, [3]),
        ({"action": "settings_change", "outcome": "integra"}, [4]),
    ],
)
def test_filters_narrow_the_list(
    client_for: ClientFor,
    entries: list[AuditEntry],
    administrator: User,
    params: dict[str, str],
    expected: list[int],
) -> None:
    if "user" in params:
        params = {"user": str(User.objects.get(username=params["user"]).pk)}
    assert listed(client_for(administrator), **params) == expected


def test_branch_and_period_filters(
    client_for: ClientFor, entries: list[AuditEntry], administrator: User, other_branch: Branch
) -> None:
    client = client_for(administrator)
    assert listed(client, branch=str(other_branch.pk)) == [3]
    today = timezone.localdate()
    tomorrow = (today + dt.timedelta(days=1)).strftime("%d/%m/%Y")
    assert listed(client, date_from=today.strftime("%d/%m/%Y")) == [4, 3, 2, 1]
    assert listed(client, date_from=tomorrow) == []
    response = client.get(URL, {"date_from": tomorrow, "date_to": today.strftime("%d/%m/%Y")})
    assert "A data final deve ser igual ou posterior à inicial." in response.content.decode()
    assert list(response.context["page_obj"]) == []


def test_branch_user_with_permission_sees_own_branch_only(
    client_for: ClientFor, entries: list[AuditEntry], financial: User, other_branch: Branch
) -> None:
    financial.user_permissions.add(Permission.objects.get(codename="view_auditentry"))
    client = client_for(financial)
    assert listed(client) == [2, 1]
    assert client.get(f"{URL}3/").status_code == 404
    csv_lines = streamed(client.get(f"{URL}exportar.csv"))
    assert [line.split(";")[0] for line in csv_lines.splitlines()[1:]] == ["2", "1"]


def test_screen_forbidden_without_permission(
    client_for: ClientFor, entries: list[AuditEntry], attendant: User
) -> None:
    client = client_for(attendant)
    assert client.get(URL).status_code == 403
    assert client.get(f"{URL}exportar.csv").status_code == 403


def test_detail_shows_details_pretty(
    client_for: ClientFor, entries: list[AuditEntry], administrator: User
) -> None:
    response = client_for(administrator).get(f"{URL}4/")
    assert response.status_code == 200
    assert response.context["details"] == (
        '{\n  "after": {\n    "enabled": true\n  },\n  "before": {\n    "enabled": false\n  }\n}'
    )


def test_csv_export_follows_filters_with_portuguese_headers(
    client_for: ClientFor, entries: list[AuditEntry], administrator: User, financial: User
) -> None:
    response = client_for(administrator).get(f"{URL}exportar.csv", {"document": "12345678909"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="auditoria-')
    body = streamed(response)
    assert body.startswith("\ufeff")
    lines = body.lstrip("\ufeff").splitlines()
    assert lines[0] == (
        "Sequência;Data;Usuário;IP;Ação;Filial;CPF/CNPJ;Resultado;Objeto;Detalhes;Hash"
    )
    at = timezone.localtime(entries[1].at).strftime("%d/%m/%Y %H:%M:%S")
    assert lines[1] == (
        f"2;{at};financeiro;;Negativação;Filial São Paulo;123.456.789-09;requested → sent;;"
        f'"{{""from"": ""requested"", ""to"": ""sent""}}";{entries[1].hash}'
    )
    assert [line.split(";")[0] for line in lines[1:]] == ["2", "1"]


def test_verify_button_reports_intact_chain(
    client_for: ClientFor, entries: list[AuditEntry], administrator: User
) -> None:
    response = client_for(administrator).post(f"{URL}verificar/", follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Trilha de auditoria íntegra: 4 entradas verificadas."
    ]


def test_verify_button_reports_tampered_entry(
    client_for: ClientFor, entries: list[AuditEntry], administrator: User
) -> None:
    # An UPDATE behind the application's back, as a tamperer with database access would do.
    AuditEntry.objects.filter(seq=2).update(outcome="nada aconteceu")
    response = client_for(administrator).post(f"{URL}verificar/", follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Trilha de auditoria violada na entrada #2: conteúdo alterado (hash não confere) "
        "(1 entradas anteriores íntegras)."
    ]


def test_list_query_count_does_not_grow_with_rows(
    client_for: ClientFor, administrator: User, financial: User, branch: Branch
) -> None:
    client = client_for(administrator)

    def record() -> None:
        audit_record(
            action=AuditAction.CREDIT_QUERY, user=financial, branch=branch, outcome="concluída"
        )

    record()
    client.get(URL)  # warm the session and permission caches
    with CaptureQueriesContext(connection) as one_row:
        client.get(URL)
    record()
    record()
    with CaptureQueriesContext(connection) as three_rows:
        response = client.get(URL)
    assert len(response.context["page_obj"]) == 3
    assert len(three_rows.captured_queries) == len(one_row.captured_queries)
