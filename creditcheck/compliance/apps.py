from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    """The audit-trail screen, LGPD data-subject reports and the retention job.

    No models of its own: it reads the audit trail (core), credit queries (analysis) and
    negativações (negativation), and its permissions live on core.AuditEntry.
    """

    name = "creditcheck.compliance"
    label = "compliance"
    verbose_name = _("Conformidade (auditoria e LGPD)")
