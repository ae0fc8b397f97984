from django.db import models
from django.utils.translation import gettext_lazy as _

from creditcheck.core import documents
from creditcheck.core.enums import PersonType, State
from creditcheck.core.external import ExternalRecord, external_unique
from creditcheck.core.fields import CepField, DocumentField
from creditcheck.core.models import Branch, TimeStampedModel
from creditcheck.core.validation import check_person_type_matches_document
from creditcheck.customers.enums import CustomerStatus


class Customer(ExternalRecord, TimeStampedModel):
    person_type = models.CharField(_("tipo de pessoa"), max_length=1, choices=PersonType.choices)
    name = models.CharField(_("nome / razão social"), max_length=200)
    document = DocumentField(_("CPF/CNPJ"), db_index=True)
    birth_date = models.DateField(_("data de nascimento / fundação"), null=True, blank=True)
    mother_name = models.CharField(_("nome da mãe"), max_length=200, blank=True)
    cep = CepField(_("CEP"))
    street = models.CharField(_("logradouro"), max_length=200)
    number = models.CharField(_("número"), max_length=20)
    complement = models.CharField(_("complemento"), max_length=100, blank=True)
    district = models.CharField(_("bairro"), max_length=100)
    city = models.CharField(_("cidade"), max_length=120)
    state = models.CharField(_("UF"), max_length=2, choices=State.choices)
    phone = models.CharField(_("telefone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    branch = models.ForeignKey(
        Branch, verbose_name=_("filial"), on_delete=models.PROTECT, related_name="customers"
    )
    status = models.CharField(
        _("situação"), max_length=10, choices=CustomerStatus.choices, default=CustomerStatus.ACTIVE
    )

    class Meta:
        verbose_name = _("cliente")
        verbose_name_plural = _("clientes")
        ordering = ["name", "id"]
        constraints = [
            external_unique("customer_external_unique"),
            # One record of a person per branch (customers/services.py explains the refusal;
            # this catches a race between two saves).
            models.UniqueConstraint(
                fields=["branch", "document"], name="customer_one_per_document_and_branch"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.document_formatted})"

    @property
    def document_formatted(self) -> str:
        return documents.format(self.document)

    def clean(self) -> None:
        super().clean()
        check_person_type_matches_document(self.person_type, self.document)
