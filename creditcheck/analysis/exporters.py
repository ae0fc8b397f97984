"""Our printable "Relatório de análise de crédito", and the downloads of both reports.

Every download is audited (who, when, IP, document), from the screens and the API alike.
"""

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from creditcheck.analysis.models import CreditQuery
from creditcheck.analysis.presenters import report_context
from creditcheck.core.audit import audit_record
from creditcheck.core.csv_export import csv_response, decimal_cell
from creditcheck.core.enums import AuditAction
from creditcheck.core.pdf import html_to_pdf
from creditcheck.decisions.presenters import decision_sentence
from creditcheck.decisions.selectors import decision_of
from providers import registry


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


# ---- Relatórios > Consultas as CSV -------------------------------------------------------------

CSV_HEADER = [
    "Nº",
    "Data",
    "Filial",
    "Usuário",
    "Origem",
    "Nome",
    "CPF/CNPJ",
    "Plataforma",
    "Produto",
    "Situação",
    "Resultado",
    "Decisão",
    "Motivos da decisão",
    "Score",
    "Restrições",
    "Valor das restrições (R$)",
    "Custo (R$)",
    "Cobrada",
    "Protocolo",
    "Erro",
]


def _csv_result(query: CreditQuery) -> str:
    if query.has_restrictions is None:
        return ""
    return "Constam restrições" if query.has_restrictions else "Nada consta"


def _csv_decision(query: CreditQuery) -> list[str]:
    """The decision in force and its sentence; blank without one (policy off, not succeeded)."""
    decision = decision_of(query)
    if decision is None:
        return ["", ""]
    state = str(decision.state_display)
    if decision.reviewed:
        state += " (revisada)"
    return [state, decision_sentence(decision)]


def _csv_row(query: CreditQuery) -> list[str]:
    return [
        str(query.pk),
        timezone.localtime(query.created_at).strftime("%d/%m/%Y %H:%M"),
        query.branch.name,
        query.user.get_full_name() or query.user.get_username(),
        query.get_subject_type_display(),
        query.subject_name,
        query.document_formatted,
        registry.trade_name(query.platform),
        query.product,
        query.get_status_display(),
        _csv_result(query),
        *_csv_decision(query),
        "" if query.score is None else str(query.score),
        str(query.restriction_count),
        decimal_cell(query.restriction_amount),
        decimal_cell(query.cost),
        query.get_billed_display(),
        query.protocol,
        query.error_message or query.get_refusal_code_display(),
    ]


def query_report_csv_response(queries: QuerySet[CreditQuery]) -> StreamingHttpResponse:
    """The report's rows (as filtered by the screen) as a streamed CSV attachment."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return csv_response(
        filename=f"consultas-{stamp}.csv",
        header=CSV_HEADER,
        rows=(_csv_row(query) for query in queries.iterator(chunk_size=2000)),
    )
