from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from creditcheck.core import documents
from creditcheck.core.enums import AuditAction, State
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


class AuditHead(models.Model):
    """The chain's last link: locked while appending, so entries form one chain."""

    seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("cabeça da trilha de auditoria")

    def __str__(self) -> str:
        return f"#{self.seq}"


class AuditEntry(models.Model):
    """One audited event. Append-only: the application never updates or deletes entries."""

    seq = models.PositiveBigIntegerField(_("sequência"), unique=True)
    at = models.DateTimeField(_("quando"), db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("usuário"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    username = models.CharField(_("usuário (nome)"), max_length=150)
    ip_address = models.GenericIPAddressField(_("IP"), null=True, blank=True)
    action = models.CharField(_("ação"), max_length=30, choices=AuditAction.choices)
    branch = models.ForeignKey(
        Branch,
        verbose_name=_("filial"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    document = models.CharField(_("CPF/CNPJ"), max_length=14, blank=True, db_index=True)
    outcome = models.CharField(_("resultado"), max_length=200, blank=True)
    target_type = models.CharField(_("objeto"), max_length=60, blank=True)
    target_id = models.CharField(_("id do objeto"), max_length=40, blank=True)
    details = models.JSONField(_("detalhes"), default=dict, blank=True)
    prev_hash = models.CharField(_("hash anterior"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)

    class Meta:
        verbose_name = _("entrada de auditoria")
        verbose_name_plural = _("trilha de auditoria")
        ordering = ["-seq"]
        permissions = [
            # The LGPD data-subject report (art. 18-19): everything done with one CPF/CNPJ.
            ("export_personal_data", _("Pode exportar dados pessoais (LGPD)")),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.get_action_display()} {self.outcome}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("audit entries are append-only")


class SignInAccess(models.Model):
    """No table: the home of the permission to end a sign-in lock (creditcheck/core/sign_in.py).

    Django permissions belong to a model; unlocking a user belongs to none of the others.
    """

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("unlock_user", _("Pode desbloquear usuários bloqueados por tentativas de entrada")),
        ]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
