"""Our printable "Relatório de análise de crédito", and the downloads of both reports.

Every download is audited (who, when, IP, document), from the screens and the API alike.
"""

from typing import Any

from django.http import FileResponse, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from creditcheck.analysis.models import CreditQuery
from creditcheck.analysis.presenters import report_context
from creditcheck.core.audit import audit_record
from creditcheck.core.enums import AuditAction
from creditcheck.core.pdf import html_to_pdf


def credit_report_pdf(query: CreditQuery, *, printed_by: Any) -> bytes:
    """The PDF of a succeeded query. Pure rendering: no side effects."""
    context = report_context(query)
    context.update(printed_by=printed_by, printed_at=timezone.localtime())
    html = render_to_string("analysis/report_pdf.html", context)
    return html_to_pdf(html)


def _audit_download(query: CreditQuery, user: Any, ip_address: str | None, report: str) -> None:
    audit_record(
        action=AuditAction.REPORT_DOWNLOAD,
        user=user,
        ip_address=ip_address,
        branch=query.branch,
        document=query.document,
        outcome=report,
        target=query,
    )


def credit_report_download(
    query: CreditQuery, *, user: Any, ip_address: str | None
) -> HttpResponse:
    """The attachment response of our report (succeeded queries only); audited."""
    pdf = credit_report_pdf(query, printed_by=user)
    _audit_download(query, user, ip_address, "relatório de análise de crédito")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="analise-credito-{query.pk}.pdf"'
    return response


def provider_report_download(
    query: CreditQuery, *, user: Any, ip_address: str | None
) -> FileResponse:
    """The attachment response of the platform's stored report; audited."""
    _audit_download(query, user, ip_address, "relatório da plataforma")
    return FileResponse(
        query.provider_file.open("rb"),
        as_attachment=True,
        filename=f"relatorio-plataforma-{query.pk}.pdf",
        content_type=query.provider_file_type or "application/pdf",
    )
