from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceKind(models.TextChoices):
    """How a payment source signs what it sends (creditcheck/erp/webhooks.py)."""

    ASAAS = "asaas", _("Asaas (webhook de cobranças)")
    PIX = "pix", _("Pix (webhook da API Pix)")
    SIGNED = "signed", _("Webhook assinado (HMAC-SHA256)")


class EventKind(models.TextChoices):
    PAYMENT = "payment", _("Pagamento")
    REVERSAL = "reversal", _("Estorno / chargeback")
    OTHER = "other", _("Outro aviso")


class EventStatus(models.TextChoices):
    APPLIED = "applied", _("Fatura baixada")
    MATCHED = "matched", _("Vinculada por uma pessoa")
    ALREADY_PAID = "already_paid", _("Fatura já estava paga")
    UNMATCHED = "unmatched", _("Fatura não encontrada")
    REFUSED = "refused", _("Pagamento recusado")
    REVERSAL = "reversal", _("Estorno registrado")
    IGNORED = "ignored", _("Aviso sem efeito")


# The statuses a person still has to look at ("Pagamentos a conferir").
NEEDS_ATTENTION = (EventStatus.UNMATCHED, EventStatus.REFUSED, EventStatus.REVERSAL)
