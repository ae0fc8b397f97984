from django.db import models
from django.utils.translation import gettext_lazy as _

from creditcheck.core import documents
from creditcheck.core.enums import State
from creditcheck.core.fields import CepField, DocumentField
from creditcheck.core.models import Branch, TimeStampedModel
from creditcheck.crm.enums import LeadSource, ProspectStage
from creditcheck.customers.models import Customer


class Lead(TimeStampedModel):
    name = models.CharField(_("nome"), max_length=200)
    document = DocumentField(_("CPF/CNPJ"), blank=True, db_index=True)
    phone = models.CharField(_("telefone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    source = models.CharField(
        _("origem"), max_length=10, choices=LeadSource.choices, default=LeadSource.OTHER
    )
    branch = models.ForeignKey(
        Branch, verbose_name=_("filial"), on_delete=models.PROTECT, related_name="leads"
    )

    class Meta:
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name

    @property
    def document_formatted(self) -> str:
        return documents.format(self.document)


class Prospect(TimeStampedModel):
    """A prospecção: a lead being worked towards a sale, with address and desired plan."""

    name = models.CharField(_("nome / razão social"), max_length=200)
    document = DocumentField(_("CPF/CNPJ"), blank=True, db_index=True)
    phone = models.CharField(_("telefone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    source = models.CharField(
        _("origem"), max_length=10, choices=LeadSource.choices, default=LeadSource.OTHER
    )
    branch = models.ForeignKey(
        Branch, verbose_name=_("filial"), on_delete=models.PROTECT, related_name="prospects"
    )
    lead = models.ForeignKey(
        Lead,
        verbose_name=_("lead de origem"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="prospects",
    )
    cep = CepField(_("CEP"), blank=True)
    street = models.CharField(_("logradouro"), max_length=200, blank=True)
    number = models.CharField(_("número"), max_length=20, blank=True)
    complement = models.CharField(_("complemento"), max_length=100, blank=True)
    district = models.CharField(_("bairro"), max_length=100, blank=True)
    city = models.CharField(_("cidade"), max_length=120, blank=True)
    state = models.CharField(_("UF"), max_length=2, choices=State.choices, blank=True)
    desired_plan = models.CharField(_("plano desejado"), max_length=120, blank=True)
    stage = models.CharField(
        _("etapa"), max_length=12, choices=ProspectStage.choices, default=ProspectStage.NEW
    )
    converted_customer = models.ForeignKey(
        Customer,
        verbose_name=_("cliente convertido"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="source_prospects",
    )

    class Meta:
        verbose_name = _("prospecção")
        verbose_name_plural = _("prospecções")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name

    @property
    def document_formatted(self) -> str:
        return documents.format(self.document)
