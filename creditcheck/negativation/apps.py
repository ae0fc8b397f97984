from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class NegativationConfig(AppConfig):
    name = "creditcheck.negativation"
    label = "negativation"
    verbose_name = _("Negativação")

    def ready(self) -> None:
        from creditcheck.contracts.models import Invoice
        from creditcheck.negativation.signals import invoice_saved

        post_save.connect(invoice_saved, sender=Invoice, dispatch_uid="negativation-invoice-saved")
