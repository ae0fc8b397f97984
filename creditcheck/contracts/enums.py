from django.db import models
from django.utils.translation import gettext_lazy as _


class ContractStatus(models.TextChoices):
    ACTIVE = "active", _("Ativo")
    SUSPENDED = "suspended", _("Suspenso")
    CANCELLED = "cancelled", _("Cancelado")


class InvoiceStatus(models.TextChoices):
    OPEN = "open", _("Em aberto")
    PAID = "paid", _("Paga")
    CANCELLED = "cancelled", _("Cancelada")
    RENEGOTIATED = "renegotiated", _("Renegociada")
