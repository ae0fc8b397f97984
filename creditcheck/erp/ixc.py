"""Sync from IXCProvedor: filiais, clientes, contratos and contas a receber (fn_areceber).

Reads through `providers.ixc.IxcClient`, incrementally: every table from the connection's
watermark (`ultima_atualizacao >=` the newest value seen; the boundary rows come again and
answer `unchanged`). Each record becomes a sync item (`sync.sync_records`, source = the
connection's `source`), so a receivable the ERP reports received (`status` R) is paid
through `invoice_pay` with its `pagamento_data`, and its negativação's removal is requested.
Receivables with `liberado = N` are not the customer's to pay yet and are left out.
Each run reads the `filial` table too, so the Integrações screen can map every IXC filial to
a branch (`branch_map`); an unmapped filial's customers go to the connection's default branch.
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any

from django.utils import timezone

from creditcheck.erp.models import IxcConnection, SyncRun
from creditcheck.erp.sync import SYSTEM, ItemResult, sync_records
from providers.base import ProviderError
from providers.ixc import IxcClient

logger = logging.getLogger(__name__)

EMPTY_DATES = ("", "0000-00-00")
CONTRACT_STATUS = {"A": "active", "D": "cancelled", "I": "suspended", "N": "suspended",
                   "P": "suspended"}  # fmt: skip
INVOICE_STATUS = {"A": "open", "R": "paid", "C": "cancelled"}


def _day(value: str) -> str:
    return "" if value in EMPTY_DATES else value[:10]


def _optional(item: dict[str, Any], **values: str) -> dict[str, Any]:
    item.update({name: value for name, value in values.items() if value})
    return item


def customer_item(
    record: dict[str, str], cities: dict[str, dict[str, str]], branch_for: Any
) -> dict[str, Any]:
    city = cities.get(record.get("cidade", ""), {})
    item = {
        "external_id": record["id"],
        "person_type": "J" if record.get("tipo_pessoa") == "J" else "F",
        "name": record.get("razao", ""),
        "document": record.get("cnpj_cpf", ""),
        "cep": record.get("cep", ""),
        "street": record.get("endereco", ""),
        "number": record.get("numero") or "S/N",
        "district": record.get("bairro", ""),
        "city": city.get("nome", ""),
        "state": city.get("uf") or record.get("uf", ""),
        "branch": branch_for(record.get("filial_id", "")),
        "status": "active" if record.get("ativo", "S") == "S" else "inactive",
    }
    return _optional(
        item,
        birth_date=_day(record.get("data_nascimento", "")),
        complement=record.get("complemento", ""),
        email=record.get("email", ""),
        phone="".join(
            c for c in record.get("telefone_celular") or record.get("fone", "") if c.isdigit()
        ),
    )


def contract_item(record: dict[str, str], amount: str) -> dict[str, Any]:
    status = CONTRACT_STATUS.get(record.get("status", "A"), "active")
    item = {
        "external_id": record["id"],
        "customer_external_id": record.get("id_cliente", ""),
        "plan": record.get("contrato", ""),
        "start_date": _day(record.get("data_ativacao", "")) or _day(record.get("data", "")),
        "status": status,
    }
    if status == "cancelled":
        item["cancelled_at"] = _day(record.get("data_cancelamento", "")) or _day(
            record.get("ultima_atualizacao", "")
        )
    return _optional(item, monthly_amount=amount)


def invoice_item(record: dict[str, str]) -> dict[str, Any]:
    status = INVOICE_STATUS.get(record.get("status", "A"), "open")
    item = {
        "external_id": record["id"],
        "contract_external_id": record.get("id_contrato", ""),
        "number": f"IXC-{record['id']}",
        "amount": record.get("valor", ""),
        "due_date": _day(record.get("data_vencimento", "")),
        "status": status,
    }
    if status == "paid":
        item.update(
            paid_at=_day(record.get("pagamento_data", "")),
            paid_amount=record.get("valor_recebido", ""),
        )
    return _optional(item, pix_txid=record.get("pix_txid", ""))


# Records applied between two progress updates of the run (one UPDATE each).
PROGRESS_EVERY = 200


def filiais_of(records: list[dict[str, str]]) -> list[dict[str, Any]]:
    """The ERP's `filial` rows as the mapping screen shows them."""
    return [
        {
            "id": record["id"],
            "name": record.get("fantasia") or record.get("razao") or f"Filial {record['id']}",
            "cnpj": record.get("cnpj", ""),
            "active": record.get("ativo", "S") == "S",
        }
        for record in records
    ]


def ixc_filiais_read(*, connection: IxcConnection, client: IxcClient | None = None) -> None:
    """Read the ERP's filiais into the connection (raises ProviderError when IXC fails)."""
    client = client or IxcClient(connection.base_url, connection.token)
    connection.filiais = filiais_of(list(client.list_all("filial", filters=[])))
    connection.filiais_synced_at = timezone.now()
    IxcConnection.objects.filter(pk=connection.pk).update(
        filiais=connection.filiais, filiais_synced_at=connection.filiais_synced_at
    )


def _progress(run: SyncRun, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(run, name, value)
    SyncRun.objects.filter(pk=run.pk).update(**fields)


def ixc_sync(
    *, connection: IxcConnection, client: IxcClient | None = None, run: SyncRun | None = None
) -> SyncRun:
    """One run (`run` when one was requested, else a new one): read the filiais and what
    changed since the watermark, upsert it, log it (SyncRun, with its progress)."""
    run = run or SyncRun.objects.create(connection=connection)
    _progress(run, since=connection.watermark, stage="Lendo o IXC")
    client = client or IxcClient(connection.base_url, connection.token)
    since = [("ultima_atualizacao", ">=", connection.watermark)] if connection.watermark else []
    newest = connection.watermark
    try:
        ixc_filiais_read(connection=connection, client=client)
        cities = {c["id"]: c for c in client.list_all("cidade", filters=[])}
        customers = list(client.list_all("cliente", filters=since))
        receivables = list(client.list_all("fn_areceber", filters=[*since, ("liberado", "=", "S")]))
        contracts = list(client.list_all("cliente_contrato", filters=since))
    except ProviderError as exc:
        run.message = f"Falha ao ler o IXC: {exc.message or exc.user_message}"[:300]
        run.finished_at = timezone.now()
        run.stage = ""
        run.save()
        return run
    mapping = {str(k): int(v) for k, v in connection.branch_map.items() if v}

    def branch_for(filial: str) -> int:
        return mapping.get(filial, connection.default_branch_id)

    amounts: dict[str, str] = {}
    for receivable in sorted(receivables, key=lambda r: r.get("data_vencimento", "")):
        amounts[receivable.get("id_contrato", "")] = receivable.get("valor", "")
    batches = {
        "customers": [customer_item(r, cities, branch_for) for r in customers],
        "contracts": [contract_item(r, amounts.get(r["id"], "")) for r in contracts],
        "invoices": [invoice_item(r) for r in receivables],
    }
    _progress(run, total=sum(len(items) for items in batches.values()), processed=0)
    for kind, items in batches.items():
        results: list[ItemResult] = []
        for start in range(0, len(items), PROGRESS_EVERY):
            _progress(run, stage=STAGES[kind], processed=run.processed)
            results += sync_records(
                kind=kind, source=connection.source, items=items[start : start + PROGRESS_EVERY],
                request=SYSTEM, via=f"Sincronização IXC ({connection.name})",
            )  # fmt: skip
            run.processed += len(items[start : start + PROGRESS_EVERY])
        _log(run, kind, results)
    for record in (*customers, *contracts, *receivables):
        newest = max(newest, record.get("ultima_atualizacao", ""))
    run.ok = True
    run.stage = ""
    run.finished_at = timezone.now()
    run.save()
    IxcConnection.objects.filter(pk=connection.pk).update(watermark=newest)
    connection.watermark = newest
    return run


STAGES = {"customers": "Clientes", "contracts": "Contratos", "invoices": "Contas a receber"}


def _log(run: SyncRun, kind: str, results: list[ItemResult]) -> None:
    run.counts[kind] = dict(Counter(result.result for result in results))
    run.errors.extend(
        {"table": kind, "external_id": r.external_id, "code": r.code, "errors": r.errors}
        for r in results
        if r.code
    )
