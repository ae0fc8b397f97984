"""Files handed out by compliance screens: the LGPD report (PDF, JSON) and the audit CSV."""

import json
from collections.abc import Iterable

from django.http import HttpResponse, StreamingHttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from creditcheck.compliance.lgpd import DECISION_NOTE, SubjectReport, subject_report_to_dict
from creditcheck.core import documents
from creditcheck.core.csv_export import csv_response
from creditcheck.core.models import AuditEntry
from creditcheck.core.pdf import html_to_pdf


def subject_report_pdf(report: SubjectReport) -> bytes:
    """The printable data-subject report. Pure rendering: no side effects."""
    html = render_to_string(
        "compliance/subject_report_pdf.html", {"report": report, "decision_note": DECISION_NOTE}
    )
    return html_to_pdf(html)


def subject_report_response(report: SubjectReport, export_format: str) -> HttpResponse:
    """The report as an attachment: `export_format` is "pdf" or "json"."""
    stamp = timezone.localtime(report.generated_at).strftime("%Y%m%d-%H%M")
    filename = f"lgpd-{report.document}-{stamp}.{export_format}"
    if export_format == "pdf":
        response = HttpResponse(subject_report_pdf(report), content_type="application/pdf")
    else:
        body = json.dumps(subject_report_to_dict(report), ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


AUDIT_CSV_HEADER = [
    "Sequência",
    "Data",
    "Usuário",
    "IP",
    "Ação",
    "Filial",
    "CPF/CNPJ",
    "Resultado",
    "Objeto",
    "Detalhes",
    "Hash",
]


def audit_csv_row(entry: AuditEntry) -> list[str]:
    return [
        str(entry.seq),
        timezone.localtime(entry.at).strftime("%d/%m/%Y %H:%M:%S"),
        entry.username,
        entry.ip_address or "",
        str(entry.get_action_display()),
        entry.branch.name if entry.branch else "",
        documents.format(entry.document) if entry.document else "",
        entry.outcome,
        f"{entry.target_type} #{entry.target_id}" if entry.target_type else "",
        json.dumps(entry.details, ensure_ascii=False, sort_keys=True) if entry.details else "",
        entry.hash,
    ]


def audit_csv_response(entries: Iterable[AuditEntry]) -> StreamingHttpResponse:
    """The entries as a CSV attachment, streamed (the trail may be long)."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return csv_response(
        filename=f"auditoria-{stamp}.csv",
        header=AUDIT_CSV_HEADER,
        rows=(audit_csv_row(entry) for entry in entries),
    )
