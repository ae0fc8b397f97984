"""The ERP's own identity of a record: which system it came from and its id there.

Customers, contracts and invoices imported, synced or pushed by an ERP carry `external_source`
(a short key of the system, e.g. "ixc") and `external_id` (the id in that system, e.g. IXC's
`fn_areceber.id`). Together they are unique, so a second import or sync of the same record
finds it instead of creating another (creditcheck/erp). Records typed in CreditCheck leave both
empty.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

SOURCE_MAX_LENGTH = 30
EXTERNAL_ID_MAX_LENGTH = 64


class ExternalRecord(models.Model):
    external_source = models.CharField(
        _("origem"),
        max_length=SOURCE_MAX_LENGTH,
        blank=True,
        default="",
        help_text=_("Sistema de onde o registro veio (ex.: ixc)."),
    )
    external_id = models.CharField(
        _("código no ERP"),
        max_length=EXTERNAL_ID_MAX_LENGTH,
        blank=True,
        default="",
        help_text=_("Identificador do registro no sistema de origem."),
    )

    class Meta:
        abstract = True

    @property
    def external_label(self) -> str:
        """ "ixc 1234" as screens show it; "" for a record typed in CreditCheck."""
        if not self.external_id:
            return ""
        return f"{self.external_source} {self.external_id}".strip()


def external_unique(name: str) -> models.UniqueConstraint:
    """The constraint each model lists in its Meta: one record per (source, id) when set."""
    return models.UniqueConstraint(
        fields=["external_source", "external_id"],
        condition=~models.Q(external_id=""),
        name=name,
    )
