"""Revisões de crédito: the human review queue, the reviewer's decision, and recording a data
subject's request for review (LGPD art. 20) from a decision."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from creditcheck.core.forms import StyledFormMixin
from creditcheck.core.http import client_ip
from creditcheck.core.selectors import scope_to_user
from creditcheck.decisions.enums import ReviewOrigin, ReviewOutcome
from creditcheck.decisions.models import CreditDecision
from creditcheck.decisions.presenters import decision_view
from creditcheck.decisions.reviews import (
    REVIEW_TERM,
    ReviewRefused,
    review_decide,
    review_request_by_subject,
)
from creditcheck.decisions.selectors import open_review_of, review_queue, reviews_for

PAGE_SIZE = 25


class ReviewForm(StyledFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label="Decisão do revisor", choices=ReviewOutcome.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label="Motivo", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class SubjectRequestForm(StyledFormMixin, forms.Form):
    note = forms.CharField(
        label="Pedido do titular",
        help_text="O que o titular pediu, quando e por qual canal (telefone, e-mail, balcão).",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


@login_required
@permission_required("decisions.review_creditdecision", raise_exception=True)
def review_list(request: HttpRequest) -> HttpResponse:
    closed = request.GET.get("situacao") == "decididas"
    page = Paginator(review_queue(request.user, closed=closed), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "decisions/review_list.html", {"page_obj": page, "closed": closed})


@login_required
@permission_required("decisions.review_creditdecision", raise_exception=True)
@require_http_methods(["GET", "POST"])
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_object_or_404(reviews_for(request.user), pk=pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            review_decide(
                review_id=review.pk,
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
                user=request.user,
                ip_address=client_ip(request),
            )
        except ReviewRefused as refusal:
            form.add_error(refusal.field or None, refusal.message)
        else:
            messages.success(request, "Revisão registrada: a decisão final está na consulta.")
            return redirect("analysis:detail", pk=review.decision.query_id)
    return render(
        request,
        "decisions/review_detail.html",
        {"review": review, "view": decision_view(review.decision), "form": form},
    )


@login_required
@permission_required("decisions.add_creditreview", raise_exception=True)
@require_http_methods(["GET", "POST"])
def review_request(request: HttpRequest, decision_pk: int) -> HttpResponse:
    """Record the data subject's request for review of a decision (LGPD art. 20)."""
    decisions = scope_to_user(
        CreditDecision.objects.select_related("query__branch", "version__policy__branch"),
        request.user,
        "query__branch",
    )
    decision = get_object_or_404(decisions, pk=decision_pk)
    form = SubjectRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            review = review_request_by_subject(
                decision=decision,
                note=form.cleaned_data["note"],
                user=request.user,
                ip_address=client_ip(request),
            )
        except ReviewRefused as refusal:
            form.add_error(refusal.field or None, refusal.message)
        else:
            messages.success(
                request,
                "Pedido de revisão registrado (LGPD art. 20). Prazo para responder: "
                f"{review.due_at:%d/%m/%Y}.",
            )
            return redirect("analysis:detail", pk=decision.query_id)
    return render(
        request,
        "decisions/review_request.html",
        {
            "decision": decision,
            "view": decision_view(decision),
            "form": form,
            "open_review": open_review_of(decision),
            "term_days": REVIEW_TERM[ReviewOrigin.SUBJECT].days,
        },
    )
