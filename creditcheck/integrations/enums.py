"""Choices of the integration settings."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Environment(models.TextChoices):
    PRODUCTION = "production", _("Produção")
    HOMOLOGATION = "homologation", _("Homologação")
    SANDBOX = "sandbox", _("Sandbox (simulador local)")
