"""The identity divergence warning in the browser: a customer whose record disagrees with what
the platform answers (the sandbox's identity_divergence scenario) is flagged at the top of the
result; one whose record agrees (accents and case aside) is not. The branch integration points
at the ConnectSA sandbox."""

from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from creditcheck.core.models import Branch
from providers.sandbox.scenarios import (
    CLEAN_CPF,
    IDENTITY_DIVERGENCE_CPF,
)
from providers.sandbox.server import RunningSandbox
from tests.browser.conftest import consult_customer
from tests.credit_setup import (
    connect_branch,
    enable_credit_analysis,
    identity_agreeing_customer,
    identity_divergent_customer,
)
from tests.factories import PASSWORD

DIVERGENT_CPF = IDENTITY_DIVERGENCE_CPF

pytestmark = pytest.mark.browser


def test_result_warns_of_an_identity_divergence_and_only_then(
    page: Page,
    log_in: Callable[[str, str], None],
    screenshot: Callable[[str], Path],
    sandbox: RunningSandbox,
    branch: Branch,
    attendant: User,
) -> None:
    enable_credit_analysis()
    connect_branch(branch, sandbox, "connectsa")
    divergent = identity_divergent_customer(branch)
    agreeing = identity_agreeing_customer(branch, CLEAN_CPF)
    log_in(attendant.username, PASSWORD)

    consult_customer(page, divergent.pk)

    warning = page.get_by_test_id("identity-divergences")
    expect(warning).to_be_visible()
    expect(warning.get_by_role("heading")).to_have_text(
        "Divergência de identidade: nome, data de nascimento"
    )
    expect(warning.get_by_test_id("identity-divergence")).to_have_text(
        [
            "Nome: no cadastro “Roberta Carla de Oliveira”, "
            "na plataforma “ROBERTO CARLOS DE OLIVEIRA”",
            "Data de nascimento: no cadastro “06/02/1979”, na plataforma “02/06/1979”",
        ]
    )
    above = warning.bounding_box()
    score = page.get_by_test_id("score").bounding_box()
    assert above is not None and score is not None and above["y"] < score["y"]
    screenshot("credit_result_identity_divergence")

    consult_customer(page, agreeing.pk)

    expect(page.get_by_test_id("identity-divergences")).to_have_count(0)
