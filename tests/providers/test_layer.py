"""Properties of the provider layer as a whole: no Django, a sandbox for every platform."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import requests

from providers.registry import all_keys
from providers.sandbox.server import RunningSandbox

REPO = Path(__file__).resolve().parents[2]

IMPORT_EVERYTHING = """
import importlib, pkgutil, sys
import providers
for info in pkgutil.walk_packages(providers.__path__, "providers."):
    if info.name.endswith("__main__"):
        continue
    importlib.import_module(info.name)
leaked = sorted(name for name in sys.modules if name == "django" or name.startswith("django."))
print("DJANGO:" + ",".join(leaked))
"""


def test_provider_layer_imports_no_django() -> None:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_EVERYTHING],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "DJANGO:"


def test_sandbox_serves_every_platform(sandbox: RunningSandbox) -> None:
    index = requests.get(f"{sandbox.url}/", timeout=5).json()
    assert sorted(index["platforms"]) == sorted(all_keys())


def test_sandbox_scenarios_list_credentials_of_every_platform(sandbox: RunningSandbox) -> None:
    data = requests.get(f"{sandbox.url}/sandbox/scenarios", timeout=5).json()
    assert sorted(data["credentials"]) == sorted(all_keys())
    keys = {s["key"] for s in data["scenarios"]}
    assert {"clean", "invalid_document", "platform_error", "company_partners"} <= keys
    partners = next(s for s in data["scenarios"] if s["key"] == "company_partners")
    assert "12ABC34501DE35" in partners["documents"]


def test_sandbox_clock_advances(sandbox: RunningSandbox) -> None:
    before = requests.get(f"{sandbox.url}/sandbox/clock", timeout=5).json()
    after = requests.post(
        f"{sandbox.url}/sandbox/clock", json={"advance_days": 3}, timeout=5
    ).json()
    gap = dt.date.fromisoformat(after["today"]) - dt.date.fromisoformat(before["today"])
    assert gap == dt.timedelta(days=3)


def test_sandbox_rejects_unknown_fault_mode(sandbox: RunningSandbox) -> None:
    response = requests.post(
        f"{sandbox.url}/sandbox/faults",
        json={"platform": "spcbrasil", "mode": "explode"},
        timeout=5,
    )
    assert response.status_code == 400
