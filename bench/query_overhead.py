"""Overhead of the full credit-query path over a bare framework floor, both over a direct
adapter call.

With the sandbox answering every call in 50 ms, in one run and interleaved:
- full path: an authenticated `POST /api/v1/credit-queries/` through the whole Django app
  (middleware, token auth, serializer, query service with its checks, database writes, the task
  run in-process, the platform call, storing the result) until the stored result is returned;
  the task runs inline in the request (EMBEDDED_BACKGROUND_TASKS off), so the request measures
  the whole work of the path rather than handing it to a thread;
- floor: `POST /bench-floor/`, a minimal DRF view with token auth, the same adapter call, one
  INSERT and a JSON answer (bench/support/floor.py), served by the same process and middleware;
- direct: `adapter.consult()` of the same document against the same sandbox.
Prints the medians and each path's overhead over the direct call, then
`RATIO query_overhead_vs_floor=<full overhead / floor overhead> target=1.5`.

Uses DATABASE_URL when set (e.g. PostgreSQL), else a fresh SQLite file in a temporary folder.
The app runs with its production settings (DEBUG off, so no per-statement debug recording) and
the requests arrive over https, as behind the TLS proxy of a deployment.

    .venv/bin/python bench/query_overhead.py [--rounds 60] [--latency-ms 50]
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
sys.path.insert(0, str(ROOT / "bench"))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--latency-ms", type=int, default=50)
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="bench-query-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")
    os.environ.pop("CELERY_BROKER_URL", None)  # embedded mode: the task runs in-process
    os.environ["MEDIA_ROOT"] = workdir
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # The per-user rate limit protects real platforms; a bench user queries far faster.
    os.environ["CREDIT_QUERY_RATE"] = "100000/min"
    os.environ["DEBUG"] = "false"
    os.environ["SECRET_KEY"] = secrets.token_urlsafe(50)
    os.environ["DJANGO_SETTINGS_MODULE"] = "creditcheck.settings"
    os.environ["EMBEDDED_BACKGROUND_TASKS"] = "false"
    import django

    django.setup()
    from django.conf import settings

    settings.ROOT_URLCONF = "support.floor"  # the app's URLs and the floor's view
    from django.core.management import call_command
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient
    from support import floor

    from creditcheck.core.enums import Role, State
    from creditcheck.core.models import Branch
    from creditcheck.integrations.services import adapter_for
    from providers.base import ConsultRequest, PersonType
    from providers.sandbox.server import serve_in_thread
    from tests.credit_setup import connect_branch, enable_credit_analysis
    from tests.factories import UserFactory

    call_command("migrate", verbosity=0)
    sandbox = serve_in_thread()
    sandbox.state.latency_ms["*"] = args.latency_ms
    try:
        branch = Branch.objects.create(
            name="Filial Bench", cnpj="11222333000181", state=State.SP, city="São Paulo"
        )
        user = UserFactory.create(role=Role.ATTENDANT, branches=[branch], username="bench")
        integration = connect_branch(branch, sandbox, "spcbrasil")
        enable_credit_analysis(interval_days=0)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
        adapter = adapter_for(integration)
        request = ConsultRequest(document="52998224725", person_type=PersonType.PERSON)
        body = {"document": "52998224725", "branch": branch.pk}

        floor.install(adapter)

        def full_path() -> None:
            response = client.post("/api/v1/credit-queries/", body, format="json", secure=True)
            assert response.status_code == 201 and response.json()["status"] == "succeeded", (
                response.content
            )

        def floor_path() -> None:
            response = client.post("/bench-floor/", body, format="json", secure=True)
            assert response.status_code == 201 and response.json()["protocol"], response.content

        paths = {"full": full_path, "floor": floor_path, "direct": lambda: adapter.consult(request)}
        for _ in range(3):  # warm-up: imports, caches, connections
            for run in paths.values():
                run()
        samples: dict[str, list[float]] = {name: [] for name in paths}
        for _ in range(args.rounds):
            for name, run in paths.items():
                started = time.perf_counter()
                run()
                samples[name].append(time.perf_counter() - started)
    finally:
        sandbox.stop()
    full_ms, floor_ms, direct_ms = (
        statistics.median(samples[name]) * 1000 for name in ("full", "floor", "direct")
    )
    print(
        f"database: {django.db.connection.vendor}; sandbox latency {args.latency_ms} ms; "
        f"{args.rounds} rounds"
    )
    print(f"full path (POST /api/v1/credit-queries/) median {full_ms:.1f} ms")
    print(f"floor (POST /bench-floor/)               median {floor_ms:.1f} ms")
    print(f"direct adapter.consult()                 median {direct_ms:.1f} ms")
    print(f"overhead over the direct call: full {full_ms - direct_ms:.1f} ms, ", end="")
    print(f"floor {floor_ms - direct_ms:.1f} ms")
    ratio = (full_ms - direct_ms) / max(floor_ms - direct_ms, 0.001)
    print(f"RATIO query_overhead_vs_floor={ratio:.2f} target=1.5")
    return 0


if __name__ == "__main__":
    sys.exit(main())
