from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CostsConfig(AppConfig):
    """What credit queries cost: the branches' monthly budgets, the daily usage figures and
    Relatórios > Custos. It reads credit queries (analysis) and negativações (negativation); the
    query service asks it whether a query fits the budget and records each finished query."""

    name = "creditcheck.costs"
    label = "costs"
    verbose_name = _("Custos")
