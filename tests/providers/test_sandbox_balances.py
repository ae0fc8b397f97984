"""/sandbox/balances: the prepaid credit of the sandbox accounts, read and topped up over HTTP."""

from __future__ import annotations

from decimal import Decimal

import pytest
import requests

from providers.base import (
    Adapter,
    Balance,
    ConsultRequest,
    InsufficientBalance,
    PersonType,
    ProviderConfig,
)
from providers.registry import build_adapter
from providers.sandbox.scenarios import CLEAN_CPF
from providers.sandbox.server import RunningSandbox, load_platforms
from tests.sandbox_client import billed_calls


def adapter_of(sandbox: RunningSandbox, platform: str) -> Adapter:
    config = ProviderConfig(
        base_url=f"{sandbox.url}/{platform}",
        credentials=dict(load_platforms()[platform].credentials),
        environment="production",
    )
    return build_adapter(platform, config)


def set_balance(sandbox: RunningSandbox, body: dict[str, str]) -> requests.Response:
    return requests.post(f"{sandbox.url}/sandbox/balances", json=body, timeout=5)


def balances(sandbox: RunningSandbox) -> dict[str, str]:
    response = requests.get(f"{sandbox.url}/sandbox/balances", timeout=5)
    response.raise_for_status()
    result: dict[str, str] = response.json()
    return result


def test_a_top_up_is_what_the_platform_then_charges(sandbox: RunningSandbox) -> None:
    body = {"platform": "creditonamedida", "credential": "sandbox-client", "amount": "1000.00"}
    assert set_balance(sandbox, body).status_code == 200
    adapter = adapter_of(sandbox, "creditonamedida")

    adapter.consult(ConsultRequest(document=CLEAN_CPF, person_type=PersonType.PERSON))

    assert adapter.balance() == Balance(Decimal("990.10"))  # R$ 9,90 a consult
    assert balances(sandbox) == {"creditonamedida:sandbox-client": "990.10"}


def test_a_balance_below_the_price_refuses_the_consult_unbilled(sandbox: RunningSandbox) -> None:
    body = {"platform": "soawebservice", "credential": "sandbox@creditcheck.local", "amount": "10"}
    assert set_balance(sandbox, body).status_code == 200

    with pytest.raises(InsufficientBalance):  # a CredNet consult costs R$ 16,00
        adapter_of(sandbox, "soawebservice").consult(
            ConsultRequest(document=CLEAN_CPF, person_type=PersonType.PERSON)
        )
    assert billed_calls(sandbox, platform="soawebservice") == 0


@pytest.mark.parametrize(
    "body",
    [
        {"platform": "nenhuma", "credential": "x", "amount": "10"},
        {"platform": "creditonamedida", "credential": "", "amount": "10"},
        {"platform": "creditonamedida", "credential": "sandbox-client", "amount": "muito"},
        {"platform": "creditonamedida", "credential": "sandbox-client", "amount": "NaN"},
    ],
)
def test_malformed_top_ups_are_refused(sandbox: RunningSandbox, body: dict[str, str]) -> None:
    response = set_balance(sandbox, body)
    assert response.status_code == 400
    assert response.json()["error"]
    assert balances(sandbox) == {}
