"""POST /sandbox/scenarios: a document gets a person and a report of its own, on every platform."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
import requests

from providers.base import ConsultRequest, PersonType, ProviderConfig
from providers.registry import adapter_class, all_keys
from providers.sandbox.scenarios import UNLISTED_CPF
from providers.sandbox.server import RunningSandbox, load_platforms

SCENARIO: dict[str, Any] = {
    "document": UNLISTED_CPF,
    "base": "small_restriction",
    "name": "JOANA REGISTRADA TESTE",
    "mother_name": "MAE REGISTRADA",
    "restrictions": [
        {"kind": "pefin", "creditor": "CREDOR REGISTRADO LTDA", "amount": "321.09", "days_ago": 40}
    ],
    "inquiries": [{"inquirer": "CONSULTANTE REGISTRADO", "days_ago": 3, "city": "SANTOS"}],
}


def register(sandbox: RunningSandbox, body: dict[str, Any]) -> requests.Response:
    return requests.post(f"{sandbox.url}/sandbox/scenarios", json=body, timeout=5)


def consult(sandbox: RunningSandbox, platform: str) -> Any:
    config = ProviderConfig(
        base_url=f"{sandbox.url}/{platform}",
        credentials=dict(load_platforms()[platform].credentials),
    )
    adapter = adapter_class(platform)(config)
    return adapter.consult(ConsultRequest(document=UNLISTED_CPF, person_type=PersonType.PERSON))


@pytest.mark.parametrize("platform", sorted(all_keys()))
def test_registered_scenario_is_what_every_platform_answers(
    sandbox: RunningSandbox, platform: str
) -> None:
    assert register(sandbox, SCENARIO).status_code == 201

    report = consult(sandbox, platform)

    assert report.identity.name == "JOANA REGISTRADA TESTE"
    assert [(r.creditor, str(r.amount)) for r in report.restrictions] == [
        ("CREDOR REGISTRADO LTDA", "321.09")
    ]
    assert "CONSULTANTE REGISTRADO" in {i.inquirer for i in report.inquiries}


@pytest.mark.parametrize("platform", sorted(all_keys()))
def test_registered_cheque_and_protest_details_reach_every_platform(
    sandbox: RunningSandbox, platform: str
) -> None:
    cheque = {
        "bank_code": "104",
        "bank_name": "CAIXA ECONOMICA FEDERAL",
        "agency": "0001",
        "number": "000777-1",
        "alinea": "21",
        "store": True,
    }
    body = {
        **SCENARIO,
        "restrictions": [
            {"kind": "cheque", "creditor": "LOJA REGISTRADA", "amount": "77.70", "cheque": cheque},
            {"kind": "protesto", "amount": None, "notary_office": "CARTORIO REGISTRADO"},
        ],
    }
    assert register(sandbox, body).status_code == 201

    report = consult(sandbox, platform)

    found = {r.kind.value: r for r in report.restrictions}
    assert (found["cheque"].amount, found["cheque"].bank, found["cheque"].cheque_number) == (
        Decimal("77.70"),
        "104 - CAIXA ECONOMICA FEDERAL",
        "000777-1",
    )
    assert found["cheque"].alinea is not None and found["cheque"].alinea.code == "21"
    assert (found["protesto"].notary_office, found["protesto"].amount) == (
        "CARTORIO REGISTRADO",
        None,
    )


def test_registered_scenario_is_listed_and_forgotten_on_reset(sandbox: RunningSandbox) -> None:
    assert register(sandbox, SCENARIO).json() == {"ok": True, "key": f"registered:{UNLISTED_CPF}"}
    listing = requests.get(f"{sandbox.url}/sandbox/scenarios", timeout=5).json()
    assert listing["registered"] == [UNLISTED_CPF]

    requests.post(f"{sandbox.url}/sandbox/reset", timeout=5).raise_for_status()

    assert consult(sandbox, "spcbrasil").identity.name != "JOANA REGISTRADA TESTE"


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"document": "52998224700"}, "document deve ser um CPF ou CNPJ válido, sem máscara"),
        ({"document": UNLISTED_CPF, "base": "platform_error"}, "base desconhecida"),
        ({"document": UNLISTED_CPF, "name": 7}, "name deve ser texto"),
        ({"document": UNLISTED_CPF, "restrictions": ["x"]}, "restrictions deve ser uma lista"),
        ({"document": UNLISTED_CPF, "restrictions": [{"amount": "muito"}]}, "amount deve ser um"),
        (
            {"document": UNLISTED_CPF, "restrictions": [{"kind": "divida"}]},
            "'divida' is not a valid",
        ),
    ],
)
def test_malformed_scenario_is_refused(
    sandbox: RunningSandbox, body: dict[str, Any], error: str
) -> None:
    response = register(sandbox, body)

    assert response.status_code == 400
    assert response.json()["error"].startswith(error)
    assert requests.get(f"{sandbox.url}/sandbox/scenarios", timeout=5).json()["registered"] == []
