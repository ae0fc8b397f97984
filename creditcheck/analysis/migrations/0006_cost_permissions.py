"""Formerly: who sees Relatórios > Custos and who changes the branches' budgets.

The role → permission grants live in creditcheck/core/roles.py, applied after every migrate
(post_migrate); this migration stays, doing nothing, for the databases that applied it.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("analysis", "0005_branch_budget_and_budget_refusal")]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
