"""configure_sandbox_integrations: what `make run` uses to point the demo at the sandboxes."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from creditcheck.core.models import Branch
from creditcheck.integrations.models import BranchIntegration, CreditAnalysisSettings
from creditcheck.integrations.services import branch_integration_test
from providers.sandbox.server import RunningSandbox

pytestmark = pytest.mark.django_db


def test_configures_every_branch_once_and_enables_on_first_run(
    branch: Branch, other_branch: Branch, sandbox: RunningSandbox
) -> None:
    call_command(
        "configure_sandbox_integrations", "--url", sandbox.url, "--enable", stdout=StringIO()
    )
    call_command(
        "configure_sandbox_integrations", "--url", sandbox.url, "--enable", stdout=StringIO()
    )
    assert BranchIntegration.objects.count() == 8  # 2 branches x 4 platforms, not duplicated
    defaults = dict(
        BranchIntegration.objects.filter(is_default=True).values_list("branch__name", "platform")
    )
    assert defaults == {branch.name: "spcbrasil", other_branch.name: "soawebservice"}
    assert all(branch_integration_test(integration=i)[0] for i in BranchIntegration.objects.all())
    settings_row = CreditAnalysisSettings.load()
    assert (settings_row.enabled, settings_row.requery_interval_days) == (True, 30)


def test_enable_respects_an_admin_who_turned_it_off(
    branch: Branch, sandbox: RunningSandbox
) -> None:
    row = CreditAnalysisSettings.load()
    row.enabled = False
    row.save()
    out = StringIO()
    call_command("configure_sandbox_integrations", "--url", sandbox.url, "--enable", stdout=out)
    assert CreditAnalysisSettings.load().enabled is False
    assert "desativada" in out.getvalue()


def test_rerun_moves_back_a_default_an_operator_changed(
    branch: Branch, sandbox: RunningSandbox
) -> None:
    call_command("configure_sandbox_integrations", "--url", sandbox.url, stdout=StringIO())
    BranchIntegration.objects.filter(branch=branch).update(is_default=False)
    BranchIntegration.objects.filter(branch=branch, platform="creditonamedida").update(
        is_default=True
    )

    call_command("configure_sandbox_integrations", "--url", sandbox.url, stdout=StringIO())

    defaults = BranchIntegration.objects.filter(branch=branch, is_default=True)
    assert list(defaults.values_list("platform", flat=True)) == ["spcbrasil"]
