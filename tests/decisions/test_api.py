"""`/api/v1/credit-policies/` and the `decision` of the credit-query API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from creditcheck.core.models import Branch
from creditcheck.decisions.models import CreditPolicy, CreditPolicyVersion
from tests.decisions.conftest import Run
from tests.decisions.policies import (
    LARGE_RESTRICTIONS_CPF,
    SMALL_RESTRICTION_CPF,
    publish_standard_policy,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/credit-policies/"
RULE = {"kind": "score_below", "action": "negar", "score": 300, "reason": "Score baixo"}


def body(**version: Any) -> dict[str, Any]:
    return {"version": {"validity_days": 30, "rules": [RULE], **version}}


def test_create_read_and_edit_a_policy(
    administrator: User, branch: Branch, api_client_for: Callable[[User], APIClient]
) -> None:
    client = api_client_for(administrator)
    created = client.post(URL, {"branch": branch.pk, **body()}, format="json")
    assert created.status_code == 201, created.json()
    data = created.json()
    assert (data["branch"], data["version"]["number"]) == (branch.pk, 1)
    assert data["version"]["rules"] == [RULE]
    assert data["version"]["created_by"] == "administrador"

    edited = client.put(
        f"{URL}{data['id']}/", body(validity_days=10, comodato=False), format="json"
    )
    assert edited.status_code == 200, edited.json()
    assert (edited.json()["version"]["number"], edited.json()["version"]["comodato"]) == (2, False)

    versions = client.get(f"{URL}{data['id']}/versions/").json()
    assert [(v["number"], v["validity_days"]) for v in versions] == [(2, 10), (1, 30)]
    listed = client.get(URL).json()["results"]
    assert [(p["id"], p["version"]["number"]) for p in listed] == [(data["id"], 2)]


def test_bad_rules_answer_stable_codes_and_save_nothing(
    administrator: User, api_client_for: Callable[[User], APIClient]
) -> None:
    rules = [
        RULE,
        {"kind": "score_between", "action": "revisao", "score_min": 800, "score_max": 200,
         "reason": "x"},
        {"kind": "restriction_kind", "action": "negar", "kinds": ["divida"], "reason": ""},
        {"kind": "score_below", "action": "negar", "score": 5000, "reason": "x"},
    ]  # fmt: skip
    response = api_client_for(administrator).post(
        URL, body(rules=rules, validity_days=0), format="json"
    )
    assert response.status_code == 400
    data = response.json()
    assert data["code"] == "invalid"
    assert data["codes"] == {
        "version": {
            "validity_days": ["out_of_range"],
            "rules": [
                {},
                {"score_max": ["impossible_range"]},
                {"kinds": ["unknown_restriction_kind"], "reason": ["reason_required"]},
                {"score": ["score_out_of_scale"]},
            ],
        }
    }
    assert data["version"]["rules"][3]["score"] == ["O score vai de 0 a 1000 nas plataformas."]
    assert not CreditPolicyVersion.objects.exists()


def test_second_default_policy_refused_with_its_code(
    administrator: User, api_client_for: Callable[[User], APIClient]
) -> None:
    publish_standard_policy(administrator)
    response = api_client_for(administrator).post(URL, body(), format="json")
    assert response.status_code == 400
    assert response.json()["codes"] == {"branch": ["policy_exists"]}
    assert CreditPolicy.objects.count() == 1


def test_query_api_answers_the_decision(
    run_query: Run, attendant: User, api_client_for: Callable[[User], APIClient]
) -> None:
    version = publish_standard_policy()
    mid = run_query(SMALL_RESTRICTION_CPF)
    large = run_query(LARGE_RESTRICTIONS_CPF)
    client = api_client_for(attendant)

    decision = client.get(f"/api/v1/credit-queries/{mid.pk}/").json()["decision"]
    listed = client.get("/api/v1/credit-queries/", {"decision": "negado"}).json()

    assert decision["outcome"] == decision["state"] == "revisao"
    assert decision["summary"] == "Revisão manual: score 520 entre 300 e 599"
    assert (decision["policy"], decision["policy_version"]) == (version.policy_id, 1)
    assert decision["reasons"] == [
        {
            "position": 4,
            "kind": "score_between",
            "action": "revisao",
            "reason": "Score intermediário: analisar",
            "fact": "score 520 entre 300 e 599",
            "values": {"score": 520},
        }
    ]
    assert decision["conditions"] == {"max_plan_value": "299.90", "comodato": True, "deposit": None}
    assert [q["id"] for q in listed["results"]] == [large.pk]
    bad = client.get("/api/v1/credit-queries/", {"decision": "talvez"})
    assert (bad.status_code, bad.json()["codes"]) == (400, {"decision": ["invalid_choice"]})
