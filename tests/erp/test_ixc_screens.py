"""Configurações > Integrações > IXCProvedor: the connection (token encrypted), its filiais →
branches, "Sincronizar agora" and the sync log, against the IXC sandbox over HTTP."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from creditcheck.core.enums import AuditAction
from creditcheck.core.models import AuditEntry, Branch
from creditcheck.customers.models import Customer
from creditcheck.erp.ixc_connections import ixc_run_open
from creditcheck.erp.models import IxcConnection, SyncRun
from providers.sandbox.ixc import TOKEN
from providers.sandbox.server import RunningSandbox
from tests.conftest import ClientFor
from tests.html import by_testid, field_errors, parse, text, text_by_testid

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def admin_client(client_for: ClientFor, administrator: User) -> Client:
    return client_for(administrator)


def _create(client: Client, sandbox: RunningSandbox, branch: Branch, token: str = TOKEN) -> Any:
    return client.post(
        reverse("erp:ixc_create"),
        {"name": "IXC Matriz", "base_url": f"{sandbox.url}/ixc", "token": token,
         "default_branch": branch.pk, "active": "on"},
    )  # fmt: skip


def test_screen_connects_maps_the_filiais_and_syncs_now(
    admin_client: Client,
    administrator: User,
    sandbox: RunningSandbox,
    branch: Branch,
    other_branch: Branch,
) -> None:
    response = _create(admin_client, sandbox, branch)
    connection = IxcConnection.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("erp:ixc_filiais", args=[connection.pk])
    # Encrypted at rest like the platforms' credentials; the form never shows it back.
    assert TOKEN not in connection.token_encrypted and connection.token == TOKEN
    assert TOKEN not in admin_client.get(reverse("erp:ixc_edit", args=[connection.pk])).text
    assert AuditEntry.objects.filter(
        action=AuditAction.SETTINGS_CHANGE, target_id=str(connection.pk)
    ).exists()

    admin_client.post(reverse("erp:ixc_filiais", args=[connection.pk]), {"action": "read"})
    page = admin_client.get(reverse("erp:ixc_filiais", args=[connection.pk]))
    assert "1 — Matriz" in page.text and "2 — BH" in page.text
    saved = admin_client.post(
        reverse("erp:ixc_filiais", args=[connection.pk]),
        {"filial_1": "", "filial_2": other_branch.pk},
    )
    assert saved.status_code == 302
    connection.refresh_from_db()
    assert connection.branch_map == {"2": other_branch.pk}

    synced = admin_client.post(reverse("erp:ixc_sync", args=[connection.pk]))

    assert synced["Location"] == reverse("erp:ixc_runs", args=[connection.pk])
    run = SyncRun.objects.get()
    # 12 customers, 12 contracts, 35 receivables (one of 36 is liberado = N).
    assert (run.ok, run.requested_by, run.processed, run.total) == (True, administrator, 59, 59)
    assert Customer.objects.get(external_id="103").branch == other_branch  # IXC filial 2
    assert Customer.objects.get(external_id="101").branch == branch  # unmapped: the default
    log = admin_client.get(reverse("erp:ixc_runs", args=[connection.pk]))
    (row,) = parse(log).xpath(f'//tr[@data-run="{run.pk}"]')
    assert row.get("data-ok") == "sim"
    assert "Criados: 35" in text(row.xpath('.//*[@data-testid="run-invoices"]')[0])
    settings_page = admin_client.get(reverse("integrations:settings"))
    assert text_by_testid(settings_page, "ixc-filiais-count") == "2 (1 mapeada)"


def test_bad_token_is_refused_and_a_blank_one_keeps_the_stored_token(
    admin_client: Client, sandbox: RunningSandbox, branch: Branch
) -> None:
    refused = _create(admin_client, sandbox, branch, token="sem-id-do-usuario")
    assert refused.status_code == 400
    assert field_errors(refused, "token") == [
        "Informe o token no formato <id do usuário>:<token>, como o IXC o mostra."
    ]
    assert not IxcConnection.objects.exists()

    _create(admin_client, sandbox, branch)
    connection = IxcConnection.objects.get()
    edited = admin_client.post(
        reverse("erp:ixc_edit", args=[connection.pk]),
        {"name": "IXC novo nome", "base_url": f"{sandbox.url}/ixc", "token": "",
         "default_branch": branch.pk, "active": "on"},
    )  # fmt: skip
    assert edited.status_code == 302
    connection.refresh_from_db()
    assert (connection.name, connection.token) == ("IXC novo nome", TOKEN)


def test_wrong_token_shows_the_failure_in_the_sync_log(
    admin_client: Client, sandbox: RunningSandbox, branch: Branch
) -> None:
    _create(admin_client, sandbox, branch, token="1:errado")
    connection = IxcConnection.objects.get()

    admin_client.post(reverse("erp:ixc_sync", args=[connection.pk]))

    run = SyncRun.objects.get()
    assert (run.ok, run.finished_at is not None) == (False, True)
    assert run.message.startswith("Falha ao ler o IXC")
    log = admin_client.get(reverse("erp:ixc_runs", args=[connection.pk])).text
    assert "Falhou" in log and "Falha ao ler o IXC" in log


def test_one_run_at_a_time_and_a_stale_run_is_closed_as_interrupted(
    admin_client: Client, sandbox: RunningSandbox, branch: Branch
) -> None:
    _create(admin_client, sandbox, branch)
    connection = IxcConnection.objects.get()
    running = ixc_run_open(connection=connection)
    assert running is not None

    refused = admin_client.post(reverse("erp:ixc_sync", args=[connection.pk]), follow=True)

    assert "Já há uma sincronização em andamento" in refused.text
    assert SyncRun.objects.count() == 1
    page = admin_client.get(reverse("erp:ixc_runs", args=[connection.pk]))
    assert len(by_testid(page, "ixc-progress")) == 1
    assert parse(page).xpath('//meta[@http-equiv="refresh"]')

    SyncRun.objects.filter(pk=running.pk).update(started_at=timezone.now() - dt.timedelta(hours=2))
    admin_client.post(reverse("erp:ixc_sync", args=[connection.pk]))

    running.refresh_from_db()
    assert (running.ok, running.message) == (
        False,
        "Interrompida: o processo parou antes de concluir.",
    )
    assert SyncRun.objects.filter(ok=True).count() == 1


def test_attendant_cannot_reach_the_connection(
    client_for: ClientFor, attendant: User, sandbox: RunningSandbox, branch: Branch
) -> None:
    connection = IxcConnection(name="IXC", base_url=f"{sandbox.url}/ixc", default_branch=branch)
    connection.set_token(TOKEN)
    connection.save()
    client = client_for(attendant)

    assert client.post(reverse("erp:ixc_sync", args=[connection.pk])).status_code == 403
    assert client.get(reverse("erp:ixc_runs", args=[connection.pk])).status_code == 403
    assert not SyncRun.objects.exists()


def test_make_run_connects_the_demo_branch_to_the_ixc_sandbox(
    branch: Branch, other_branch: Branch, sandbox: RunningSandbox
) -> None:
    out = StringIO()
    call_command("configure_sandbox_integrations", "--url", sandbox.url, stdout=out)
    call_command("configure_sandbox_integrations", "--url", sandbox.url, stdout=StringIO())

    connection = IxcConnection.objects.get()  # found again, not duplicated
    assert (connection.default_branch, connection.token, connection.active) == (branch, TOKEN, True)
    assert [f["id"] for f in connection.filiais] == ["1", "2"]
    assert connection.branch_map == {"1": branch.pk, "2": other_branch.pk}
    assert f"{branch.name}: conectada ao IXCProvedor (simulador)" in out.getvalue()

    # The scheduled jobs' first round (run_scheduled_jobs in `make run`) brings the data in.
    call_command("run_scheduled_jobs", stdout=StringIO())

    run = connection.runs.get()
    assert run.ok and run.counts["customers"] == {"created": 12}
    assert Customer.objects.filter(external_source="ixc", branch=other_branch).count() == 4
