"""Compliance screens: Relatórios > Auditoria (list, detail, integrity check, CSV) and
Relatórios > LGPD (the data-subject report)."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from creditcheck.compliance.exporters import audit_csv_response, subject_report_response
from creditcheck.compliance.forms import AuditFilterForm, SubjectReportForm
from creditcheck.compliance.lgpd import personal_data_export
from creditcheck.compliance.selectors import audit_entries_for, filter_audit_entries
from creditcheck.core.audit import verify_audit_chain
from creditcheck.core.http import client_ip
from creditcheck.core.models import AuditEntry
from creditcheck.core.selectors import branches_for

PAGE_SIZE = 50


def _audit_queryset(request: HttpRequest) -> tuple[AuditFilterForm, QuerySet[AuditEntry]]:
    visible = audit_entries_for(request.user)
    users = User.objects.filter(pk__in=visible.values("user_id")).order_by(
        "first_name", "last_name", "username"
    )
    form = AuditFilterForm(request.GET or None, branches=branches_for(request.user), users=users)
    filters = form.filters()
    queryset = visible.none() if filters is None else filter_audit_entries(visible, filters)
    return form, queryset


@login_required
@permission_required("core.view_auditentry", raise_exception=True)
def audit_list(request: HttpRequest) -> HttpResponse:
    form, queryset = _audit_queryset(request)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "compliance/audit_list.html", {"form": form, "page_obj": page})


@login_required
@permission_required("core.view_auditentry", raise_exception=True)
def audit_detail(request: HttpRequest, seq: int) -> HttpResponse:
    entry = get_object_or_404(audit_entries_for(request.user), seq=seq)
    details = json.dumps(entry.details, ensure_ascii=False, indent=2, sort_keys=True)
    return render(request, "compliance/audit_detail.html", {"entry": entry, "details": details})


@login_required
@permission_required("core.view_auditentry", raise_exception=True)
def audit_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The filtered entries as CSV for Excel: `;`-separated, UTF-8 with BOM."""
    _form, queryset = _audit_queryset(request)
    return audit_csv_response(queryset.iterator(chunk_size=2000))


@login_required
@permission_required("core.view_auditentry", raise_exception=True)
@require_POST
def audit_verify(request: HttpRequest) -> HttpResponse:
    """ "Verificar integridade": recompute the whole hash chain, as `manage.py verify_audit`."""
    checked, broken = verify_audit_chain()
    if broken is None:
        messages.success(request, f"Trilha de auditoria íntegra: {checked} entradas verificadas.")
    else:
        messages.error(
            request,
            f"Trilha de auditoria violada na entrada #{broken.seq}: {broken.reason} "
            f"({checked} entradas anteriores íntegras).",
        )
    return redirect("compliance:audit_list")


@login_required
@permission_required("core.export_personal_data", raise_exception=True)
@require_http_methods(["GET", "POST"])
def subject_report(request: HttpRequest) -> HttpResponse:
    """The form; a valid POST answers with the report file (and records the export)."""
    form = SubjectReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        export_format = form.cleaned_data["format"]
        report = personal_data_export(
            document=form.cleaned_data["document"],
            user=request.user,
            ip_address=client_ip(request),
            export_format=export_format,
        )
        return subject_report_response(report, export_format)
    return render(request, "compliance/subject_report.html", {"form": form})
