"""Turn a stored query into what screens and the PDF show (labels, groups, gauge)."""

import datetime as dt
import math
from decimal import Decimal
from typing import Any

from creditcheck.analysis.models import CreditQuery
from providers import registry
from providers.base import RESTRICTION_KIND_LABELS, RestrictionKind
from providers.codec import report_from_dict

# Sections of the result screen and the PDF, in the order staff read them.
SECTIONS: tuple[tuple[str, tuple[RestrictionKind, ...]], ...] = (
    (
        "Pendências e restrições financeiras",
        (RestrictionKind.PEFIN, RestrictionKind.REFIN, RestrictionKind.SPC, RestrictionKind.OTHER),
    ),
    ("Protestos", (RestrictionKind.PROTESTO,)),
    ("Cheques sem fundo", (RestrictionKind.CHEQUE,)),
    ("Ações judiciais e falências", (RestrictionKind.ACAO, RestrictionKind.FALENCIA)),
)


def score_gauge(value: int | None) -> dict[str, Any] | None:
    """Geometry of a half-circle gauge (0..1000) drawn as inline SVG."""
    if value is None:
        return None

    ratio = max(0, min(value, 1000)) / 1000
    angle = math.pi * (1 - ratio)
    x = 100 + 80 * math.cos(angle)
    y = 100 - 80 * math.sin(angle)
    color = (
        "#c0392b"
        if value < 300
        else "#e67e22"
        if value < 500
        else "#f1c40f"
        if value < 700
        else "#27ae60"
    )
    return {
        "value": value,
        "x": round(x, 1),
        "y": round(y, 1),
        "color": color,
        "large_arc": 0,
        "percent": round(ratio * 100),
    }


def report_context(query: CreditQuery) -> dict[str, Any]:
    """Everything a result view or the PDF needs about one query."""
    context: dict[str, Any] = {
        "query": query,
        "report": None,
        "sections": [],
        "gauge": None,
        "platform_name": registry.trade_name(query.platform),
    }
    if not query.report:
        return context
    report = report_from_dict(query.report)
    sections = []
    for title, kinds in SECTIONS:
        rows = [r for r in report.restrictions if r.kind in kinds]
        totals = [t for t in report.totals if t.kind in kinds]
        count = sum(t.count for t in totals)
        amount = sum((t.amount for t in totals), Decimal("0"))
        sections.append(
            {
                "title": title,
                "rows": [{"kind": RESTRICTION_KIND_LABELS[r.kind], "r": r} for r in rows],
                "count": count,
                "amount": amount,
            }
        )
    context.update(
        report=report,
        sections=sections,
        gauge=score_gauge(report.score.value if report.score else None),
        total_amount=report.total_amount,
        total_count=sum(t.count for t in report.totals),
        generated_on=dt.date.today(),
    )
    return context
