"""Latency of the re-query interval check and of a subject's query history at 2,000,000 queries.

Fills a PostgreSQL database (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/
creditcheck_bench, created when missing) with 2,000,000 stored credit queries over 400,000
documents, 3 branches and 2 years, then times, for random documents and customers:
- the interval check the query service runs before every platform call (`requery_blocker`);
- the history list of a customer's "Análise de crédito" tab (first page, scoped to the user).
Prints median and p99 of each, then `RATIO interval_check_p99_ms=<p99> target=5`.

    .venv/bin/python bench/interval_check.py [--rows 2000000] [--samples 2000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from support.postgres import setup_postgres_django  # noqa: E402 - bench/ is on sys.path

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/creditcheck_bench"


def percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


FILL_SQL = """
INSERT INTO analysis_creditquery (
    subject_type, customer_id, document, person_type, subject_name, branch_id, platform, product,
    user_id, status, refusal_code, override_reason, raw_payload, protocol, has_restrictions,
    score, restriction_count, restriction_amount, billed, cost, error_code, error_message,
    provider_file, provider_file_type, created_at, finished_at
)
SELECT
    CASE WHEN g %% 4 = 0 THEN 'customer' ELSE 'document' END,
    CASE WHEN g %% 4 = 0 THEN %(first_customer)s + (g / 4) %% %(customers)s ELSE NULL END,
    lpad(((g::bigint * 7919) %% %(documents)s)::text, 11, '0'),
    'F', '', %(branch0)s + g %% 3, 'spcbrasil', '257', %(user)s,
    CASE WHEN g %% 10 = 0 THEN 'failed' ELSE 'succeeded' END,
    '', '', '', 'P' || g, g %% 3 = 0, g %% 1000, g %% 3, 0, 'yes', 9.80, '', '', '', '',
    now() - ((g %% 730) || ' days')::interval - ((g %% 86400) || ' seconds')::interval,
    now() - ((g %% 730) || ' days')::interval
FROM generate_series(%(start)s, %(stop)s) AS g
"""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--samples", type=int, default=2000)
    args = parser.parse_args()

    if not setup_postgres_django(DEFAULT_URL):
        return 2
    from django.db import connection

    from creditcheck.analysis.models import CreditQuery
    from creditcheck.analysis.selectors import history_for_subject
    from creditcheck.analysis.services import requery_blocker
    from creditcheck.core.enums import Role, State
    from creditcheck.core.models import Branch
    from creditcheck.customers.models import Customer
    from tests.factories import CustomerFactory, UserFactory

    customers_wanted = 2000
    if CreditQuery.objects.count() < args.rows:
        print(f"filling {args.rows:,} queries (one-off; kept for later runs)...", flush=True)
        CreditQuery.objects.all().delete()
        branches = [
            Branch.objects.get_or_create(
                cnpj=cnpj, defaults={"name": f"Filial {uf}", "state": uf, "city": "Cidade"}
            )[0]
            for cnpj, uf in (
                ("11222333000181", State.SP),
                ("45212669000185", State.MG),
                ("33000167000101", State.PR),
            )
        ]
        user = UserFactory.create(role=Role.ATTENDANT, branches=branches[:1])
        missing = customers_wanted - Customer.objects.count()
        if missing > 0:
            CustomerFactory.create_batch(missing, branch=branches[0])
        first_customer = Customer.objects.order_by("id").values_list("id", flat=True)[0]
        started = time.perf_counter()
        chunk = 250_000
        with connection.cursor() as cursor:
            for start in range(1, args.rows + 1, chunk):
                cursor.execute(
                    FILL_SQL,
                    {
                        "first_customer": first_customer,
                        "customers": customers_wanted,
                        "documents": 400_000,
                        "branch0": branches[0].pk,
                        "user": user.pk,
                        "start": start,
                        "stop": min(start + chunk - 1, args.rows),
                    },
                )
            cursor.execute("ANALYZE analysis_creditquery")
        print(f"filled in {time.perf_counter() - started:.1f} s")
    from django.contrib.auth.models import User

    reader = User.objects.filter(branches__isnull=False).order_by("id").first()
    assert reader is not None
    documents = [
        str((n * 7919) % 400_000).zfill(11)
        for n in random.sample(range(1, args.rows), args.samples)
    ]
    customer_ids = list(Customer.objects.values_list("id", flat=True)[:customers_wanted])

    for document in documents[:50]:  # warm the caches, as a running server has them
        requery_blocker(document, 30)
    checks = []
    for document in documents:
        started = time.perf_counter()
        requery_blocker(document, 30)
        checks.append((time.perf_counter() - started) * 1000)
    histories = []
    for customer_id in random.sample(customer_ids, min(args.samples, len(customer_ids))):
        started = time.perf_counter()
        list(history_for_subject(reader, customer_id=customer_id)[:25])
        histories.append((time.perf_counter() - started) * 1000)

    total = CreditQuery.objects.count()
    print(f"stored queries: {total:,}; samples: {len(checks)} checks, {len(histories)} histories")
    print(
        f"interval check  median {statistics.median(checks):.3f} ms  "
        f"p99 {percentile(checks, 99):.3f} ms"
    )
    print(
        f"history list    median {statistics.median(histories):.3f} ms  "
        f"p99 {percentile(histories, 99):.3f} ms"
    )
    print(f"RATIO interval_check_p99_ms={percentile(checks, 99):.3f} target=5")
    return 0


if __name__ == "__main__":
    sys.exit(main())
