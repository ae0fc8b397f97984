"""What may be done to a negativação in each state, as the services enforce it and the screens
ask it (negativation/actions.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from creditcheck.core.models import Branch
from creditcheck.integrations.models import BranchIntegration, CreditAnalysisSettings
from creditcheck.negativation.actions import (
    action_refusal,
    batch_preview,
    negativation_allowed_actions,
    removal_withdraws,
)
from creditcheck.negativation.enums import (
    ACTION_STATES,
    REMOVAL_TARGET,
    TRANSITIONS,
    NegativationAction,
)
from creditcheck.negativation.enums import NegativationStatus as S
from creditcheck.negativation.models import Negativation
from creditcheck.negativation.refusals import NegativationRefused
from providers.sandbox.server import RunningSandbox
from tests.credit_setup import integration_on
from tests.factories import negativation_for
from tests.negativation.conftest import MakeInvoice

pytestmark = pytest.mark.django_db
A = NegativationAction


@pytest.fixture
def integration(branch: Branch, sandbox: RunningSandbox) -> BranchIntegration:
    return integration_on(branch, sandbox, "spcbrasil")


MakeNegativation = Callable[[str], Negativation]


@pytest.fixture
def negativation_in(
    integration: BranchIntegration, make_overdue_invoice: MakeInvoice
) -> MakeNegativation:
    def make(status: str) -> Negativation:
        return negativation_for(make_overdue_invoice(), integration, status)

    return make


def test_every_action_takes_a_transition_of_the_table() -> None:
    assert all(target in TRANSITIONS[state] for state, target in REMOVAL_TARGET.items())
    assert all(S.REQUESTED in TRANSITIONS[state] for state in ACTION_STATES[A.RETRY])
    assert all(S.ACTIVE in TRANSITIONS[state] for state in ACTION_STATES[A.REFRESH])


@pytest.mark.parametrize(
    "status,allowed",
    [
        (S.REQUESTED, {A.REMOVE}),
        (S.SENT, {A.REMOVE}),
        (S.AWAITING_NOTICE, {A.REMOVE, A.REFRESH}),
        (S.ACTIVE, {A.REMOVE}),
        (S.REMOVAL_REQUESTED, set()),
        (S.REMOVED, set()),
        (S.FAILED, {A.REMOVE, A.RETRY}),
        (S.REJECTED, set()),
    ],
)
def test_allowed_actions_per_state(
    status: str, allowed: set[str], negativation_in: MakeNegativation
) -> None:
    assert negativation_allowed_actions(negativation_in(status)) == allowed


def test_no_action_is_allowed_while_integration_is_off(
    negativation_in: MakeNegativation,
) -> None:
    negativation = negativation_in(S.FAILED)
    CreditAnalysisSettings.objects.filter(pk=1).update(enabled=False)

    refusal = action_refusal(negativation, A.RETRY)

    assert negativation_allowed_actions(negativation) == frozenset()
    assert refusal is not None
    assert (refusal.code, refusal.message) == (
        "integration_disabled",
        "A integração com análise de crédito está desativada (Configurações > Integrações): "
        "as ações de negativação estão indisponíveis.",
    )


def test_removal_of_a_record_not_registered_withdraws_it(
    negativation_in: MakeNegativation,
) -> None:
    assert [removal_withdraws(negativation_in(s)) for s in (S.REQUESTED, S.FAILED, S.ACTIVE)] == [
        True,
        True,
        False,
    ]


def test_batch_preview_says_why_each_row_is_skipped(negativation_in: MakeNegativation) -> None:
    rows = batch_preview(
        action=A.RETRY,
        negativations=[negativation_in(S.FAILED), negativation_in(S.ACTIVE)],
    )

    assert [row.skip_reason for row in rows] == ["", "Negativação ativa: só as que falharam."]


def test_batch_preview_refused_while_integration_is_off(
    negativation_in: MakeNegativation,
) -> None:
    negativation = negativation_in(S.ACTIVE)
    CreditAnalysisSettings.objects.filter(pk=1).update(enabled=False)

    with pytest.raises(NegativationRefused) as refused:
        batch_preview(action=A.REMOVE, negativations=[negativation])

    assert refused.value.code == "integration_disabled"
