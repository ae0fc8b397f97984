"""The IXCProvedor connections of Configurações > Integrações: save one (its token encrypted
like the platforms' credentials), map its filiais to branches, ask for a sync now.

A sync runs as a task (`task_ixc_sync`); one connection has at most one run in progress.
A run left unfinished by a process that stopped is closed as interrupted once it is older
than STALE_AFTER, so the connection can sync again.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from creditcheck.core.audit import audit_record
from creditcheck.core.enums import AuditAction
from creditcheck.core.models import Branch
from creditcheck.erp.models import IxcConnection, SyncRun

STALE_AFTER = dt.timedelta(hours=1)


def ixc_token_validate(token: str) -> str:
    """IXC shows the webservice token as `<user id>:<secret>`; the user id is numeric."""
    token = token.strip()
    user, _sep, secret = token.partition(":")
    if not user.isdigit() or not secret:
        raise ValidationError(
            {"token": ValidationError(
                _("Informe o token no formato <id do usuário>:<token>, como o IXC o mostra."),
                code="invalid_token",
            )}
        )  # fmt: skip
    return token


def ixc_connection_save(
    *,
    connection: IxcConnection | None,
    name: str,
    base_url: str,
    token: str,
    default_branch: Branch,
    active: bool,
    user: Any,
) -> IxcConnection:
    """Create or change a connection; a blank `token` keeps the stored one (never shown)."""
    if connection is None and not token:
        message = _("Informe o token do webservice.")
        raise ValidationError({"token": ValidationError(message, code="required")})
    with transaction.atomic():
        row = connection or IxcConnection()
        row.name, row.base_url, row.default_branch, row.active = (
            name, base_url.rstrip("/"), default_branch, active,
        )  # fmt: skip
        if token:
            row.set_token(ixc_token_validate(token))
        row.save()
        _audit(row, user, "saved", {"name": name, "base_url": row.base_url, "active": active,
                                    "token_changed": bool(token)})  # fmt: skip
    return row


def ixc_branch_map_save(
    *, connection: IxcConnection, mapping: dict[str, Branch | None], user: Any
) -> IxcConnection:
    """Map each IXC filial id to a branch (None: the default branch takes its customers)."""
    known = {filial["id"] for filial in connection.filiais}
    unknown = sorted(set(mapping) - known)
    if unknown:
        message = _("Filial do IXC desconhecida: %(ids)s.") % {"ids": ", ".join(unknown)}
        raise ValidationError({"branch_map": ValidationError(message, code="unknown_filial")})
    connection.branch_map = {key: branch.pk for key, branch in mapping.items() if branch}
    with transaction.atomic():
        IxcConnection.objects.filter(pk=connection.pk).update(branch_map=connection.branch_map)
        _audit(connection, user, "mapped", {"branch_map": connection.branch_map})
    return connection


def _audit(connection: IxcConnection, user: Any, outcome: str, details: dict[str, Any]) -> None:
    audit_record(
        action=AuditAction.SETTINGS_CHANGE,
        user=user,
        branch=connection.default_branch,
        outcome=outcome,
        target=connection,
        details={"setting": "ixc_connection", **details},
    )


def ixc_run_open(*, connection: IxcConnection, user: Any = None) -> SyncRun | None:
    """A new run of `connection`, or None while another one is in progress."""
    with transaction.atomic():
        IxcConnection.objects.select_for_update().filter(pk=connection.pk).first()
        unfinished = SyncRun.objects.filter(connection=connection, finished_at__isnull=True)
        unfinished.filter(started_at__lt=timezone.now() - STALE_AFTER).update(
            finished_at=timezone.now(),
            stage="",
            message=_("Interrompida: o processo parou antes de concluir."),
        )
        if unfinished.exists():
            return None
        requester = user if getattr(user, "is_authenticated", False) else None
        return SyncRun.objects.create(
            connection=connection, requested_by=requester, stage=_("Na fila")
        )


def ixc_sync_request(*, connection: IxcConnection, user: Any) -> SyncRun:
    """ "Sincronizar agora": a run in the queue (task_ixc_sync). Refuses `sync_running`."""
    from creditcheck.core.dispatch import enqueue
    from creditcheck.erp.tasks import task_ixc_sync

    if not connection.active:
        message = _("A conexão está inativa: ative-a para sincronizar.")
        raise ValidationError(message, code="inactive")
    run = ixc_run_open(connection=connection, user=user)
    if run is None:
        raise ValidationError(
            _("Já há uma sincronização em andamento desta conexão."), code="sync_running"
        )
    transaction.on_commit(lambda: enqueue(task_ixc_sync, run_id=run.pk))
    return run
