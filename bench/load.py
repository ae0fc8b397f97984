"""Load test of the production topology: many attendants consulting at once, one bill per document.

Against `make prod-local` (2 gunicorn workers, 2 Celery workers on the queries queue) with the
sandbox answering every platform call in 200 ms:
- 50 users each consult their own distinct documents (--queries-per-user, one after another);
- 20 users consult the same document at the same moment (a barrier), a new shared document per
  round. The product joins them to the query in flight (users of another branch get a query of
  their own branch that receives its result, with no second platform call), or refuses them with
  409 `requery_interval` when it already finished. Those refusals are correct answers, counted
  apart, not errors.
Each query is POSTed to /api/v1/credit-queries/ and /{id}/ is polled until it is terminal: the
latency is from the POST to the stored result. Errors: 5xx, connection errors, timeouts, failed
queries, any other status, and queries not run within the bounds.

Prints throughput, p50/p95 latency, errors by kind, the same-document group's answers and the
billed calls per document in the sandbox ledger, then
`RATIO load_billed_per_unique_document=<billed calls / unique documents> target=1.0`.
Exits 1 on any error or when a document was billed other than once.

Preparation: `manage.py load_users` is run here (so run the bench with the server's
DATABASE_URL) for the attendants and their tokens, in every branch with an active integration;
the sandbox latency is set and its ledger cleared; documents are fresh valid CPF/CNPJ drawn from
--seed (default: the clock), so a run never meets the re-query interval of an earlier one.
Loopback only; bounded by --max-seconds and --max-requests.

    .venv/bin/python bench/load.py --start-topology   # starts, measures, stops `make prod-local`
    .venv/bin/python bench/load.py --base-url http://127.0.0.1:8000 \
        --sandbox-url http://127.0.0.1:8700           # against a topology already running
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from support.loopback import loopback_refusal  # noqa: E402 - bench/ is on sys.path
from support.topology import TopologyError, prod_local  # noqa: E402

from creditcheck.core.documents import with_check_digits  # noqa: E402
from providers.sandbox.scenarios import scenario_for  # noqa: E402

API = "/api/v1/credit-queries/"
IN_FLIGHT = {"pending", "running", "waiting"}
# The product's correct answers to a user who asks for a document another user is consulting.
SAME_DOCUMENT_REFUSALS = {"requery_interval"}
# Platforms that sell consults on prepaid credit: the credential field naming the account.
PREPAID_ACCOUNTS = {"soawebservice": "email", "creditonamedida": "client_id"}
PREPAID_TOP_UP = "1000000.00"


class BoundReached(Exception):
    """The run's time or request bound is spent."""


class Bounds:
    """The global bounds of a run, shared by every client thread."""

    def __init__(self, max_seconds: float, max_requests: int) -> None:
        self.deadline = time.monotonic() + max_seconds
        self.max_requests = max_requests
        self.requests = 0
        self.lock = threading.Lock()

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def take_request(self) -> None:
        with self.lock:
            if self.requests >= self.max_requests:
                raise BoundReached(f"request bound ({self.max_requests}) reached")
            if self.remaining() <= 0:
                raise BoundReached("time bound (--max-seconds) reached")
            self.requests += 1


@dataclass(frozen=True)
class LoadUser:
    username: str
    token: str
    branch: int


@dataclass
class Outcome:
    group: str  # "distinct" | "same"
    document: str
    query_id: int | None = None
    latency: float | None = None  # seconds from the POST to the stored result, as seen here
    server_latency: float | None = None  # finished_at - created_at of the stored query
    refusal: str = ""  # a correct refusal code of the same-document group
    shared: bool = False  # given the result of another branch's query (shared_from)
    error: str = ""


class Client:
    """One user's HTTP client: token, bounds, per-request timeout."""

    def __init__(self, base_url: str, user: LoadUser, bounds: Bounds, timeout: float) -> None:
        self.base_url = base_url.rstrip("/")
        self.user = user
        self.bounds = bounds
        self.timeout = timeout
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Token {user.token}"

    def request(
        self, method: str, path: str, body: dict[str, Any] | None = None
    ) -> requests.Response:
        self.bounds.take_request()
        return self.session.request(
            method, self.base_url + path, json=body, timeout=self.timeout, allow_redirects=False
        )


def _server_latency(query: dict[str, Any]) -> float | None:
    if not query.get("finished_at"):
        return None
    finished = dt.datetime.fromisoformat(query["finished_at"])
    return (finished - dt.datetime.fromisoformat(query["created_at"])).total_seconds()


def _error_code(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    return str(body.get("code", "")) if isinstance(body, dict) else ""


def consult(client: Client, document: str, group: str, poll_interval: float) -> Outcome:
    """POST one query and poll it until it is stored; what happened, as an Outcome."""
    outcome = Outcome(group, document)
    started = time.perf_counter()
    try:
        response = client.request("POST", API, {"document": document, "branch": client.user.branch})
        if response.status_code not in (201, 202):
            code = _error_code(response)
            if group == "same" and response.status_code == 409 and code in SAME_DOCUMENT_REFUSALS:
                outcome.refusal = code
            else:
                outcome.error = f"POST HTTP {response.status_code} {code}".rstrip()
            return outcome
        query = response.json()
        outcome.query_id = int(query["id"])
        while query["status"] in IN_FLIGHT:
            time.sleep(poll_interval)
            response = client.request("GET", f"{API}{outcome.query_id}/")
            if response.status_code != 200:
                outcome.error = f"GET HTTP {response.status_code} {_error_code(response)}".rstrip()
                return outcome
            query = response.json()
        outcome.latency = time.perf_counter() - started
        outcome.server_latency = _server_latency(query)
        outcome.shared = query.get("shared_from") is not None
        if query["status"] != "succeeded":
            outcome.error = f"query {query['status']}: {query.get('error_code', '')}"
    except BoundReached as exc:
        outcome.error = str(exc)
    except requests.Timeout:
        outcome.error = "HTTP timeout"
    except requests.ConnectionError:
        outcome.error = "connection error"
    except (ValueError, KeyError, TypeError) as exc:
        outcome.error = f"unexpected body ({type(exc).__name__})"
    return outcome


def fresh_documents(rng: random.Random, count: int) -> list[str]:
    """`count` distinct valid documents (3 CPFs to 1 CNPJ) the sandbox answers successfully."""
    found: list[str] = []
    seen: set[str] = set()
    while len(found) < count:
        if len(found) % 4 == 3:
            document = with_check_digits(f"{rng.randrange(10**8):08d}0001")
        else:
            document = with_check_digits(f"{rng.randrange(10**9):09d}")
        # The scenario table holds the error documents (invalid, platform error): skip them.
        if document in seen or scenario_for(document).error:
            continue
        seen.add(document)
        found.append(document)
    return found


def load_users(count: int, env: dict[str, str]) -> tuple[list[LoadUser], dict[str, Any]]:
    """The attendants from `manage.py load_users`, run with the server's environment."""
    completed = subprocess.run(  # noqa: S603 - our own manage.py, arguments built here
        [
            sys.executable,
            "manage.py",
            "load_users",
            "--count",
            str(count),
            "--enable-credit-analysis",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise SystemExit(f"manage.py load_users failed:\n{completed.stderr}")
    data = json.loads(completed.stdout)
    users = [LoadUser(u["username"], u["token"], int(u["branch"])) for u in data["users"]]
    return users, data["credit_analysis"]


def prepare_sandbox(sandbox_url: str, latency_ms: int) -> None:
    """Steady latency on every platform, an empty ledger, and prepaid accounts topped up (the
    sandbox's starting credit covers a few dozen consults, a run needs more)."""
    base = sandbox_url.rstrip("/")
    requests.post(
        f"{base}/sandbox/latency", json={"platform": "*", "ms": latency_ms}, timeout=10
    ).raise_for_status()
    requests.delete(f"{base}/sandbox/ledger", timeout=10).raise_for_status()
    scenarios = requests.get(f"{base}/sandbox/scenarios", timeout=10)
    scenarios.raise_for_status()
    credentials = scenarios.json()["credentials"]
    for platform, field in PREPAID_ACCOUNTS.items():
        requests.post(
            f"{base}/sandbox/balances",
            json={
                "platform": platform,
                "credential": credentials[platform][field],
                "amount": PREPAID_TOP_UP,
            },
            timeout=10,
        ).raise_for_status()


def check_token(base_url: str, user: LoadUser) -> None:
    response = requests.get(
        f"{base_url.rstrip('/')}{API}",
        headers={"Authorization": f"Token {user.token}"},
        timeout=30,
        allow_redirects=False,
    )
    if response.status_code != 200:
        raise SystemExit(
            f"the server answered HTTP {response.status_code} to a token of manage.py "
            "load_users: run the bench with the server's DATABASE_URL"
        )


def prepare(args: argparse.Namespace, env: dict[str, str]) -> list[LoadUser]:
    """The sandbox set up and the attendants ready; exits with the reason when they are not."""
    try:
        prepare_sandbox(args.sandbox_url, args.sandbox_latency_ms)
    except requests.RequestException as exc:
        raise SystemExit(f"sandbox at {args.sandbox_url} not usable: {exc}") from None
    users, credit_analysis = load_users(args.users + args.same_document_users, env)
    if not credit_analysis["enabled"] or credit_analysis["requery_interval_days"] < 1:
        raise SystemExit(f"credit analysis not ready for the bench: {credit_analysis}")
    try:
        check_token(args.base_url, users[0])
    except requests.RequestException as exc:
        raise SystemExit(f"server at {args.base_url} not usable: {exc}") from None
    return users


def billed_by_document(sandbox_url: str) -> Counter[str]:
    response = requests.get(f"{sandbox_url.rstrip('/')}/sandbox/ledger", timeout=30)
    response.raise_for_status()
    return Counter(str(e["document"]) for e in response.json() if e["billed"])


def run_load(
    args: argparse.Namespace, users: list[LoadUser], documents: list[str]
) -> tuple[list[Outcome], float, Bounds]:
    """Every client in its own thread; returns the outcomes, the wall time and the bounds."""
    distinct_users = users[: args.users]
    same_users = users[args.users :]
    per_user = args.queries_per_user
    shared = documents[len(distinct_users) * per_user :]
    bounds = Bounds(args.max_seconds, args.max_requests)
    outcomes: list[Outcome] = []
    lock = threading.Lock()
    started: list[float] = []
    start = threading.Barrier(len(users), action=lambda: started.append(time.perf_counter()))
    same_round = threading.Barrier(len(same_users)) if same_users else None

    def record(outcome: Outcome) -> None:
        with lock:
            outcomes.append(outcome)

    def wait(barrier: threading.Barrier) -> bool:
        try:
            barrier.wait(timeout=max(0.1, bounds.remaining()))
        except threading.BrokenBarrierError:
            barrier.abort()
            return False
        return True

    def distinct(index: int, user: LoadUser) -> None:
        client = Client(args.base_url, user, bounds, args.request_timeout)
        if not wait(start):
            return
        for document in documents[index * per_user : (index + 1) * per_user]:
            record(consult(client, document, "distinct", args.poll_interval))

    def same(user: LoadUser) -> None:
        client = Client(args.base_url, user, bounds, args.request_timeout)
        if not wait(start):
            return
        for document in shared:
            if same_round is None or bounds.remaining() <= 0 or not wait(same_round):
                return
            record(consult(client, document, "same", args.poll_interval))

    threads = [
        threading.Thread(target=distinct, args=(i, u), daemon=True)
        for i, u in enumerate(distinct_users)
    ]
    threads += [threading.Thread(target=same, args=(u,), daemon=True) for u in same_users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    duration = time.perf_counter() - (started[0] if started else time.perf_counter())
    return outcomes, duration, bounds


def percentile(samples: list[float], pct: int) -> float:
    if len(samples) < 2:
        return samples[0] if samples else float("nan")
    return statistics.quantiles(samples, n=100, method="inclusive")[pct - 1]


def report(
    args: argparse.Namespace,
    outcomes: list[Outcome],
    duration: float,
    bounds: Bounds,
    billed: Counter[str],
) -> int:
    expected = (args.users + args.same_document_users) * args.queries_per_user
    errors = Counter(o.error for o in outcomes if o.error)
    if len(outcomes) < expected:
        errors["query not run (bound reached)"] += expected - len(outcomes)
    stored = [o for o in outcomes if o.latency is not None and not o.error]
    latencies = [o.latency for o in stored if o.latency is not None]
    server = [o.server_latency for o in stored if o.server_latency is not None]
    same = [o for o in outcomes if o.group == "same"]
    same_ids = Counter(o.query_id for o in same if o.query_id is not None)
    refusals = Counter(o.refusal for o in same if o.refusal)
    consulted = {o.document for o in outcomes}
    per_document = Counter(billed[document] for document in consulted)
    billed_calls = sum(billed[document] for document in consulted)
    ratio = billed_calls / len(consulted) if consulted else 0.0

    print(
        f"users: {args.users} on distinct documents + {args.same_document_users} on the same "
        f"document; {args.queries_per_user} queries each; sandbox latency "
        f"{args.sandbox_latency_ms} ms; seed {args.seed}"
    )
    print(
        f"queries: {len(outcomes)} of {expected}; HTTP requests: {bounds.requests}; "
        f"duration {duration:.1f} s"
    )
    print(
        f"throughput: {len(stored) / duration:.1f} stored results/s, "
        f"{bounds.requests / duration:.1f} HTTP requests/s"
    )
    if latencies:
        print(
            f"latency POST -> stored result: p50 {percentile(latencies, 50) * 1000:.0f} ms  "
            f"p95 {percentile(latencies, 95) * 1000:.0f} ms  (polled every "
            f"{args.poll_interval * 1000:.0f} ms; server-side p50 "
            f"{percentile(server, 50) * 1000:.0f} ms  p95 {percentile(server, 95) * 1000:.0f} ms)"
        )
    print(
        f"same-document group: {len(same)} requests, {sum(same_ids.values())} answered with "
        f"{len(same_ids)} queries (joined to the one in flight: "
        f"{sum(same_ids.values()) - len(same_ids)}; given another branch's result: "
        f"{sum(o.shared for o in same)}); refused: "
        + (", ".join(f"{code} {n}" for code, n in sorted(refusals.items())) or "none")
    )
    print(
        f"errors: {sum(errors.values())}"
        + "".join(f"\n  {n:>5}  {kind}" for kind, n in errors.most_common())
    )
    print(
        f"sandbox ledger: {billed_calls} billed calls for {len(consulted)} unique documents; "
        "documents by billed calls: "
        + ", ".join(f"{calls}x: {n}" for calls, n in sorted(per_document.items()))
    )
    print(f"RATIO load_billed_per_unique_document={ratio:.2f} target=1.0")
    return 0 if not errors and consulted and billed_calls == len(consulted) else 1


def topology_env(args: argparse.Namespace) -> dict[str, str]:
    """The environment of `make prod-local` (and of manage.py load_users, on the same data)."""
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/creditcheck_load")
    env.update(
        PROD_PORT=str(urlsplit(args.base_url).port or 80),
        SANDBOX_PORT=str(urlsplit(args.sandbox_url).port or 80),
        PROVIDER_SANDBOX_URL=args.sandbox_url.rstrip("/"),
        WEB_CONCURRENCY=str(args.web_workers),
        QUERY_WORKERS=str(args.query_workers),
    )
    return env


@contextmanager
def topology(args: argparse.Namespace, env: dict[str, str]) -> Iterator[None]:
    if not args.start_topology:
        yield
        return
    try:
        with prod_local(
            env,
            f"{args.base_url.rstrip('/')}/healthz",
            args.startup_seconds,
            ports_of=(args.sandbox_url,),
        ):
            yield
    except TopologyError as exc:
        raise SystemExit(f"could not start make prod-local: {exc}") from None


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--sandbox-url", default="http://127.0.0.1:8700")
    parser.add_argument("--users", type=int, default=50, help="users on distinct documents")
    parser.add_argument("--same-document-users", type=int, default=20)
    parser.add_argument(
        "--queries-per-user",
        type=int,
        default=3,
        help="keep it under the server's CREDIT_QUERY_RATE (30/min unless set)",
    )
    parser.add_argument("--sandbox-latency-ms", type=int, default=200)
    parser.add_argument("--poll-interval", type=float, default=0.5, help="seconds")
    parser.add_argument("--request-timeout", type=float, default=30, help="seconds")
    parser.add_argument(
        "--max-seconds", type=float, default=300, help="bound of the run, after preparation"
    )
    parser.add_argument("--max-requests", type=int, default=20_000, help="bound of the run")
    parser.add_argument("--seed", type=int, default=None, help="documents (default: clock)")
    parser.add_argument(
        "--start-topology",
        action="store_true",
        help="start `make prod-local` (PROD_PORT and SANDBOX_PORT from the URLs), run, stop it",
    )
    parser.add_argument("--web-workers", type=int, default=2, help="with --start-topology")
    parser.add_argument("--query-workers", type=int, default=2, help="with --start-topology")
    parser.add_argument("--startup-seconds", type=float, default=300, help="to become healthy")
    args = parser.parse_args()
    if args.seed is None:
        args.seed = time.time_ns()
    if min(args.users, args.queries_per_user) < 1 or args.same_document_users < 0:
        parser.error("--users and --queries-per-user must be positive")
    for url in (args.base_url, args.sandbox_url):
        refusal = loopback_refusal(url)
        if refusal:
            parser.error(f"loopback only: {refusal}")
    return args


def main() -> int:
    args = parse_args()
    env = topology_env(args) if args.start_topology else dict(os.environ)
    with topology(args, env):
        users = prepare(args, env)
        count = (args.users + (1 if args.same_document_users else 0)) * args.queries_per_user
        documents = fresh_documents(random.Random(args.seed), count)
        outcomes, duration, bounds = run_load(args, users, documents)
        billed = billed_by_document(args.sandbox_url)
    return report(args, outcomes, duration, bounds, billed)


if __name__ == "__main__":
    sys.exit(main())
