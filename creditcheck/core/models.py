from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from creditcheck.core import documents
from creditcheck.core.enums import State
from creditcheck.core.fields import DocumentField


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("criado em"), auto_now_add=True)
    updated_at = models.DateTimeField(_("atualizado em"), auto_now=True)

    class Meta:
        abstract = True


class Branch(TimeStampedModel):
    """A filial: the unit that owns customers and, later, bureau credentials."""

    name = models.CharField(_("nome"), max_length=120)
    cnpj = DocumentField(_("CNPJ"), unique=True)
    state = models.CharField(_("UF"), max_length=2, choices=State.choices)
    city = models.CharField(_("cidade"), max_length=120)
    active = models.BooleanField(_("ativa"), default=True)
    # Users see and act only on the data of the branches they belong to.
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("usuários"),
        related_name="branches",
        blank=True,
    )

    class Meta:
        verbose_name = _("filial")
        verbose_name_plural = _("filiais")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def cnpj_formatted(self) -> str:
        return documents.format(self.cnpj)

    def clean(self) -> None:
        super().clean()
        if self.cnpj and documents.kind(self.cnpj) == "cpf":
            raise ValidationError(
                {"cnpj": ValidationError(_("Informe um CNPJ, não um CPF."), code="not_cnpj")}
            )
