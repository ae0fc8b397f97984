"""manage.py load_users: the attendants and API tokens of the load test (bench/load.py)."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from creditcheck.core.models import Branch
from creditcheck.integrations.enums import Environment
from creditcheck.integrations.models import BranchIntegration, CreditAnalysisSettings
from providers.sandbox.server import RunningSandbox
from tests.credit_setup import connect_branch
from tests.factories import BranchFactory

pytestmark = pytest.mark.django_db


def load_users(*args: str) -> dict[str, Any]:
    out = StringIO()
    call_command("load_users", *args, stdout=out)
    loaded: dict[str, Any] = json.loads(out.getvalue())
    return loaded


def test_spreads_attendants_over_the_branches_with_an_integration_once(
    branch: Branch, other_branch: Branch, sandbox: RunningSandbox
) -> None:
    connect_branch(branch, sandbox, "spcbrasil")
    connect_branch(other_branch, sandbox, "soawebservice")
    BranchFactory.create()  # no integration: nobody is put there

    first = load_users("--count", "5", "--prefix", "teste")
    again = load_users("--count", "5", "--prefix", "teste")

    assert again == first  # same users, same tokens
    assert [u["username"] for u in first["users"]] == [f"teste00{n}" for n in range(1, 6)]
    assert [u["branch"] for u in first["users"]] == [branch.pk, other_branch.pk] * 2 + [branch.pk]
    assert User.objects.filter(username__startswith="teste").count() == 5
    user = User.objects.get(username="teste002")
    assert list(user.branches.all()) == [other_branch]
    assert not user.has_usable_password()


@pytest.mark.django_db(transaction=True)  # the query runs once its request commits
def test_a_loaded_token_consults_in_its_branch(branch: Branch, sandbox: RunningSandbox) -> None:
    connect_branch(branch, sandbox, "spcbrasil")
    loaded = load_users("--count", "1", "--enable-credit-analysis")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {loaded['users'][0]['token']}")

    response = client.post(
        "/api/v1/credit-queries/", {"document": "52998224725", "branch": branch.pk}, format="json"
    )

    assert response.status_code == 201, response.content
    assert response.json()["status"] == "succeeded"


@pytest.mark.parametrize(("interval", "expected"), [(0, 30), (7, 7)])
def test_enabling_turns_credit_analysis_on_with_an_interval(
    branch: Branch, sandbox: RunningSandbox, interval: int, expected: int
) -> None:
    connect_branch(branch, sandbox)
    row = CreditAnalysisSettings.load()
    row.enabled, row.requery_interval_days = False, interval
    row.save()

    assert load_users("--count", "1")["credit_analysis"]["enabled"] is False
    loaded = load_users("--count", "1", "--enable-credit-analysis")

    assert loaded["credit_analysis"] == {"enabled": True, "requery_interval_days": expected}


def test_refuses_when_no_branch_has_an_integration(branch: Branch) -> None:
    with pytest.raises(CommandError, match="configure_sandbox_integrations"):
        load_users("--count", "3")
    assert not User.objects.filter(username__startswith="carga").exists()


def test_never_uses_a_branch_with_an_integration_outside_the_sandbox(
    branch: Branch, sandbox: RunningSandbox
) -> None:
    real = BranchFactory.create()
    connect_branch(real, sandbox, "spcbrasil")
    BranchIntegration.objects.filter(branch=real).update(environment=Environment.PRODUCTION)
    connect_branch(branch, sandbox, "spcbrasil")

    loaded = load_users("--count", "3")

    assert {user["branch"] for user in loaded["users"]} == {branch.pk}
