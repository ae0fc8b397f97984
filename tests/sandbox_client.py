"""Talking to the sandboxes' control endpoints over HTTP, as tests and benches do."""

from __future__ import annotations

import requests

from providers.sandbox.server import RunningSandbox


def ledger(sandbox: RunningSandbox, **filters: str) -> list[dict[str, object]]:
    """The billing ledger as the sandbox serves it over HTTP."""
    response = requests.get(f"{sandbox.url}/sandbox/ledger", params=filters, timeout=5)
    response.raise_for_status()
    entries: list[dict[str, object]] = response.json()
    return entries


def billed_calls(sandbox: RunningSandbox, **filters: str) -> int:
    return sum(1 for entry in ledger(sandbox, **filters) if entry["billed"])


def inject_fault(
    sandbox: RunningSandbox,
    platform: str,
    mode: str,
    count: int = 1,
    latency_ms: int = 0,
    path: str = "",
) -> None:
    """Make the next `count` calls of `platform` (whose path contains `path`) misbehave."""
    response = requests.post(
        f"{sandbox.url}/sandbox/faults",
        json={
            "platform": platform,
            "mode": mode,
            "count": count,
            "latency_ms": latency_ms,
            "path": path,
        },
        timeout=5,
    )
    assert response.status_code == 201, response.text


def advance_clock(sandbox: RunningSandbox, days: float) -> None:
    response = requests.post(f"{sandbox.url}/sandbox/clock", json={"advance_days": days}, timeout=5)
    assert response.status_code == 200, response.text


def inclusions(sandbox: RunningSandbox, platform: str = "") -> list[dict[str, object]]:
    """The debts registered at the sandboxes (of `platform`, or all), as served over HTTP."""
    response = requests.get(f"{sandbox.url}/sandbox/inclusions", timeout=5)
    response.raise_for_status()
    items: list[dict[str, object]] = response.json()
    return [item for item in items if not platform or item["platform"] == platform]
