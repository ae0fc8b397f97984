"""The daily negativação sweep at 1,000,000 invoices against a plain SQL count of its work.

Fills a PostgreSQL database (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/
creditcheck_sweep, created when missing) with 1,000,000 invoices of 100,000 contracts in one
branch, about 5% of them eligible for automatic inclusion. Then, in one run:
- count: a hand-written SQL COUNT(*) of the eligible invoices (the floor: the same rows found);
- sweep: `negativation_sweep(branch=...)` — the daily selection, the recording of one queued
  request (SweepRequest, the outbox) per eligible invoice, and their batched enqueueing on Redis
  (CELERY_BROKER_URL, default redis://127.0.0.1:6379/14; the queue is purged afterwards,
  nothing is sent to any platform).
Prints both absolute times and `RATIO sweep_vs_sql=<sweep/count> target=3`.

    .venv/bin/python bench/sweep.py [--invoices 1000000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from support.postgres import setup_postgres_django  # noqa: E402 - bench/ is on sys.path

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/creditcheck_sweep"
DEFAULT_BROKER = "redis://127.0.0.1:6379/14"
BENCH_QUEUE_PREFIX = "bench-sweep-"

FILL_CUSTOMERS = """
INSERT INTO customers_customer (created_at, updated_at, person_type, name, document, birth_date,
    mother_name, cep, street, number, complement, district, city, state, phone, email, branch_id,
    status)
SELECT now(), now(), 'F', 'CLIENTE ' || g, lpad(g::text, 11, '0'), NULL, '', '01310100',
    'Avenida Paulista', g::text, '', 'Bela Vista', 'São Paulo', 'SP', '', '', %(branch)s, 'active'
FROM generate_series(1, %(customers)s) AS g
"""
FILL_CONTRACTS = """
INSERT INTO contracts_contract (created_at, updated_at, customer_id, branch_id, plan,
    monthly_amount, start_date, status, cancelled_at)
SELECT now(), now(), c.id, %(branch)s, 'Fibra 300', 99.90, DATE '2020-01-10',
    CASE WHEN c.id %% 50 = 0 THEN 'cancelled' ELSE 'active' END,
    CASE WHEN c.id %% 50 = 0 THEN DATE '2021-01-01' ELSE NULL END
FROM customers_customer c WHERE c.branch_id = %(branch)s
"""
# 10 invoices per contract, monthly, the newest due today. Open: the newest everywhere (not yet
# overdue), last month's in 3 of 10 contracts, and months 2-5 in 1 of 20: about 5% eligible.
OPEN_RULE = "(m = 0 OR (m = 1 AND k.id %% 10 < 3) OR (m BETWEEN 2 AND 5 AND k.id %% 20 = 0))"
FILL_INVOICES = """
INSERT INTO contracts_invoice (created_at, updated_at, contract_id, number, amount, due_date,
    status, paid_at, paid_amount, disputed)
SELECT now(), now(), k.id, 'F' || k.id || '-' || m, 99.90, (CURRENT_DATE - (m * 30))::date,
    CASE WHEN OPEN_RULE THEN 'open' ELSE 'paid' END,
    CASE WHEN OPEN_RULE THEN NULL ELSE (CURRENT_DATE - (m * 30) + 3) END,
    CASE WHEN OPEN_RULE THEN NULL ELSE 99.90 END,
    (k.id %% 97 = 0)
FROM contracts_contract k CROSS JOIN generate_series(0, 9) AS m
WHERE k.branch_id = %(branch)s
""".replace("OPEN_RULE", OPEN_RULE)

COUNT_SQL = """
SELECT count(*) FROM contracts_invoice i
JOIN contracts_contract k ON k.id = i.contract_id
JOIN customers_customer c ON c.id = k.customer_id
WHERE k.branch_id = %(branch)s AND i.status = 'open' AND NOT i.disputed
  AND i.due_date <= %(latest)s AND i.due_date >= %(oldest)s AND i.amount >= %(minimum)s
  AND c.cep <> '' AND c.street <> '' AND c.number <> '' AND c.district <> '' AND c.city <> ''
  AND c.state <> ''
  AND NOT (k.status = 'cancelled' AND k.cancelled_at < i.due_date - 30)
  AND NOT EXISTS (SELECT 1 FROM negativation_negativation n WHERE n.invoice_id = i.id
                  AND n.status IN ('requested', 'sent', 'awaiting_notice', 'active',
                                   'removal_requested', 'failed'))
  AND NOT EXISTS (SELECT 1 FROM negativation_sweeprequest q WHERE q.invoice_id = i.id
                  AND q.processed_at IS NULL)
"""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--invoices", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    os.environ["CELERY_QUEUE_PREFIX"] = BENCH_QUEUE_PREFIX
    if not setup_postgres_django(DEFAULT_URL, broker=DEFAULT_BROKER):
        return 2
    from django.db import connection
    from django.utils import timezone

    from creditcheck.celery import app as celery_app
    from creditcheck.contracts.models import Invoice
    from creditcheck.core.enums import State
    from creditcheck.core.models import Branch
    from creditcheck.core.tasks import task_ping_db
    from creditcheck.integrations.enums import Environment
    from creditcheck.integrations.services import branch_integration_save, credit_settings_update
    from creditcheck.negativation.deadlines import oldest_includable_due_date
    from creditcheck.negativation.models import (
        BranchNegativationSettings,
        Negativation,
        NegativationEvent,
        SweepRequest,
    )
    from creditcheck.negativation.services import negativation_sweep

    branch, _ = Branch.objects.get_or_create(
        cnpj="11222333000181",
        defaults={"name": "Filial Sweep", "state": State.SP, "city": "São Paulo"},
    )
    if Invoice.objects.filter(contract__branch=branch).count() < args.invoices:
        print(f"filling {args.invoices:,} invoices (one-off; kept for later runs)...", flush=True)
        started = time.perf_counter()
        with connection.cursor() as cursor:
            params = {"branch": branch.pk, "customers": args.invoices // 10}
            cursor.execute(FILL_CUSTOMERS, params)
            cursor.execute(FILL_CONTRACTS, params)
            cursor.execute(FILL_INVOICES, params)
            cursor.execute("ANALYZE")
        print(f"filled in {time.perf_counter() - started:.1f} s")
    integration = branch_integration_save(
        branch=branch,
        platform="spcbrasil",
        environment=Environment.SANDBOX,
        credentials={"operador": "sandbox", "senha": "sandbox123"},
        integration=branch.integrations.first(),
        is_default=True,
    )
    credit_settings_update(user=None, enabled=True, requery_interval_days=0)
    rules, _ = BranchNegativationSettings.objects.get_or_create(branch=branch)
    rules.auto_include, rules.days_after_due, rules.integration = True, 30, integration
    rules.save()

    # Start from no negativações or queued requests, so both sides find the same eligible rows.
    for model in (SweepRequest, NegativationEvent, Negativation):
        model.objects.all()._raw_delete(connection.alias)
    with connection.cursor() as cursor:
        for model in (SweepRequest, NegativationEvent, Negativation):
            cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
    today = timezone.localdate()
    params = {
        "branch": branch.pk,
        "latest": today - dt.timedelta(days=30),
        "oldest": oldest_includable_due_date(today),
        "minimum": rules.min_amount,
    }

    # A daily job runs in a worker whose broker connection is already open.
    task_ping_db.apply_async()
    with connection.cursor() as cursor:
        cursor.execute(COUNT_SQL, params)  # warm the cache, as a daily job finds it
    count_times, sweep_times = [], []
    for _ in range(args.rounds):  # interleaved, so drift hits both sides alike
        with connection.cursor() as cursor:
            started = time.perf_counter()
            cursor.execute(COUNT_SQL, params)
            eligible = cursor.fetchone()[0]
            count_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        queued = negativation_sweep(branch=branch, today=today)
        sweep_times.append(time.perf_counter() - started)
        assert queued == eligible, "the sweep must queue exactly the eligible invoices"
        celery_app.control.purge()  # nothing is to be sent by a bench
        # The next round starts equal: no queued rows, no dead ones left behind.
        SweepRequest.objects.all()._raw_delete(connection.alias)
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM {SweepRequest._meta.db_table}")
    count_seconds, sweep_seconds = statistics.median(count_times), statistics.median(sweep_times)
    total = Invoice.objects.filter(contract__branch=branch).count()
    print(
        f"invoices: {total:,}; eligible: {eligible:,} ({eligible / total:.1%}); "
        f"{args.rounds} rounds; medians below"
    )
    print(f"plain SQL count of the eligible rows: {count_seconds:.3f} s")
    print(f"sweep (select + record + enqueue):    {sweep_seconds:.3f} s")
    print(f"RATIO sweep_vs_sql={sweep_seconds / count_seconds:.2f} target=3")
    return 0


if __name__ == "__main__":
    sys.exit(main())
