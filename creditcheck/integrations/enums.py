"""Choices of the integration settings."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Platform(models.TextChoices):
    """Keys of the provider registry (providers.base.PLATFORMS), with their trade names."""

    SOAWEBSERVICE = "soawebservice", "SOAWebService"
    CONNECTSA = "connectsa", "ConnectSA"
    CREDITONAMEDIDA = "creditonamedida", "Crédito na Medida"
    SPCBRASIL = "spcbrasil", "SPC Brasil"


class Environment(models.TextChoices):
    PRODUCTION = "production", _("Produção")
    HOMOLOGATION = "homologation", _("Homologação")
    SANDBOX = "sandbox", _("Sandbox (simulador local)")
