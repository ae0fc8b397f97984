"""Our printable "Relatório de análise de crédito": a template fed by the stored query."""

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from creditcheck.analysis.models import CreditQuery
from creditcheck.analysis.presenters import report_context
from creditcheck.core.pdf import html_to_pdf


def credit_report_pdf(query: CreditQuery, *, printed_by: Any) -> bytes:
    """The PDF of a succeeded query. Pure rendering: no side effects."""
    context = report_context(query)
    context.update(printed_by=printed_by, printed_at=timezone.localtime())
    html = render_to_string("analysis/report_pdf.html", context)
    return html_to_pdf(html)
