"""Imports of ERP exports: upload -> preview (dry run of the first rows) -> confirm -> task.

Every row goes through `sync.sync_records`, as the sync API's items do: upsert by (source,
external id), so importing a file twice changes nothing. The task works in batches of
BATCH_ROWS rows, each one transaction that also advances `processed_rows`: an interrupted
import resumes at the first row not committed ("Retomar", or the task running again).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from creditcheck.core.audit import audit_record
from creditcheck.core.enums import AuditAction
from creditcheck.core.models import Branch
from creditcheck.erp.importing import (
    KINDS,
    ImportFileError,
    Table,
    columns_for,
    iter_rows,
    read_table,
    row_items,
)
from creditcheck.erp.models import ImportJob, ImportMode, ImportStatus
from creditcheck.erp.sync import Outcome, sync_records

logger = logging.getLogger(__name__)

BATCH_ROWS = 500
PREVIEW_ROWS = 20
MAX_BYTES = 25 * 1024 * 1024
MAX_REPORTED_ERRORS = 10_000


@dataclass
class RowOutcome:
    line: int
    external_id: str
    results: dict[str, str] = field(default_factory=dict)  # kind -> created/updated/...
    messages: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.messages


def import_create(
    *, upload: UploadedFile, preset: str, source: str, branch: Branch, mode: str, user: Any
) -> ImportJob:
    """Store the file and check it as a whole. Raises ImportFileError (Portuguese)."""
    if upload.size is not None and upload.size > MAX_BYTES:
        raise ImportFileError("O arquivo passa de 25 MB.")
    name = upload.name or "arquivo"
    table = read_table(upload.read(), name)
    columns_for(preset, table.headers)
    upload.seek(0)
    job = ImportJob(
        user=user,
        branch=branch,
        original_name=name[:200],
        preset=preset,
        source=source,
        mode=mode,
        encoding=table.encoding,
        total_rows=len(table.rows),
    )
    job.file.save(name, upload, save=False)
    job.errors = _file_errors(job, table)
    job.save()
    return job


def _file_errors(job: ImportJob, table: Table) -> list[dict[str, Any]]:
    """What is wrong with rows before touching the database: cells that do not convert and
    ids repeated inside the file (of the row's own record: a customer may have many
    invoices)."""
    columns = columns_for(job.preset, table.headers)
    seen: dict[tuple[str, str], int] = {}
    errors = []
    for line, row in iter_rows(table):
        items, messages = row_items(columns, table.headers, row)
        own = next((kind for kind in reversed(KINDS) if kind in items), None)
        if own is None and not messages:
            messages = ["linha sem código do registro"]
        if own is not None:
            key = (own, items[own]["external_id"])
            if key in seen:
                messages.append(f"código {key[1]} repetido (já na linha {seen[key]})")
            else:
                seen[key] = line
        if messages:
            errors.append(_error(line, items, messages, static=True))
    return errors


def _error(
    line: int, items: dict[str, dict[str, Any]], messages: list[str], static: bool = False
) -> dict[str, Any]:
    own = next((items[kind]["external_id"] for kind in reversed(KINDS) if kind in items), "")
    return {"line": line, "external_id": own, "messages": messages, "static": static}


def _table_of(job: ImportJob) -> Table:
    with job.file.open("rb") as stored:
        return read_table(stored.read(), job.original_name)


def _process_row(job: ImportJob, table: Table, line: int, row: list[Any], actor: Any) -> RowOutcome:
    items, messages = row_items(columns_for(job.preset, table.headers), table.headers, row)
    own = next((items[kind]["external_id"] for kind in reversed(KINDS) if kind in items), "")
    outcome = RowOutcome(line, own, messages=list(messages))
    if messages:
        return outcome
    with transaction.atomic():  # a row is whole or absent
        for kind in KINDS:
            if kind not in items:
                continue
            item = items[kind]
            if kind == "customers":
                item.setdefault("branch", job.branch_id)
            [result] = sync_records(
                kind=kind, source=job.source, items=[item], request=actor,
                via=f"Importação {job.original_name}",
            )  # fmt: skip
            outcome.results[kind] = result.result
            if result.result == Outcome.ERROR:
                outcome.messages.extend(_messages(result.errors))
                transaction.set_rollback(True)
                break
    return outcome


def _messages(errors: dict[str, Any]) -> list[str]:
    """DRF's field errors as "field: message" lines."""
    lines = []
    for name, found in errors.items():
        found = found if isinstance(found, list) else [found]
        lines.append(f"{name}: {' '.join(str(message) for message in found)}")
    return lines


def import_preview(job: ImportJob) -> list[RowOutcome]:
    """The first rows as the import would do them, nothing kept (a rolled-back dry run)."""
    table = _table_of(job)
    actor = SimpleNamespace(user=job.user)
    with transaction.atomic():
        rows = [
            _process_row(job, table, line, row, actor)
            for line, row in list(iter_rows(table))[:PREVIEW_ROWS]
        ]
        transaction.set_rollback(True)
    return rows


def import_confirm(*, job: ImportJob, user: Any) -> ImportJob:
    from creditcheck.core.dispatch import enqueue
    from creditcheck.erp.tasks import task_import_run

    updated = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.PREVIEW).update(
        status=ImportStatus.QUEUED
    )
    if updated:
        audit_record(
            action=AuditAction.SETTINGS_CHANGE, user=user, branch=job.branch,
            outcome="import_confirmed", target=job,
            details={"file": job.original_name, "rows": job.total_rows, "source": job.source},
        )  # fmt: skip
        transaction.on_commit(lambda: enqueue(task_import_run, job_id=job.pk))
    job.refresh_from_db()
    return job


def import_resume(*, job: ImportJob) -> None:
    """Send an interrupted import (queued or running, e.g. its worker died) again."""
    from creditcheck.core.dispatch import enqueue
    from creditcheck.erp.tasks import task_import_run

    if job.status in (ImportStatus.QUEUED, ImportStatus.RUNNING):
        transaction.on_commit(lambda: enqueue(task_import_run, job_id=job.pk))


def import_run(*, job_id: int) -> None:
    """Import the rows not yet processed; safe to run again (it resumes)."""
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    if job.status not in (ImportStatus.QUEUED, ImportStatus.RUNNING):
        return
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)
    table = _table_of(job)
    actor = SimpleNamespace(user=job.user)
    skip = {error["line"] for error in job.errors if error.get("static")}
    if job.mode == ImportMode.ALL_OR_NOTHING:
        _run_all_or_nothing(job, table, actor, skip)
        return
    while job.processed_rows < job.total_rows:
        with transaction.atomic():
            job = ImportJob.objects.select_for_update().get(pk=job.pk)
            start = job.processed_rows
            for line, row in list(iter_rows(table, start))[:BATCH_ROWS]:
                if line in skip:
                    job.error_rows += 1
                    continue
                _count(job, _process_row(job, table, line, row, actor))
            job.processed_rows = min(start + BATCH_ROWS, job.total_rows)
            job.save()
    _finish(job, ImportStatus.DONE, "")


def _run_all_or_nothing(job: ImportJob, table: Table, actor: Any, skip: set[int]) -> None:
    """Every row in one transaction, rolled back at the first bad row's count: all or none."""
    with transaction.atomic():
        for line, row in iter_rows(table):
            if line in skip:
                job.error_rows += 1
                continue
            _count(job, _process_row(job, table, line, row, actor))
        job.processed_rows = job.total_rows
        if job.error_rows:
            transaction.set_rollback(True)
    if job.error_rows:
        job.created = job.updated = job.unchanged = 0
        message = f"{job.error_rows} linha(s) com erro: nada foi importado."
        _finish(job, ImportStatus.FAILED, message)
    else:
        _finish(job, ImportStatus.DONE, "")


def _count(job: ImportJob, outcome: RowOutcome) -> None:
    if not outcome.ok:
        job.error_rows += 1
        if len(job.errors) < MAX_REPORTED_ERRORS:
            job.errors.append(
                {"line": outcome.line, "external_id": outcome.external_id,
                 "messages": outcome.messages, "static": False}
            )  # fmt: skip
        return
    own = next(outcome.results[kind] for kind in reversed(KINDS) if kind in outcome.results)
    if own == Outcome.CREATED:
        job.created += 1
    elif own == Outcome.UPDATED:
        job.updated += 1
    else:
        job.unchanged += 1


def _finish(job: ImportJob, status: str, message: str) -> None:
    job.status = status
    job.message = message
    job.finished_at = timezone.now()
    job.save()
    logger.info("import %s %s: %s", job.pk, status, message)


__all__ = ["ImportFileError", "import_confirm", "import_create", "import_preview", "import_run"]
