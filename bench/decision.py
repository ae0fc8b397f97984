"""What deciding a credit query with the credit policy adds to the query's own path.

In one run and interleaved, with the sandbox answering at 0 ms, an authenticated
`POST /api/v1/credit-queries/` through the whole Django app (checks, platform call, storing the
result) for the same CPF in two branches:
- policy on: a branch whose own policy holds the 7 rules of a typical ISP policy (score ranges,
  restriction kinds and total, document alert, the ISP's own overdue invoices, a conditioned
  approval); the CPF (score 520) goes to review, so the decision, its review entry and the
  ISP-history read are all written/run;
- policy off: a branch with no policy (no company default either).
Prints both medians, then `RATIO decision=<on/off> target=1.10`.

Uses DATABASE_URL when set (e.g. PostgreSQL), else a fresh SQLite file in a temporary folder;
production settings (DEBUG off).

    .venv/bin/python bench/decision.py [--rounds 80]
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CPF = "12345678909"  # sandbox "small_restriction": score 520, one PEFIN


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=80)
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="bench-decision-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")
    os.environ.pop("CELERY_BROKER_URL", None)  # embedded mode: the task runs in-process
    os.environ["MEDIA_ROOT"] = workdir
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["CREDIT_QUERY_RATE"] = "100000/min"
    os.environ["DEBUG"] = "false"
    # The task runs inside the request, so the request measures the whole path (as in
    # bench/query_overhead.py); the screens' background thread would answer before it.
    os.environ["EMBEDDED_BACKGROUND_TASKS"] = "false"
    os.environ["SECRET_KEY"] = secrets.token_urlsafe(50)
    os.environ["DJANGO_SETTINGS_MODULE"] = "creditcheck.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from creditcheck.core.enums import Role, State
    from creditcheck.core.models import Branch
    from creditcheck.decisions.models import CreditDecision
    from providers.sandbox.server import serve_in_thread
    from tests.credit_setup import connect_branch, enable_credit_analysis
    from tests.decisions.policies import publish_standard_policy
    from tests.factories import UserFactory

    call_command("migrate", verbosity=0)
    sandbox = serve_in_thread()
    sandbox.state.latency_ms["*"] = 0
    try:
        on = Branch.objects.create(
            name="Filial Política", cnpj="11222333000181", state=State.SP, city="São Paulo"
        )
        off = Branch.objects.create(
            name="Filial Sem Política", cnpj="45212669000185", state=State.SP, city="Campinas"
        )
        user = UserFactory.create(role=Role.ATTENDANT, branches=[on, off], username="bench")
        connect_branch(on, sandbox, "spcbrasil")
        connect_branch(off, sandbox, "spcbrasil")
        enable_credit_analysis(interval_days=0)
        publish_standard_policy(branch=on)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")

        def post(branch: Branch) -> float:
            body = {"document": CPF, "branch": branch.pk}
            started = time.perf_counter()
            response = client.post("/api/v1/credit-queries/", body, format="json", secure=True)
            elapsed = time.perf_counter() - started
            data = response.json()
            assert response.status_code == 201 and data["status"] == "succeeded", data
            assert (data["decision"] is None) == (branch is off), data["decision"]
            return elapsed

        for _ in range(3):  # warm-up: imports, caches, connections
            post(on)
            post(off)
        with_policy, without = [], []
        for _ in range(args.rounds):
            with_policy.append(post(on))
            without.append(post(off))
        decided = CreditDecision.objects.filter(outcome="revisao").count()
    finally:
        sandbox.stop()
    on_ms, off_ms = statistics.median(with_policy) * 1000, statistics.median(without) * 1000
    print(f"database: {django.db.connection.vendor}; sandbox latency 0 ms; {args.rounds} rounds")
    print(f"policy on  (7 rules, decision + review written) median {on_ms:.2f} ms")
    print(f"policy off (no policy in force)                 median {off_ms:.2f} ms")
    print(f"decisions written: {decided}; added per query {on_ms - off_ms:.2f} ms")
    print(f"RATIO decision={on_ms / off_ms:.3f} target=1.10")
    return 0


if __name__ == "__main__":
    sys.exit(main())
