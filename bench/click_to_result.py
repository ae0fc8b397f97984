"""From the click that confirms a credit query to the score on screen, in a real browser.

Playwright drives Debian's chromium (/usr/bin/chromium) as the demo attendant: open the query
page of a fresh CPF, click "Consultar", wait until the result's score card is in the page (the
progress screen comes first; the result is pushed through Server-Sent Events and swapped in).
The platform sandbox answers every call in --latency-ms (800); that latency is taken off each
measure, so what remains is what the application adds.

Two modes, each started by the bench and stopped afterwards:
- embedded: `make run` itself (uvicorn, SQLite in a temporary folder, no broker: the query runs
  on a background thread of the server, events through the in-process channel);
- prod-local: `make prod-local` (gunicorn with uvicorn workers, PostgreSQL, Celery workers on
  Redis, events through Redis pub/sub), with a queue prefix of its own.

Prints each mode's median and p90, then `RATIO click_to_result_ms=<worse median> target=150`.

    .venv/bin/python bench/click_to_result.py [--rounds 15] [--modes embedded,prod-local]
        [--embedded-port 8010 --embedded-sandbox-port 8710 --prod-port 8020
         --prod-sandbox-port 8720]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from support.topology import TopologyError, listening, prod_local, wait_healthy  # noqa: E402

from creditcheck.core.documents import with_check_digits  # noqa: E402
from providers.sandbox.scenarios import scenario_for  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
USERNAME, PASSWORD = "atendente", "demo1234"  # the demo attendant (creditcheck/demo.py)
TARGET_MS = 150
# Runs in every page before its own scripts: the moment the attendant's click reaches the page
# (kept across the navigation it starts), and the moment the score card is first in the page
# (taken at the next frame, when the browser paints it), both on the same wall clock.
RECORD_SCORE_SHOWN = """
document.addEventListener("click", function (event) {
  if (event.target.closest && event.target.closest('button[type="submit"]')) {
    sessionStorage.setItem("clickedAt", String(performance.timeOrigin + performance.now()));
  }
}, true);
new MutationObserver(function (_, observer) {
  if (document.querySelector('[data-testid="score"]')) {
    observer.disconnect();
    requestAnimationFrame(function () {
      window.__scoreShownAt = performance.timeOrigin + performance.now();
    });
  }
}).observe(document, {childList: true, subtree: true});
"""


def fresh_cpfs(rng: random.Random, count: int) -> list[str]:
    """Distinct valid CPFs the sandbox answers with a result (none of its error documents)."""
    found: list[str] = []
    while len(found) < count:
        cpf = with_check_digits(f"{rng.randrange(10**9):09d}")
        if cpf not in found and not scenario_for(cpf).error:
            found.append(cpf)
    return found


def set_latency(sandbox_url: str, ms: int) -> None:
    requests.post(
        f"{sandbox_url}/sandbox/latency", json={"platform": "*", "ms": ms}, timeout=10
    ).raise_for_status()


@contextmanager
def embedded(port: int, sandbox_port: int, timeout: float) -> Iterator[None]:
    """`make run` on a fresh SQLite database, until the block ends."""
    base = f"http://127.0.0.1:{port}"
    if listening(base) or listening(f"http://127.0.0.1:{sandbox_port}"):
        raise TopologyError(f"something already listens at port {port} or {sandbox_port}")
    workdir = Path(tempfile.mkdtemp(prefix="bench-click-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir}/db.sqlite3",
        "MEDIA_ROOT": str(workdir / "media"),
        "PORT": str(port),
        "SANDBOX_PORT": str(sandbox_port),
    }
    for name in ("CELERY_BROKER_URL", "CACHE_URL", "EVENTS_REDIS_URL", "DEBUG"):
        env.pop(name, None)
    log = workdir / "make-run.log"
    make = shutil.which("make") or "make"
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [make, "--no-print-directory", "run"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        try:
            wait_healthy(f"{base}/healthz", process, timeout)
        except TopologyError as exc:
            raise TopologyError(f"{exc}\n{log.read_text(errors='replace')[-3000:]}") from None
        print(f"make run healthy at {base} (log: {log})", flush=True)
        yield
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        shutil.rmtree(workdir, ignore_errors=True)


def prod_env(port: int, sandbox_port: int) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/creditcheck_click")
    env.update(
        PROD_PORT=str(port),
        SANDBOX_PORT=str(sandbox_port),
        PROVIDER_SANDBOX_URL=f"http://127.0.0.1:{sandbox_port}",
        # Queues of its own: another topology on the same Redis never takes these tasks.
        CELERY_QUEUE_PREFIX=f"click{os.getpid()}-",
        PROD_LOCAL_DIR=tempfile.mkdtemp(prefix="bench-click-prod-"),
    )
    return env


def measure(base_url: str, documents: list[str], latency_ms: int) -> list[float]:
    """Milliseconds from the click to the score on screen, less the platform's latency."""
    from playwright.sync_api import sync_playwright

    results: list[float] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless=new", "--no-sandbox", "--disable-gpu"]
        )
        context = browser.new_context(base_url=base_url, locale="pt-BR")
        context.set_default_timeout(30_000)
        context.add_init_script(RECORD_SCORE_SHOWN)
        page = context.new_page()
        page.goto("/entrar/")
        page.get_by_label("Usuário").fill(USERNAME)
        page.get_by_label("Senha").fill(PASSWORD)
        page.get_by_role("button", name="Entrar").click()
        page.wait_for_url(lambda url: "/entrar/" not in url)
        for document in documents:
            page.goto(f"/analise-credito/nova/?document={document}")
            button = page.get_by_role("button", name="Consultar")
            button.wait_for()
            button.click(no_wait_after=True)
            page.wait_for_selector('[data-testid="score"]')
            page.wait_for_function("() => window.__scoreShownAt !== undefined")
            shown_at, clicked_at = page.evaluate(
                "() => [window.__scoreShownAt, Number(sessionStorage.getItem('clickedAt'))]"
            )
            results.append(shown_at - clicked_at - latency_ms)
        browser.close()
    return results


def run_mode(name: str, base_url: str, sandbox_url: str, args: argparse.Namespace) -> float:
    set_latency(sandbox_url, args.latency_ms)
    documents = fresh_cpfs(random.Random(args.seed + len(name)), args.rounds + args.warmup)
    figures = measure(base_url, documents, args.latency_ms)[args.warmup :]
    median = statistics.median(figures)
    p90 = statistics.quantiles(figures, n=10)[-1] if len(figures) >= 2 else figures[0]
    print(
        f"{name}: click to score, less {args.latency_ms} ms of platform latency, "
        f"{len(figures)} rounds: median {median:.0f} ms, p90 {p90:.0f} ms, "
        f"min {min(figures):.0f} ms, max {max(figures):.0f} ms",
        flush=True,
    )
    return median


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--latency-ms", type=int, default=800)
    parser.add_argument("--modes", default="embedded,prod-local")
    parser.add_argument("--embedded-port", type=int, default=8010)
    parser.add_argument("--embedded-sandbox-port", type=int, default=8710)
    parser.add_argument("--prod-port", type=int, default=8020)
    parser.add_argument("--prod-sandbox-port", type=int, default=8720)
    parser.add_argument("--startup-seconds", type=float, default=300)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    if args.seed is None:
        args.seed = time.time_ns()
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    medians: dict[str, float] = {}
    try:
        if "embedded" in modes:
            port, sandbox_port = args.embedded_port, args.embedded_sandbox_port
            with embedded(port, sandbox_port, args.startup_seconds):
                medians["embedded"] = run_mode(
                    "embedded (make run)",
                    f"http://127.0.0.1:{port}",
                    f"http://127.0.0.1:{sandbox_port}",
                    args,
                )
        if "prod-local" in modes:
            port, sandbox_port = args.prod_port, args.prod_sandbox_port
            base = f"http://127.0.0.1:{port}"
            sandbox = f"http://127.0.0.1:{sandbox_port}"
            with prod_local(
                prod_env(port, sandbox_port),
                f"{base}/healthz",
                args.startup_seconds,
                ports_of=(sandbox,),
            ):
                medians["prod-local"] = run_mode(
                    "prod-local (make prod-local)", base, sandbox, args
                )
    except TopologyError as exc:
        raise SystemExit(f"could not start the server: {exc}") from None
    worse = max(medians.values())
    print(f"RATIO click_to_result_ms={worse:.0f} target={TARGET_MS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
