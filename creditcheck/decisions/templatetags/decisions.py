"""{% query_decision query as decision %}: the decision of a query as its screens show it."""

from django import template

from creditcheck.analysis.models import CreditQuery
from creditcheck.decisions.models import CreditDecision
from creditcheck.decisions.presenters import TONE, DecisionView, decision_view
from creditcheck.decisions.selectors import decision_of

register = template.Library()


@register.simple_tag
def query_decision(query: CreditQuery) -> DecisionView | None:
    """The query's decision (None: no policy was in force, or the query did not succeed)."""
    decision = (
        CreditDecision.objects.select_related("version__policy__branch")
        .filter(query_id=query.pk)
        .first()
    )
    return decision_view(decision) if decision is not None else None


@register.filter
def decision_badge(query: CreditQuery) -> dict[str, str] | None:
    """{label, tone} of the query's decision, from the row's select_related decision."""
    decision = decision_of(query)
    if decision is None:
        return None
    return {"label": str(decision.state_display), "tone": TONE[decision.state]}
