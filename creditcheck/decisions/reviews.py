"""Human review of credit decisions: the queue's entries (asked by the policy or by the data
subject under LGPD art. 20) and the reviewer's decision, kept beside the automated one."""

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from creditcheck.core.audit import audit_record
from creditcheck.core.enums import AuditAction
from creditcheck.decisions.enums import Outcome, ReviewOrigin, ReviewOutcome
from creditcheck.decisions.models import CreditDecision, CreditReview

# How long a review may wait. LGPD art. 20 sets no term of its own; art. 19, II gives 15 days
# to answer a data subject's request in full, which we apply to the review they ask for. The
# policy's own reviews hold a sale at the counter: two days.
REVIEW_TERM = {
    ReviewOrigin.POLICY: dt.timedelta(days=2),
    ReviewOrigin.SUBJECT: dt.timedelta(days=15),
}
NOTE_MAX_LENGTH = 2000


class ReviewRefused(Exception):
    """A review request or decision that was not recorded: a stable code, a Portuguese message."""

    MESSAGES = {
        "review_closed": _("Esta revisão já foi decidida."),
        "review_open": _("Já há uma revisão em aberto desta decisão: ela entra na mesma fila."),
        "invalid_outcome": _("Escolha aprovar ou negar."),
        "reason_required": _("Escreva o motivo da decisão do revisor."),
        "note_required": _("Escreva o que o titular pediu (e por qual canal)."),
        "too_long": _("O texto tem no máximo 2.000 caracteres."),
    }

    def __init__(self, code: str, field: str = "") -> None:
        self.code = code
        self.field = field
        self.message = str(self.MESSAGES[code])
        super().__init__(self.message)


def _audit(
    decision: CreditDecision, user: Any, ip_address: str | None, outcome: str, **details: Any
) -> None:
    query = decision.query
    audit_record(
        action=AuditAction.CREDIT_DECISION,
        user=user,
        ip_address=ip_address,
        branch=query.branch,
        document=query.document,
        outcome=outcome,
        target=decision,
        details={"query": query.pk, **details},
    )


def review_open_for_policy(decision: CreditDecision) -> CreditReview:
    """The queue entry of a decision the policy sent to review (inside its transaction)."""
    return CreditReview.objects.create(
        decision=decision,
        origin=ReviewOrigin.POLICY,
        requested_at=decision.decided_at,
        due_at=decision.decided_at + REVIEW_TERM[ReviewOrigin.POLICY],
    )


def _text(value: str, code: str, field: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ReviewRefused(code, field)
    if len(text) > NOTE_MAX_LENGTH:
        raise ReviewRefused("too_long", field)
    return text


def review_request_by_subject(
    *, decision: CreditDecision, note: str, user: Any, ip_address: str | None = None
) -> CreditReview:
    """Record the data subject's request to review `decision` (LGPD art. 20), with its term.

    Refused (`review_open`) while the decision has an open review: that one is answered.
    """
    note = _text(note, "note_required", "note")
    now = timezone.now()
    try:
        with transaction.atomic():
            review = CreditReview.objects.create(
                decision=decision,
                origin=ReviewOrigin.SUBJECT,
                requested_at=now,
                requested_by=user,
                request_note=note,
                due_at=now + REVIEW_TERM[ReviewOrigin.SUBJECT],
            )
            _audit(decision, user, ip_address, "revisão pedida pelo titular (LGPD art. 20)",
                   review=review.pk, due_at=review.due_at.isoformat())  # fmt: skip
    except IntegrityError:
        raise ReviewRefused("review_open") from None
    return review


def review_decide(
    *, review_id: int, outcome: str, reason: str, user: Any, ip_address: str | None = None
) -> CreditReview:
    """The reviewer's decision: approve (with the conditions the policy computed) or deny, with
    a written reason. It becomes the decision in force, beside the automated one; an approval
    counts its validity again from now (the policy version's days)."""
    if outcome not in ReviewOutcome.values:
        raise ReviewRefused("invalid_outcome", "outcome")
    reason = _text(reason, "reason_required", "reason")
    with transaction.atomic():
        review = (
            CreditReview.objects.select_for_update(of=("self",))
            .select_related("decision__version", "decision__query__branch")
            .get(pk=review_id)
        )
        if not review.open:
            raise ReviewRefused("review_closed")
        now = timezone.now()
        review.outcome, review.reason, review.reviewed_by, review.reviewed_at = (
            outcome, reason, user, now,
        )  # fmt: skip
        review.save(update_fields=["outcome", "reason", "reviewed_by", "reviewed_at"])
        decision = review.decision
        decision.final_outcome = Outcome(outcome)
        decision.final_by, decision.final_at, decision.final_reason = user, now, reason
        fields = ["final_outcome", "final_by", "final_at", "final_reason"]
        if outcome == ReviewOutcome.APPROVED:
            decision.expires_at = now + dt.timedelta(days=decision.version.validity_days)
            fields.append("expires_at")
        decision.save(update_fields=fields)
        _audit(decision, user, ip_address, f"revisão: {outcome}", review=review.pk,
               automated=decision.outcome, final=outcome, reason=reason)  # fmt: skip
    return review
