"""Whether an invoice's debtor was notified as the UF's rule requires: the one home of that rule.

A notice counts when
- it was sent through a channel the rule allows: `channels_with_consent` when the customer had
  consented to that electronic channel before the notice was sent, else
  `channels_without_consent`;
- it states every content the rule requires;
- it reached the debtor: a letter counts from its posting (unless it came back); an e-mail or
  SMS only once delivered, and from its delivery (STJ Tema 1.315: "comprovados o envio da
  notificação e a respectiva entrega ao destinatário");
- the rule's days (calendar or business, with the UF's holidays) have passed since then.

negativation_include and the release job of pending negativações
(negativation/services.py::negativation_release_noticed) both ask `notice_compliance`.
"""

import datetime as dt
from dataclasses import dataclass

from creditcheck.contracts.models import Invoice
from creditcheck.notices.enums import ELECTRONIC, NoticeChannel, NoticeContent, NoticeStatus
from creditcheck.notices.models import Notice, NoticeConsent
from creditcheck.notices.rules import UfRule
from creditcheck.notices.selectors import notice_rule

UNDELIVERED = (NoticeStatus.BOUNCED, NoticeStatus.FAILED)


@dataclass(frozen=True)
class NoticeCompliance:
    rule: UfRule
    notice: Notice | None  # the notice that meets (or will meet) the rule first
    met_on: dt.date | None  # when that notice fulfils the waiting period
    satisfied: bool
    blocked: bool  # a notice came back or failed and no other one counts
    reason: str  # pt-BR: why the rule is not met yet (empty when it is)


def _consented(consents: list[NoticeConsent], notice: Notice) -> bool:
    return any(
        c.channel == notice.channel
        and c.given_on <= notice.sent_on
        and (c.revoked_on is None or c.revoked_on > notice.sent_on)
        for c in consents
    )


def _start(notice: Notice) -> dt.date | None:
    """The day the notice starts counting; None while it does not count (yet)."""
    if notice.status in UNDELIVERED:
        return None
    if notice.channel == NoticeChannel.LETTER:
        return notice.sent_on
    if notice.status == NoticeStatus.DELIVERED:
        return notice.delivered_on or notice.sent_on
    return None


def _date(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def notice_compliance(invoice: Invoice, today: dt.date) -> NoticeCompliance:
    customer = invoice.contract.customer
    rule = notice_rule(customer.state)
    notices = list(Notice.objects.filter(invoice=invoice).order_by("sent_on", "pk"))
    consents = list(NoticeConsent.objects.filter(customer=customer))
    best: tuple[dt.date, Notice] | None = None
    problems: list[str] = []
    for notice in notices:
        label = f"{notice.get_channel_display()} de {_date(notice.sent_on)}"
        allowed = rule.allowed_channels(_consented(consents, notice))
        if notice.channel not in allowed:
            problems.append(
                f"{label}: a regra de {rule.state} não aceita este canal sem consentimento "
                "prévio do cliente"
            )
            continue
        missing = [str(NoticeContent(c).label) for c in rule.contents if c not in notice.contents]
        if missing:
            problems.append(f"{label}: falta {', '.join(missing)}")
            continue
        start = _start(notice)
        if start is None:
            if notice.status in UNDELIVERED:
                detail = f" ({notice.status_detail})" if notice.status_detail else ""
                problems.append(f"{label}: {notice.get_status_display().lower()}{detail}")
            elif notice.channel in ELECTRONIC:
                problems.append(f"{label}: sem confirmação de entrega")
            continue
        met_on = rule.met_on(start)
        if best is None or met_on < best[0]:
            best = (met_on, notice)
    if best is not None:
        met_on, notice = best
        if met_on <= today:
            return NoticeCompliance(rule, notice, met_on, True, False, "")
        return NoticeCompliance(
            rule,
            notice,
            met_on,
            False,
            False,
            f"Prazo do comunicado ({rule.describe()}) cumpre-se em {_date(met_on)}.",
        )
    blocked = any(n.status in UNDELIVERED for n in notices)
    if not notices:
        reason = f"Nenhum comunicado registrado para esta fatura (regra de {rule.state}: " + (
            f"{rule.describe()})."
        )
    else:
        reason = "Nenhum comunicado cumpre a regra: " + "; ".join(problems) + "."
    return NoticeCompliance(rule, None, None, False, blocked, reason)
