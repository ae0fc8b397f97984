"""States of a negativação, the actions staff take on one, and the reasons for a removal."""

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class NegativationStatus(models.TextChoices):
    # Stored, not sent: the debtor's notice does not meet the UF's rule yet (notices/compliance).
    NOTICE_PENDING = "notice_pending", _("Aguardando prazo do comunicado")
    REQUESTED = "requested", _("Solicitada")
    SENT = "sent", _("Enviada")
    AWAITING_NOTICE = "awaiting_notice", _("Aguardando comunicado")
    ACTIVE = "active", _("Ativa")
    REMOVAL_REQUESTED = "removal_requested", _("Baixa solicitada")
    REMOVED = "removed", _("Baixada")
    FAILED = "failed", _("Falhou")
    REJECTED = "rejected", _("Rejeitada")


S = NegativationStatus

# The lifecycle: every transition goes through negativation_set_status, which refuses others.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.NOTICE_PENDING: frozenset({S.REQUESTED, S.REJECTED}),
    S.REQUESTED: frozenset({S.SENT, S.FAILED, S.REJECTED}),
    S.SENT: frozenset({S.AWAITING_NOTICE, S.ACTIVE, S.REMOVAL_REQUESTED}),
    S.AWAITING_NOTICE: frozenset({S.ACTIVE, S.REMOVAL_REQUESTED}),
    S.ACTIVE: frozenset({S.REMOVAL_REQUESTED}),
    S.REMOVAL_REQUESTED: frozenset({S.REMOVED}),
    S.REMOVED: frozenset(),
    S.FAILED: frozenset({S.REQUESTED, S.REJECTED}),
    S.REJECTED: frozenset(),
}

# Live records: an invoice has at most one of these.
LIVE = (
    S.NOTICE_PENDING,
    S.REQUESTED,
    S.SENT,
    S.AWAITING_NOTICE,
    S.ACTIVE,
    S.REMOVAL_REQUESTED,
    S.FAILED,
)
# A background task moves these on shortly (sending, confirming, removing): the detail screen
# listens for the change (its event stream) while it shows one.
IN_PROGRESS = (S.REQUESTED, S.SENT, S.REMOVAL_REQUESTED)
# Registered (or possibly registered) at the platform: these need a removal.
REGISTERED = (S.SENT, S.AWAITING_NOTICE, S.ACTIVE)


class NegativationAction(models.TextChoices):
    """What staff (or the API) can ask of an existing negativação."""

    REMOVE = "remove", _("Solicitar baixa")
    RETRY = "retry", _("Tentar novamente")
    REFRESH = "refresh", _("Atualizar situação")


# Where a removal takes each state from: a registered record gets its removal requested at the
# platform; one not (or no longer) being sent is withdrawn. Other states have nothing to remove.
REMOVAL_TARGET: dict[str, str] = {
    S.NOTICE_PENDING: S.REJECTED,
    S.REQUESTED: S.REJECTED,
    S.FAILED: S.REJECTED,
    **{state: S.REMOVAL_REQUESTED for state in REGISTERED},
}
# The states each action applies to (every one a transition of TRANSITIONS).
ACTION_STATES: dict[str, frozenset[str]] = {
    NegativationAction.REMOVE: frozenset(REMOVAL_TARGET),
    NegativationAction.RETRY: frozenset({S.FAILED}),
    NegativationAction.REFRESH: frozenset({S.AWAITING_NOTICE}),
}
# Why an action does not apply, after "Negativação <state>: ".
ACTION_NOT_APPLICABLE: dict[str, Any] = {
    NegativationAction.REMOVE: _("nada a baixar"),
    NegativationAction.RETRY: _("só as que falharam"),
    NegativationAction.REFRESH: _("só as que aguardam o comunicado"),
}


class InclusionReason(models.TextChoices):
    """Why we register the debt (our record and audit; the platform gets its nature code)."""

    OVERDUE = "overdue", _("Fatura vencida e não paga")
    CONTRACT_FINE = "contract_fine", _("Multa por rescisão do contrato")
    EQUIPMENT = "equipment", _("Equipamento em comodato não devolvido")
    AGREEMENT_BROKEN = "agreement_broken", _("Acordo de pagamento descumprido")


class RemovalReason(models.TextChoices):
    PAID = "paid", _("Pagamento da dívida")
    CANCELLED = "cancelled", _("Fatura cancelada")
    RENEGOTIATED = "renegotiated", _("Dívida renegociada")
    DISPUTED = "disputed", _("Contestação do cliente")
    EXPIRED = "expired", _("Prazo máximo de 5 anos (CDC art. 43 §1º)")
    REPAYMENT_PLAN = "repayment_plan", _("Plano de repactuação (CDC art. 104-A)")
    ERROR = "error", _("Registro indevido / erro")
    MANUAL = "manual", _("Baixa manual")
