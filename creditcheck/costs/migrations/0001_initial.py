"""The budgets and daily usage tables move here from the analysis app, unchanged.

Only Django's picture of the models moves (state operations): the tables keep their names
(`analysis_branchbudget`, `analysis_queryusagedaily`) and their rows, so a database at any earlier
schema migrates without copying data. analysis 0009 removes the models from the analysis app's
picture.
"""

from decimal import Decimal

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("analysis", "0008_credit_query_shared_from"),
        ("core", "0006_auditentry_platform_availability_action"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    state_operations = [
        migrations.CreateModel(
            name="BranchBudget",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "monthly_amount",
                    models.DecimalField(
                        decimal_places=2, max_digits=12, verbose_name="orçamento mensal (R$)"
                    ),
                ),
                (
                    "raised_month",
                    models.DateField(blank=True, null=True, verbose_name="mês do acréscimo"),
                ),
                (
                    "raised_amount",
                    models.DecimalField(
                        decimal_places=2,
                        default=Decimal("0.00"),
                        max_digits=12,
                        verbose_name="acréscimo no mês (R$)",
                    ),
                ),
                (
                    "raised_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="acréscimo feito em"),
                ),
                (
                    "branch",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="budget",
                        to="core.branch",
                        verbose_name="filial",
                    ),
                ),
                (
                    "raised_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="acréscimo feito por",
                    ),
                ),
            ],
            options={
                "verbose_name": "orçamento de consultas da filial",
                "verbose_name_plural": "orçamentos de consultas das filiais",
                "db_table": "analysis_branchbudget",
                "permissions": [("view_costs", "Pode ver custos e uso (Relatórios > Custos)")],
            },
        ),
        migrations.CreateModel(
            name="QueryUsageDaily",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("day", models.DateField(verbose_name="dia")),
                (
                    "platform",
                    models.CharField(blank=True, max_length=20, verbose_name="plataforma"),
                ),
                ("product", models.CharField(blank=True, max_length=60, verbose_name="produto")),
                ("sent", models.PositiveIntegerField(default=0, verbose_name="consultas enviadas")),
                (
                    "cost",
                    models.DecimalField(
                        decimal_places=2, default=0, max_digits=14, verbose_name="custo (R$)"
                    ),
                ),
                (
                    "avoided",
                    models.PositiveIntegerField(default=0, verbose_name="consultas evitadas"),
                ),
                (
                    "saved",
                    models.DecimalField(
                        decimal_places=2, default=0, max_digits=14, verbose_name="economia (R$)"
                    ),
                ),
                (
                    "branch",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="core.branch",
                        verbose_name="filial",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="usuário",
                    ),
                ),
            ],
            options={
                "verbose_name": "uso diário de consultas",
                "verbose_name_plural": "uso diário de consultas",
                "db_table": "analysis_queryusagedaily",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("day", "branch", "platform", "product", "user"),
                        name="one_usage_row_per_day_and_key",
                    )
                ],
            },
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=state_operations, database_operations=[])
    ]
