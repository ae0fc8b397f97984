"""Latency of Relatórios > Custos (every figure of one month, all branches) at 2,000,000 queries.

Fills a PostgreSQL database (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/
creditcheck_costs, created when missing) with 2,000,000 stored credit queries over 2 years,
8 branches, 24 users, 4 platforms and 5 products (about 1 in 20 refused by the re-query interval),
plus 20,000 negativações (and the daily usage figures the query service keeps as queries end),
then times `costs.selectors.costs_report` for the current month and all branches, as an
administrator opens the dashboard. Prints median and p95, then
`RATIO costs_dashboard_p95_ms=<p95> target=300`.

    .venv/bin/python bench/costs_dashboard.py [--rows 2000000] [--samples 40]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from support.postgres import setup_postgres_django  # noqa: E402 - bench/ is on sys.path

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/creditcheck_costs"
BRANCHES = 8
USERS = 24

FILL_SQL = """
INSERT INTO analysis_creditquery (
    subject_type, document, person_type, subject_name, branch_id, integration_id, platform,
    product, user_id, status, refusal_code, override_reason, raw_payload, protocol,
    has_restrictions, score, restriction_count, restriction_amount, billed, cost, error_code,
    error_message, provider_file, provider_file_type, created_at, finished_at
)
SELECT
    'document',
    lpad(((g::bigint * 7919) %% 400000)::text, 11, '0'),
    'F', '',
    (%(branches)s::int[])[1 + g %% %(branch_count)s],
    (%(integrations)s::int[])[1 + g %% %(branch_count)s],
    (ARRAY['spcbrasil', 'soawebservice', 'connectsa', 'creditonamedida'])[1 + (g / 7) %% 4],
    (ARRAY['257', '2', 'RELATORIO_BASICO', 'SCORE_PJ', ''])[1 + (g / 11) %% 5],
    (%(users)s::int[])[1 + (g / 3) %% %(user_count)s],
    CASE WHEN g %% 20 = 0 THEN 'refused' WHEN g %% 10 = 1 THEN 'failed' ELSE 'succeeded' END,
    CASE WHEN g %% 20 = 0 THEN 'requery_interval' ELSE '' END,
    '', '', 'P' || g, g %% 3 = 0, g %% 1000, g %% 3, 0,
    CASE WHEN g %% 20 = 0 THEN 'no' ELSE 'yes' END,
    CASE WHEN g %% 20 = 0 THEN 0 ELSE 9.80 END,
    '', '', '', '',
    now() - ((g %% 730) || ' days')::interval - ((g %% 86400) || ' seconds')::interval,
    now() - ((g %% 730) || ' days')::interval
FROM generate_series(%(start)s, %(stop)s) AS g
"""


def percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


def fill(rows: int) -> None:
    from decimal import Decimal

    from django.db import connection

    from creditcheck.analysis.models import CreditQuery
    from creditcheck.core.enums import Role
    from creditcheck.costs.models import BranchBudget
    from creditcheck.integrations.models import BranchIntegration
    from tests.factories import BranchFactory, UserFactory

    CreditQuery.objects.all().delete()
    branches = BranchFactory.create_batch(BRANCHES)
    integrations = [
        BranchIntegration.objects.create(
            branch=branch,
            platform="spcbrasil",
            base_url="https://example.invalid/",
            cost_per_query=Decimal("9.80"),
            is_default=True,
        )
        for branch in branches
    ]
    users = [
        UserFactory.create(role=Role.ATTENDANT, branches=[branches[n % BRANCHES]])
        for n in range(USERS)
    ]
    for branch in branches[::2]:
        BranchBudget.objects.create(branch=branch, monthly_amount=Decimal("80000.00"))
    started = time.perf_counter()
    chunk = 250_000
    with connection.cursor() as cursor:
        for start in range(1, rows + 1, chunk):
            cursor.execute(
                FILL_SQL,
                {
                    "branches": [b.pk for b in branches],
                    "integrations": [i.pk for i in integrations],
                    "branch_count": BRANCHES,
                    "users": [u.pk for u in users],
                    "user_count": USERS,
                    "start": start,
                    "stop": min(start + chunk - 1, rows),
                },
            )
        cursor.execute("ANALYZE analysis_creditquery")
    print(f"filled in {time.perf_counter() - started:.1f} s")


def fill_negativations(count: int) -> None:
    """Negativações straight in SQL: the dashboard only counts them (status, dates). None is
    live, since an invoice has at most one live record."""
    from django.db import connection

    from creditcheck.core.models import Branch
    from tests.factories import InvoiceFactory

    branch_ids = list(Branch.objects.values_list("pk", flat=True))
    invoice = InvoiceFactory.create(contract__customer__branch_id=branch_ids[0])
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO negativation_negativation (
                invoice_id, customer_id, branch_id, integration_id, platform, status, document,
                amount, due_date, reason_code, platform_id, automatic, requested_by_id,
                removal_reason, removal_platform_code, removal_deadline, removed_at, attempts,
                error_code, error_message, created_at, updated_at
            )
            SELECT %(invoice)s, %(customer)s, (%(branches)s::int[])[1 + g %% %(n)s],
                (SELECT id FROM integrations_branchintegration ORDER BY id LIMIT 1),
                'spcbrasil',
                CASE WHEN g %% 3 = 0 THEN 'rejected' ELSE 'removed' END,
                '52998224725', 99.90, current_date - 90, '', '', false, NULL,
                '', '', current_date - (g %% 60),
                CASE WHEN g %% 3 = 0 THEN NULL ELSE now() - ((g %% 58) || ' days')::interval END,
                1, '', '', now(), now()
            FROM generate_series(1, %(count)s) AS g
            """,
            {
                "invoice": invoice.pk,
                "customer": invoice.contract.customer_id,
                "branches": branch_ids,
                "n": len(branch_ids),
                "count": count,
            },
        )
        cursor.execute("ANALYZE negativation_negativation")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--samples", type=int, default=40)
    args = parser.parse_args()

    if not setup_postgres_django(DEFAULT_URL):
        return 2

    from creditcheck.analysis.models import CreditQuery
    from creditcheck.core.enums import Role
    from creditcheck.core.selectors import branches_for
    from creditcheck.costs.budgets import current_month
    from creditcheck.costs.models import QueryUsageDaily
    from creditcheck.costs.selectors import costs_report
    from creditcheck.costs.usage import usage_rebuild
    from creditcheck.negativation.models import Negativation
    from tests.factories import UserFactory

    if CreditQuery.objects.count() < args.rows:
        print(f"filling {args.rows:,} queries (one-off; kept for later runs)...", flush=True)
        fill(args.rows)
    if not Negativation.objects.exists():
        fill_negativations(20_000)
    if not QueryUsageDaily.objects.exists():
        # The queries were inserted directly, not through the query service that keeps the
        # daily usage figures as each query ends: compute them once, as after an upgrade.
        started = time.perf_counter()
        rows = usage_rebuild()
        print(f"daily usage rebuilt: {rows:,} rows in {time.perf_counter() - started:.1f} s")

    admin = UserFactory.create(role=Role.ADMINISTRATOR)
    month = current_month()
    for _ in range(3):  # warm the caches, as a running server has them
        costs_report(month=month, branches=branches_for(admin))
    samples = []
    for _ in range(args.samples):
        started = time.perf_counter()
        report = costs_report(month=month, branches=branches_for(admin))
        samples.append((time.perf_counter() - started) * 1000)

    print(
        f"stored queries: {CreditQuery.objects.count():,}; month {month:%Y-%m}: "
        f"{report.count:,} queries, R$ {report.cost}, {report.avoided:,} avoided, "
        f"{len(report.per_branch)} branches; samples: {len(samples)}"
    )
    p95 = percentile(samples, 95)
    print(f"costs dashboard  median {statistics.median(samples):.1f} ms  p95 {p95:.1f} ms")
    print(f"RATIO costs_dashboard_p95_ms={p95:.1f} target=300")
    return 0


if __name__ == "__main__":
    sys.exit(main())
