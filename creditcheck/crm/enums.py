from django.db import models
from django.utils.translation import gettext_lazy as _


class LeadSource(models.TextChoices):
    WEBSITE = "website", _("Site")
    PHONE = "phone", _("Telefone")
    REFERRAL = "referral", _("Indicação")
    STORE = "store", _("Loja")
    SOCIAL = "social", _("Redes sociais")
    OTHER = "other", _("Outro")


class ProspectStage(models.TextChoices):
    NEW = "new", _("Novo")
    NEGOTIATING = "negotiating", _("Em negociação")
    WON = "won", _("Ganho")
    LOST = "lost", _("Perdido")
