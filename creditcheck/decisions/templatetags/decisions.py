"""{% query_decision query as decision %}: the decision of a query as its screens show it."""

from django import template

from creditcheck.analysis.models import CreditQuery
from creditcheck.decisions.models import CreditDecision, CreditReview
from creditcheck.decisions.presenters import TONE, DecisionView, decision_view
from creditcheck.decisions.selectors import decision_of, open_review_of, subject_decisions

register = template.Library()

SUBJECT_DECISIONS_SHOWN = 5


@register.simple_tag
def query_decision(query: CreditQuery) -> DecisionView | None:
    """The query's decision (None: no policy was in force, or the query did not succeed)."""
    decision = (
        CreditDecision.objects.select_related("version__policy__branch", "final_by")
        .filter(query_id=query.pk)
        .first()
    )
    if decision is None:
        return None
    return decision_view(decision, open_review_of(decision))


@register.simple_tag
def subject_decision_views(param: str, pk: int) -> list[DecisionView]:
    """The decisions of a customer's, lead's or prospect's queries (param names which)."""
    if param not in ("customer", "lead", "prospect"):
        return []
    decisions = subject_decisions(**{f"{param}_id": pk})[:SUBJECT_DECISIONS_SHOWN]
    open_reviews = {
        r.decision_id: r
        for r in CreditReview.objects.filter(decision__in=list(decisions), outcome="")
    }
    return [decision_view(d, open_reviews.get(d.pk)) for d in decisions]


@register.filter
def decision_badge(query: CreditQuery) -> dict[str, str] | None:
    """{label, tone} of the query's decision, from the row's select_related decision."""
    decision = decision_of(query)
    if decision is None:
        return None
    return {"label": str(decision.state_display), "tone": TONE[decision.state]}
