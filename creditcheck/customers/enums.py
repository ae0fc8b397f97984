from django.db import models
from django.utils.translation import gettext_lazy as _


class CustomerStatus(models.TextChoices):
    ACTIVE = "active", _("Ativo")
    INACTIVE = "inactive", _("Inativo")
    BLOCKED = "blocked", _("Bloqueado")
