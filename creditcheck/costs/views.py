"""Relatórios > Custos: the month's usage and spend per filial against its budget, its CSV, and
the administrator's budget change. Every figure comes from costs.selectors.costs_report."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from creditcheck.core.audit import audit_record
from creditcheck.core.csv_export import csv_response, decimal_cell
from creditcheck.core.enums import AuditAction
from creditcheck.core.formatting import money
from creditcheck.core.http import client_ip
from creditcheck.core.selectors import branches_for
from creditcheck.costs.budgets import (
    branch_budget_raise,
    branch_budget_set,
    budget_status,
    current_month,
)
from creditcheck.costs.charts import bar_chart
from creditcheck.costs.forms import BudgetForm, CostsFilterForm
from creditcheck.costs.selectors import CostsReport, costs_report


def _report(request: HttpRequest) -> tuple[CostsFilterForm, CostsReport | None]:
    form = CostsFilterForm(request.GET or None, branches=branches_for(request.user))
    if not form.is_bound:
        form = CostsFilterForm({"month": ""}, branches=branches_for(request.user))
    if not form.is_valid():
        return form, None
    return form, costs_report(month=form.cleaned_data["month"], branches=form.selected_branches())


@login_required
@permission_required("costs.view_costs", raise_exception=True)
def costs_dashboard(request: HttpRequest) -> HttpResponse:
    form, report = _report(request)
    chart = None
    if report is not None:
        peak = max((row.cost for row in report.per_day), default=Decimal(0))
        chart = bar_chart(
            [
                (
                    str(row.day.day),
                    row.count,
                    f"{row.day:%d/%m}: {row.count} consultas, {money(row.cost)}",
                )
                for row in report.per_day
            ],
            max_label=money(peak),
        )
    can_change = request.user.has_perm("costs.change_branchbudget")
    return render(
        request,
        "costs/dashboard.html",
        {
            "form": form,
            "report": report,
            "chart": chart,
            "can_change_budget": can_change,
            "is_current_month": report is not None and report.month == current_month(),
            "budget_form": BudgetForm(branches=branches_for(request.user)) if can_change else None,
        },
    )


CSV_HEADER = [
    "Seção",
    "Item",
    "Consultas",
    "Valor (R$)",
    "Orçamento (R$)",
    "Uso do orçamento (%)",
    "Situação do orçamento",
    "Consultas evitadas",
    "Economia (R$)",
]


def costs_csv_rows(report: CostsReport) -> list[list[str]]:
    total = ["Total", "Consultas realizadas", str(report.count), decimal_cell(report.cost)]
    rows = [[*total, "", "", "", str(report.avoided), decimal_cell(report.saved)]]
    for branch in report.per_branch:
        budget = branch.budget
        state = "Bloqueado" if budget.blocked else "Alerta (80%)" if budget.warning else ""
        rows.append(
            [
                "Filial",
                branch.name,
                str(branch.count),
                decimal_cell(branch.cost),
                decimal_cell(budget.limit),
                "" if budget.percent is None else str(budget.percent),
                state if budget.limit is not None else "Sem orçamento",
                str(branch.avoided),
                decimal_cell(branch.saved),
            ]
        )
    for section, usage in (
        ("Plataforma", report.per_platform),
        ("Usuário", report.per_user),
        ("Produto", report.per_product),
    ):
        rows.extend([section, row.label, str(row.count), decimal_cell(row.cost)] for row in usage)
    rows.extend(
        ["Dia", f"{row.day:%d/%m/%Y}", str(row.count), decimal_cell(row.cost)]
        for row in report.per_day
    )
    figures = report.negativations
    rows.extend(
        ["Negativações", label, str(value), ""]
        for label, value in (
            ("Ativas", figures.active),
            ("Baixadas no mês", figures.removed),
            ("Baixas dentro do prazo", figures.deadlines_met),
            ("Baixas fora do prazo", figures.deadlines_missed),
            ("Baixas solicitadas com prazo vencido", figures.overdue),
        )
    )
    return rows


@login_required
@permission_required("costs.view_costs", raise_exception=True)
def costs_csv(request: HttpRequest) -> HttpResponseBase:
    """The dashboard's figures as CSV for Excel: `;`-separated, UTF-8 with BOM. Audited."""
    form, report = _report(request)
    if report is None:
        return redirect(f"{reverse('costs:dashboard')}?{request.GET.urlencode()}")
    audit_record(
        action=AuditAction.REPORT_DOWNLOAD,
        user=request.user,
        ip_address=client_ip(request),
        outcome="relatório de custos (CSV)",
        details={
            "report": "costs",
            "month": f"{report.month:%Y-%m}",
            "branch_id": form.cleaned_data["branch"].pk if form.cleaned_data["branch"] else None,
        },
    )
    return csv_response(
        filename=f"custos-{report.month:%Y-%m}.csv", header=CSV_HEADER, rows=costs_csv_rows(report)
    )


@login_required
@permission_required("costs.change_branchbudget", raise_exception=True)
@require_POST
def costs_budget(request: HttpRequest) -> HttpResponse:
    """Set a filial's monthly budget or raise this month's (administrators)."""
    form = BudgetForm(request.POST, branches=branches_for(request.user))
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else str(error))
        return redirect("costs:dashboard")
    branch = form.cleaned_data["branch"]
    amount = form.cleaned_data["amount"]
    if form.cleaned_data["action"] == BudgetForm.RAISE:
        branch_budget_raise(
            branch=branch, amount=amount, user=request.user, ip_address=client_ip(request)
        )
        status = budget_status(branch)
        messages.success(
            request,
            f"Orçamento deste mês da {branch.name} aumentado para {money(status.limit)}.",
        )
    else:
        branch_budget_set(
            branch=branch, monthly_amount=amount, user=request.user, ip_address=client_ip(request)
        )
        messages.success(
            request,
            f"Orçamento mensal da {branch.name} definido em {money(amount)}."
            if amount is not None
            else f"Orçamento mensal da {branch.name} removido: sem limite.",
        )
    return redirect("costs:dashboard")
