"""The LGPD data-subject report: exactly one person's records, scoped, audited, JSON and PDF."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from creditcheck.analysis.models import CreditQuery
from creditcheck.analysis.services import credit_query_request
from creditcheck.analysis.subjects import subject_from_document
from creditcheck.compliance.lgpd import subject_report
from creditcheck.core.enums import AuditAction
from creditcheck.core.models import AuditEntry, Branch
from creditcheck.negativation.models import Negativation
from creditcheck.negativation.services import negativation_include
from providers.sandbox.scenarios import CLEAN_CPF, SMALL_RESTRICTION_CPF
from providers.sandbox.server import RunningSandbox
from tests.credit_setup import connect_branch, integration_on
from tests.negativation.conftest import MakeInvoice

pytestmark = pytest.mark.django_db(transaction=True)

TARGET = SMALL_RESTRICTION_CPF
OTHER = CLEAN_CPF
URL = "/api/v1/lgpd/subject-report/"


@dataclass(frozen=True)
class History:
    """Records of TARGET and OTHER in two branches (SP: `branch`, BH: `other_branch`)."""

    target_query_sp: CreditQuery
    target_query_bh: CreditQuery
    other_query_sp: CreditQuery
    target_negativation_sp: Negativation
    target_negativation_bh: Negativation
    other_negativation_sp: Negativation
    user_sp: User
    user_bh: User


def _query(user: User, branch: Branch, document: str) -> CreditQuery:
    return credit_query_request(
        subject=subject_from_document(document), branch=branch, user=user
    ).query


@pytest.fixture
def history(
    financial: User,
    other_financial: User,
    branch: Branch,
    other_branch: Branch,
    sandbox: RunningSandbox,
    make_overdue_invoice: MakeInvoice,
) -> History:
    integration_on(branch, sandbox)
    connect_branch(other_branch, sandbox)
    return History(
        target_query_sp=_query(financial, branch, TARGET),
        target_query_bh=_query(other_financial, other_branch, TARGET),
        other_query_sp=_query(financial, branch, OTHER),
        target_negativation_sp=negativation_include(
            invoice=make_overdue_invoice(document=TARGET, amount="129.90"), user=financial
        ),
        target_negativation_bh=negativation_include(
            invoice=make_overdue_invoice(document=TARGET, amount="80.00", branch_=other_branch),
            user=other_financial,
        ),
        other_negativation_sp=negativation_include(
            invoice=make_overdue_invoice(document=OTHER, amount="55.00"), user=financial
        ),
        user_sp=financial,
        user_bh=other_financial,
    )


def grant_export(user: User) -> User:
    user.user_permissions.add(Permission.objects.get(codename="export_personal_data"))
    return User.objects.get(pk=user.pk)


def test_api_report_of_admin_lists_exactly_the_documents_records(
    history: History, administrator: User, api_client_for: Callable[[User], APIClient]
) -> None:
    response = api_client_for(administrator).get(URL, {"document": "123.456.789-09"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "document",
        "document_formatted",
        "document_kind",
        "name",
        "generated_at",
        "generated_by",
        "branches",
        "legal_basis",
        "decision_note",
        "queries",
        "decisions",
        "negativations",
    }
    assert (body["document"], body["document_formatted"], body["document_kind"]) == (
        TARGET,
        "123.456.789-09",
        "cpf",
    )
    assert body["branches"] is None
    assert (body["decisions"], body["decision_note"]) == ([], "")  # no credit policy
    assert [q["id"] for q in body["queries"]] == [
        history.target_query_sp.pk,
        history.target_query_bh.pk,
    ]
    assert [n["id"] for n in body["negativations"]] == [
        history.target_negativation_sp.pk,
        history.target_negativation_bh.pk,
    ]
    first = body["queries"][0]
    assert set(first) == {
        "id",
        "at",
        "user",
        "branch",
        "purpose",
        "platform",
        "product",
        "status",
        "result",
        "score",
        "restriction_count",
        "restriction_amount",
        "protocol",
    }
    assert (first["user"], first["branch"], first["platform"], first["status"]) == (
        history.user_sp.get_full_name(),
        "Filial São Paulo",
        "SPC Brasil",
        "Concluída",
    )
    assert (first["purpose"], first["result"], first["score"]) == (
        "Análise de crédito (CPF/CNPJ avulso)",
        "Constam restrições",
        520,
    )
    assert (first["restriction_count"], first["restriction_amount"]) == (1, "189.90")
    negativation = body["negativations"][0]
    assert (negativation["amount"], negativation["branch"], negativation["status"]) == (
        "129.90",
        "Filial São Paulo",
        "Aguardando comunicado",
    )
    assert negativation["requested_by"] == history.user_sp.get_full_name()
    assert [(e["from_status"], e["to_status"]) for e in negativation["history"]] == [
        ("", "Solicitada"),
        ("Solicitada", "Enviada"),
        ("Enviada", "Aguardando comunicado"),
    ]
    assert body["negativations"][1]["amount"] == "80.00"
    assert "art. 7º, X" in body["legal_basis"] and "arts. 18 e 19" in body["legal_basis"]


def test_api_report_of_branch_user_lists_only_their_branch(
    history: History, api_client_for: Callable[[User], APIClient]
) -> None:
    client = api_client_for(grant_export(history.user_sp))
    body = client.get(URL, {"document": TARGET}).json()
    assert body["branches"] == ["Filial São Paulo"]
    assert [q["id"] for q in body["queries"]] == [history.target_query_sp.pk]
    assert [n["id"] for n in body["negativations"]] == [history.target_negativation_sp.pk]


def test_api_report_export_is_audited(
    history: History, administrator: User, api_client_for: Callable[[User], APIClient]
) -> None:
    api_client_for(administrator).get(
        URL, {"document": TARGET, "format": "json"}, REMOTE_ADDR="10.9.8.7"
    )
    assert [
        (e.username, e.ip_address, e.document, e.outcome, e.details)
        for e in AuditEntry.objects.filter(action=AuditAction.PERSONAL_DATA_EXPORT)
    ] == [
        (
            "administrador",
            "10.9.8.7",
            TARGET,
            "relatório do titular (JSON)",
            {"format": "json", "queries": 2, "negativations": 2},
        )
    ]


def test_api_report_pdf_holds_the_records_and_legal_basis(
    history: History,
    administrator: User,
    api_client_for: Callable[[User], APIClient],
    tmp_path: Path,
) -> None:
    response = api_client_for(administrator).get(URL, {"document": TARGET, "format": "pdf"})
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert response["Content-Disposition"].startswith(f'attachment; filename="lgpd-{TARGET}-')
    pdftotext = shutil.which("pdftotext")
    assert pdftotext is not None, "poppler-utils (pdftotext) is required"
    path = tmp_path / "report.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        [pdftotext, "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in (
        "Relatório do titular dos dados (LGPD)",
        "CPF 123.456.789-09",
        "art. 7º, X",
        "Consultas de crédito (2)",
        "Negativações (2)",
        "R$ 129,90",
        "R$ 80,00",
        "Inclusão manual",
        "Aceita pela plataforma.",
    ):
        assert expected in text
    assert "529.982.247-25" not in text and "R$ 55,00" not in text
    entry = AuditEntry.objects.get(action=AuditAction.PERSONAL_DATA_EXPORT)
    assert (entry.outcome, entry.details["format"]) == ("relatório do titular (PDF)", "pdf")


def test_api_report_invalid_document_is_400_and_not_audited(
    administrator: User, api_client_for: Callable[[User], APIClient]
) -> None:
    response = api_client_for(administrator).get(URL, {"document": "123.456.789-00"})
    assert response.status_code == 400
    assert response.json() == {
        "document": ["CPF inválido: os dígitos verificadores não conferem."],
        "code": "invalid",
        "codes": {"document": ["invalid_document"]},
    }
    assert not AuditEntry.objects.filter(action=AuditAction.PERSONAL_DATA_EXPORT).exists()


def test_api_report_without_permission_is_403(
    attendant: User, api_client_for: Callable[[User], APIClient]
) -> None:
    response = api_client_for(attendant).get(URL, {"document": TARGET, "format": "pdf"})
    assert (response.status_code, response.json()) == (
        403,
        {
            "detail": "Você não tem permissão para exportar dados pessoais (LGPD).",
            "code": "permission_denied",
        },
    )


def test_screen_report_downloads_json_and_audits(history: History, administrator: User) -> None:
    client = Client()
    client.force_login(administrator)
    response = client.post("/lgpd/", {"document": "123.456.789-09", "format": "json"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.json"')
    body = json.loads(response.content)
    assert [q["id"] for q in body["queries"]] == [
        history.target_query_sp.pk,
        history.target_query_bh.pk,
    ]
    assert (
        AuditEntry.objects.filter(
            action=AuditAction.PERSONAL_DATA_EXPORT, document=TARGET, username="administrador"
        ).count()
        == 1
    )


def test_screen_report_invalid_document_shows_field_error(administrator: User) -> None:
    client = Client()
    client.force_login(administrator)
    response = client.post("/lgpd/", {"document": "111.111.111-11", "format": "pdf"})
    assert response.status_code == 200
    assert 'data-field-error="document">CPF inválido: todos os dígitos são iguais.' in (
        response.content.decode()
    )
    assert not AuditEntry.objects.filter(action=AuditAction.PERSONAL_DATA_EXPORT).exists()


def test_screen_report_forbidden_without_permission(attendant: User) -> None:
    client = Client()
    client.force_login(attendant)
    assert client.get("/lgpd/").status_code == 403


def test_report_query_count_does_not_grow_with_records(
    history: History,
    administrator: User,
    financial: User,
    branch: Branch,
    make_overdue_invoice: MakeInvoice,
) -> None:
    admin = User.objects.get(pk=administrator.pk)
    subject_report(document=TARGET, user=admin)  # warm the per-request caches
    with CaptureQueriesContext(connection) as before:
        subject_report(document=TARGET, user=admin)
    _query(financial, branch, TARGET)
    negativation_include(invoice=make_overdue_invoice(document=TARGET), user=financial)
    with CaptureQueriesContext(connection) as after:
        report = subject_report(document=TARGET, user=admin)
    assert (len(report.queries), len(report.negativations)) == (3, 3)
    assert len(after.captured_queries) == len(before.captured_queries)
