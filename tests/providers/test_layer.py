"""Properties of the provider layer as a whole: no Django, a complete registry, stable storage."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import requests

from providers.base import (
    Billed,
    CreditReport,
    Identity,
    Inquiry,
    KindTotal,
    Partner,
    PaymentHistory,
    PersonType,
    Restriction,
    RestrictionKind,
    Score,
)
from providers.codec import report_from_dict, report_to_dict
from providers.parsing import totals_from_restrictions
from providers.registry import adapter_class, all_keys
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


@pytest.mark.parametrize("key", sorted(all_keys()))
def test_registry_resolves_every_platform(key: str) -> None:
    cls = adapter_class(key)
    assert (cls.key, cls.__name__) == (key, "Adapter")


def test_registry_unknown_platform_raises() -> None:
    with pytest.raises(ValueError):
        adapter_class("boavista")


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


def _report() -> CreditReport:
    restrictions = (
        Restriction(RestrictionKind.PEFIN, "CREDOR A", Decimal("10.50"), dt.date(2026, 1, 2)),
        Restriction(RestrictionKind.PEFIN, "CREDOR B", Decimal("4.50"), None),
        Restriction(RestrictionKind.PROTESTO, "CARTORIO", Decimal("100"), dt.date(2025, 5, 1)),
    )
    return CreditReport(
        platform="spcbrasil",
        product="257",
        identity=Identity("FULANO", "52998224725", PersonType.PERSON, dt.date(1980, 2, 3), "MAE"),
        protocol="123-4",
        billed=Billed.YES,
        raw="<xml/>",
        score=Score(610, "SPC", "MEDIO", Decimal("12.5")),
        restrictions=restrictions,
        totals=totals_from_restrictions(restrictions),
        inquiries=(Inquiry("LOJA", dt.date(2026, 3, 1), "SP"),),
        partners=(Partner("SOCIO", "12345678909", "Sócio", Decimal("50")),),
        payment_history=PaymentHistory(10, 1, Decimal("300.00")),
    )


def test_totals_from_restrictions_sum_per_kind() -> None:
    assert _report().totals == (
        KindTotal(RestrictionKind.PEFIN, 2, Decimal("15.00")),
        KindTotal(RestrictionKind.PROTESTO, 1, Decimal("100")),
    )


def test_report_round_trips_through_dict_without_raw() -> None:
    report = _report()
    data = report_to_dict(report)
    assert "raw" not in data and data["has_restrictions"] is True
    assert report_from_dict(data, raw="<xml/>") == report
