"""What may be done to a negativação now, and why not: the one predicate the services enforce
(under the row lock) and the screens ask before offering a button.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from creditcheck.negativation.eligibility import integration_enabled, require_integration_enabled
from creditcheck.negativation.enums import (
    ACTION_NOT_APPLICABLE,
    ACTION_STATES,
    REMOVAL_TARGET,
    NegativationAction,
    NegativationStatus,
)
from creditcheck.negativation.models import Negativation
from creditcheck.negativation.refusals import NegativationRefused, RefusalCode, message


def invalid_transition(negativation: Negativation, action: str) -> NegativationRefused:
    """The refusal of `action` on `negativation` in its current state."""
    return NegativationRefused(
        RefusalCode.INVALID_TRANSITION,
        message(
            RefusalCode.INVALID_TRANSITION,
            status=negativation.get_status_display().lower(),
            action=ACTION_NOT_APPLICABLE[action],
        ),
    )


def state_refusal(negativation: Negativation, action: str) -> NegativationRefused | None:
    """Why the state of `negativation` does not allow `action` (None: it does)."""
    if negativation.status in ACTION_STATES[action]:
        return None
    return invalid_transition(negativation, action)


def actions_refusal() -> NegativationRefused | None:
    """Why no action may be taken on any negativação now (None: they may): the
    `integration_disabled` refusal while the flag is off. Screens show it instead of the
    buttons."""
    if not integration_enabled():
        return NegativationRefused(RefusalCode.INTEGRATION_DISABLED)
    return None


def action_refusal(negativation: Negativation, action: str) -> NegativationRefused | None:
    """Why `action` may not be taken on `negativation` now (None: it may)."""
    return actions_refusal() or state_refusal(negativation, action)


def negativation_allowed_actions(negativation: Negativation) -> frozenset[str]:
    """The actions a screen may offer on `negativation` (none while the flag is off)."""
    if not integration_enabled():
        return frozenset()
    return frozenset(
        action for action in NegativationAction if state_refusal(negativation, action) is None
    )


def removal_withdraws(negativation: Negativation) -> bool:
    """A removal of `negativation` only withdraws its inclusion (nothing is at the platform)."""
    return REMOVAL_TARGET.get(negativation.status) == NegativationStatus.REJECTED


@dataclass(frozen=True)
class BatchRow:
    negativation: Negativation
    skip_reason: str  # empty when the action applies


def batch_preview(*, action: str, negativations: Iterable[Negativation]) -> list[BatchRow]:
    """The batch confirmation: which selected rows `action` applies to, and why not the others.

    Raises the `integration_disabled` refusal while the flag is off.
    """
    require_integration_enabled()
    rows = []
    for negativation in negativations:
        refusal = state_refusal(negativation, action)
        rows.append(BatchRow(negativation, refusal.message if refusal else ""))
    return rows
