"""The branches' monthly budgets and the daily usage figures of credit queries.

Both tables were created by the analysis app and keep its table names (see migration 0001).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from creditcheck.core.models import Branch


class BranchBudget(models.Model):
    """A branch's monthly spending limit on credit queries, with this month's raise.

    The standing `monthly_amount` applies every month; an administrator who lets a blocked branch
    go on raises the limit of one month only (`raised_amount` for `raised_month`), so the next
    month starts again from the standing amount.
    """

    branch = models.OneToOneField(
        Branch, verbose_name=_("filial"), on_delete=models.CASCADE, related_name="budget"
    )
    monthly_amount = models.DecimalField(
        _("orçamento mensal (R$)"), max_digits=12, decimal_places=2
    )
    raised_month = models.DateField(_("mês do acréscimo"), null=True, blank=True)
    raised_amount = models.DecimalField(
        _("acréscimo no mês (R$)"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acréscimo feito por"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    raised_at = models.DateTimeField(_("acréscimo feito em"), null=True, blank=True)

    class Meta:
        verbose_name = _("orçamento de consultas da filial")
        verbose_name_plural = _("orçamentos de consultas das filiais")
        db_table = "analysis_branchbudget"
        permissions = [("view_costs", _("Pode ver custos e uso (Relatórios > Custos)"))]

    def __str__(self) -> str:
        return f"{self.branch}: {self.monthly_amount}"


class QueryUsageDaily(models.Model):
    """Queries sent and avoided per day, branch, platform, product and user, with their R$.

    Kept up to date as each query ends (costs/usage.py), so Relatórios > Custos and the budget
    check read a few hundred rows instead of scanning the month's queries.
    """

    day = models.DateField(_("dia"))
    branch = models.ForeignKey(
        Branch, verbose_name=_("filial"), on_delete=models.CASCADE, related_name="+"
    )
    platform = models.CharField(_("plataforma"), max_length=20, blank=True)
    product = models.CharField(_("produto"), max_length=60, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("usuário"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    sent = models.PositiveIntegerField(_("consultas enviadas"), default=0)
    # Billed for certain; the sent queries whose billing is unknown (a platform 500, a call cut
    # short) count apart until someone settles them, each with its integration's price.
    cost = models.DecimalField(_("custo (R$)"), max_digits=14, decimal_places=2, default=0)
    uncertain = models.PositiveIntegerField(_("consultas com cobrança incerta"), default=0)
    uncertain_cost = models.DecimalField(
        _("cobrança incerta (R$)"), max_digits=14, decimal_places=2, default=0
    )
    # Refused by the re-query interval, or given the result of another branch's query.
    avoided = models.PositiveIntegerField(_("consultas evitadas"), default=0)
    saved = models.DecimalField(_("economia (R$)"), max_digits=14, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("uso diário de consultas")
        verbose_name_plural = _("uso diário de consultas")
        db_table = "analysis_queryusagedaily"
        constraints = [
            models.UniqueConstraint(
                fields=["day", "branch", "platform", "product", "user"],
                name="one_usage_row_per_day_and_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.branch_id}: {self.sent} / R$ {self.cost}"
