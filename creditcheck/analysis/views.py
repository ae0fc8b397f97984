"""Credit-query screens: the one query page every entry point opens, the result, the history and
Relatórios > Consultas. Every rule (flag, interval, single flight, cost) is the query service's.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from asgiref.sync import sync_to_async
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    QueryDict,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from creditcheck.analysis.enums import Billed, QueryStatus, RefusalCode
from creditcheck.analysis.exporters import (
    credit_report_download,
    provider_report_download,
    query_report_csv_response,
)
from creditcheck.analysis.forms import (
    BillingSettlementForm,
    BranchOption,
    CreditQueryForm,
    DocumentChoiceForm,
    QueryReportFilterForm,
)
from creditcheck.analysis.models import CreditQuery
from creditcheck.analysis.presenters import progress_context, report_context, screen_state
from creditcheck.analysis.selectors import (
    history_for_subject,
    queries_for,
    query_totals,
    report_queries,
    report_users,
)
from creditcheck.analysis.services import (
    SETTLED_AS,
    BillingSettlementRefused,
    CreditQueryRefused,
    IntervalBlock,
    credit_query_interval,
    credit_query_request,
    credit_query_settle_billing,
)
from creditcheck.analysis.services.status import query_topic
from creditcheck.analysis.subjects import (
    Subject,
    subject_from_customer,
    subject_from_document,
    subject_from_lead,
    subject_from_prospect,
)
from creditcheck.analysis.throttling import credit_query_rate_hit, rate_limited_message
from creditcheck.core import documents
from creditcheck.core.http import client_ip, parse_id
from creditcheck.core.models import Branch
from creditcheck.core.selectors import (
    branches_for,
    home_branch_id,
    scope_to_user,
    user_can_access_branch,
)
from creditcheck.core.sse import state_stream
from creditcheck.crm.models import Lead, Prospect
from creditcheck.customers.models import Customer
from creditcheck.integrations.selectors import credit_settings, query_integrations

PAGE_SIZE = 25


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


# --- Who is consulted -------------------------------------------------------------------------


@dataclass(frozen=True)
class SubjectRef:
    """The subject of the query page and how it was named in the URL (?customer=12)."""

    subject: Subject
    param: str
    value: str
    origin: str  # pt-BR: Cliente, Lead, Prospecção, CPF/CNPJ avulso
    record_url: str = ""

    @property
    def query_string(self) -> str:
        params = QueryDict(mutable=True)
        params[self.param] = self.value
        return params.urlencode()


def _record(request: HttpRequest, model: Any, value: str) -> Any:
    pk = parse_id(value)
    if pk is None:
        raise Http404
    return get_object_or_404(
        scope_to_user(model.objects.select_related("branch"), request.user), pk=pk
    )


def _bare_document_typed(request: HttpRequest) -> bool:
    """The first step of a bare CPF/CNPJ query: the document typed, nothing confirmed yet."""
    params = request.GET
    return (
        request.method == "GET"
        and not _is_htmx(request)
        and "document" in params
        and not any(params.get(name) for name in ("customer", "lead", "prospect"))
    )


# The records a query can consult: (parameter, model, subject reader, label, edit screen).
SUBJECT_RECORDS: tuple[tuple[str, Any, Callable[[Any], Subject], str, str], ...] = (
    ("customer", Customer, subject_from_customer, "Cliente", "customers:edit"),
    ("lead", Lead, subject_from_lead, "Lead", "crm:lead_edit"),
    ("prospect", Prospect, subject_from_prospect, "Prospecção", "crm:prospect_edit"),
)


def _subject_ref(request: HttpRequest, params: QueryDict) -> SubjectRef | None:
    """The customer, lead, prospect (within the user's branches: else 404) or bare document."""
    for param, model, subject_from, label, edit_url in SUBJECT_RECORDS:
        if value := params.get(param, "").strip():
            record = _record(request, model, value)
            return SubjectRef(
                subject_from(record), param, value, label, reverse(edit_url, args=[record.pk])
            )
    if value := params.get("document", "").strip():
        subject = subject_from_document(value)
        return SubjectRef(subject, "document", subject.document, "CPF/CNPJ avulso")
    return None


def _branch_options(user: Any) -> list[BranchOption]:
    """The user's branches that can query now, each with the integrations it may use."""
    options = []
    for branch in branches_for(user).filter(active=True).order_by("name"):
        integrations = query_integrations(branch)
        if integrations:
            options.append(BranchOption(branch, tuple(integrations)))
    return options


# --- The query page ---------------------------------------------------------------------------


def _interval_block(
    request: HttpRequest,
    refusal: CreditQueryRefused | None,
    ref: SubjectRef,
    form: CreditQueryForm,
) -> IntervalBlock | None:
    """The re-query interval alert: from the service's refusal of a POST; on opening the page,
    before any cost is shown; and again when the override step came back without its reason
    (the service was not asked: the form was incomplete). The check is the service's."""
    if refusal is not None:
        if refusal.code != RefusalCode.REQUERY_INTERVAL:
            return None
        assert refusal.last_query is not None and refusal.next_allowed_at is not None
        return IntervalBlock(refusal.last_query, refusal.next_allowed_at, refusal.other_branch)
    if request.method == "GET" or "override_reason" in form.errors:
        asked = form.selected.branch.pk if form.selected else None
        return credit_query_interval(ref.subject.document, asked)
    return None


@login_required
@permission_required("analysis.request_creditquery", raise_exception=True)
@require_http_methods(["GET", "POST"])
def query_new(request: HttpRequest) -> HttpResponse:
    """Confirm a query: subject, filial, product and the cost warning; POST asks the service."""
    params = request.POST if request.method == "POST" else request.GET
    if _bare_document_typed(request):
        # An invalid CPF/CNPJ is answered on the first step, before the cost confirmation.
        choice = DocumentChoiceForm(request.GET)
        if not choice.is_valid():
            return render(request, "analysis/query_choose.html", {"form": choice})
    ref = _subject_ref(request, params)
    if ref is None:
        return render(
            request, "analysis/query_choose.html", {"form": DocumentChoiceForm(request.GET or None)}
        )
    enabled = credit_settings().enabled
    options = _branch_options(request.user) if enabled else []
    form = CreditQueryForm(
        request.POST if request.method == "POST" else None,
        branches=branches_for(request.user),
        options=options,
        # The record's filial; for a bare CPF/CNPJ the user's own.
        preferred_branch_id=ref.subject.branch_id or home_branch_id(request.user),
        branch_id=request.GET.get("branch", ""),
        platform=request.GET.get("platform", ""),
    )
    if _is_htmx(request) and request.method == "GET":
        # The filial or platform select changed: that filial's platforms, products and cost.
        return render(request, "analysis/includes/branch_details.html", {"form": form, "ref": ref})
    refusal: CreditQueryRefused | None = None
    rate_limited = ""
    if request.method == "POST" and form.is_valid():
        wait_seconds = credit_query_rate_hit(user=request.user)
        if wait_seconds is not None:
            rate_limited = rate_limited_message(wait_seconds)
        else:
            try:
                outcome = credit_query_request(
                    subject=ref.subject,
                    branch=form.cleaned_data["branch"],
                    user=request.user,
                    product=form.cleaned_data["product"],
                    platform=form.cleaned_data["platform"],
                    override_reason=form.cleaned_data["override_reason"],
                    reuse_result=form.cleaned_data["reuse_result"],
                    ip_address=client_ip(request),
                )
            except CreditQueryRefused as exc:
                refusal = exc
            else:
                if outcome.joined:
                    messages.info(
                        request,
                        "Já havia uma consulta deste CPF/CNPJ em andamento: o resultado dela é "
                        "mostrado aqui, sem nova cobrança.",
                    )
                return redirect("analysis:detail", pk=outcome.query.pk)
    interval = _interval_block(request, refusal, ref, form) if enabled else None
    return render(
        request,
        "analysis/query_new.html",
        {
            "ref": ref,
            "document_formatted": documents.format(ref.subject.document),
            "enabled": enabled,
            "options": options,
            "form": form,
            "refusal": refusal,
            "rate_limited": rate_limited,
            "interval": interval,
            "last_query_visible": interval is not None
            and queries_for(request.user).filter(pk=interval.last_query.pk).exists(),
            # Only users allowed to go past the interval see the "Justificativa" step.
            "offer_override": interval is not None
            and request.user.has_perm("analysis.override_requery_interval"),
        },
        status=429 if rate_limited else 200,
    )


# --- The result -------------------------------------------------------------------------------


def _get_query(request: HttpRequest, pk: int) -> CreditQuery:
    """A query of one of the user's branches; 404 otherwise."""
    queryset = queries_for(request.user).select_related(
        "customer", "lead", "prospect", "overridden_query", "shared_from"
    )
    return get_object_or_404(queryset, pk=pk)


@login_required
@permission_required("analysis.view_creditquery", raise_exception=True)
def query_detail(request: HttpRequest, pk: int) -> HttpResponse:
    query = _get_query(request, pk)
    context = report_context(query)
    if query.unfinished:
        context.update(progress_context(query, timezone.now()))
    context["billed_unknown"] = query.billed == "unknown"
    return render(request, "analysis/query_detail.html", context)


@login_required
@permission_required("analysis.settle_query_billing", raise_exception=True)
@require_POST
def query_settle_billing(request: HttpRequest, pk: int) -> HttpResponse:
    """Record whether a query whose billing the platform left unknown was billed."""
    query = _get_query(request, pk)
    form = BillingSettlementForm(request.POST)
    if not form.is_valid():
        messages.error(request, str(form.errors["billed"][0]))
        return redirect("analysis:detail", pk=query.pk)
    billed = Billed(form.cleaned_data["billed"])
    try:
        credit_query_settle_billing(
            query_id=query.pk, billed=billed, user=request.user, ip_address=client_ip(request)
        )
    except BillingSettlementRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, f"Cobrança registrada: consulta {SETTLED_AS[billed]}.")
    return redirect("analysis:detail", pk=query.pk)


@login_required
@permission_required("analysis.view_creditquery", raise_exception=True)
def query_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The polling fallback of the event stream below, every second while a query runs (and
    the stream is not open). Once it ends, tells htmx (HX-Trigger `query-finished`) to fetch
    the result into the page."""
    query = _get_query(request, pk)
    if query.unfinished:
        context = progress_context(query, timezone.now())
        return render(request, "analysis/includes/query_progress.html", context)
    response = HttpResponse(status=204)
    response["HX-Trigger"] = "query-finished"
    return response


@login_required
@permission_required("analysis.view_creditquery", raise_exception=True)
@require_GET
async def query_events(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    """Server-Sent Events: one `changed` event as soon as the query's screen state differs from
    `?desde=` (the state the page shows), pushed when its status is stored."""

    def read_state() -> str:
        return screen_state(_get_query(request, pk))

    state = await sync_to_async(read_state)()  # 404 outside the user's branches
    return state_stream(request, query_topic(pk), request.GET.get("desde", state), read_state)


@login_required
@permission_required("analysis.view_creditquery", raise_exception=True)
def query_report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Our "Relatório de análise de crédito" (download icon on the result screen)."""
    query = _get_query(request, pk)
    if query.status != QueryStatus.SUCCEEDED:
        raise Http404("O relatório só existe para consultas concluídas.")
    return credit_report_download(query, user=request.user, ip_address=client_ip(request))


@login_required
@permission_required("analysis.view_creditquery", raise_exception=True)
def query_provider_report(request: HttpRequest, pk: int) -> FileResponse:
    """The platform's own report, stored when the person has restrictions and it sent one."""
    query = _get_query(request, pk)
    if not query.provider_file:
        raise Http404("A plataforma não enviou relatório para esta consulta.")
    return provider_report_download(query, user=request.user, ip_address=client_ip(request))


# --- History of a customer, lead or prospect --------------------------------------------------


@dataclass(frozen=True)
class ReuseOffer:
    """The result of another branch's query that stops a new query of the record, offered as a
    copy into one of the user's branches (the form posts to the query page)."""

    block: IntervalBlock
    param: str
    value: str
    branch: Branch
    platform: str


def _reuse_offer(request: HttpRequest, subject: Subject, param: str) -> ReuseOffer | None:
    if not (request.user.has_perm("analysis.request_creditquery") and credit_settings().enabled):
        return None
    record = subject.record
    block = credit_query_interval(subject.document, subject.branch_id)
    if block is None or user_can_access_branch(request.user, block.last_query.branch):
        return None  # not stopped, or stopped by a query the user can open and list
    form = CreditQueryForm(
        None,
        branches=branches_for(request.user),
        options=_branch_options(request.user),
        preferred_branch_id=subject.branch_id or home_branch_id(request.user),
    )
    if form.selected is None or form.integration is None:
        return None
    return ReuseOffer(block, param, str(record.pk), form.selected.branch, form.integration.platform)


@login_required
@permission_required("analysis.view_creditquery", raise_exception=True)
def query_history(request: HttpRequest) -> HttpResponse:
    """The queries of one customer, lead or prospect (?customer=, ?lead=, ?prospect=)."""
    ref = _subject_ref(request, request.GET)
    if ref is None or ref.param == "document":
        raise Http404
    record = ref.subject.record
    queries = history_for_subject(
        request.user,
        customer_id=record.pk if ref.param == "customer" else None,
        lead_id=record.pk if ref.param == "lead" else None,
        prospect_id=record.pk if ref.param == "prospect" else None,
    )
    page = Paginator(queries, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "ref": ref,
        "record": record,
        "page_obj": page,
        "reuse": _reuse_offer(request, ref.subject, ref.param),
    }
    if _is_htmx(request):
        return render(request, "analysis/includes/history_table.html", context)
    return render(request, "analysis/history.html", context)


@login_required
@permission_required(["customers.view_customer", "analysis.view_creditquery"], raise_exception=True)
def customer_credit(request: HttpRequest, pk: int) -> HttpResponse:
    """The "Análise de crédito" tab of the customer edit screen."""
    customer = get_object_or_404(
        scope_to_user(Customer.objects.select_related("branch"), request.user), pk=pk
    )
    queries = history_for_subject(request.user, customer_id=customer.pk)
    page = Paginator(queries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "customers/customer_credit.html",
        {
            "customer": customer,
            "page_obj": page,
            "active_tab": "analise_credito",
            "reuse": _reuse_offer(request, subject_from_customer(customer), "customer"),
        },
    )


# --- Relatórios > Consultas -------------------------------------------------------------------


def _report_queryset(request: HttpRequest) -> tuple[QueryReportFilterForm, QuerySet[CreditQuery]]:
    form = QueryReportFilterForm(
        request.GET or None,
        branches=branches_for(request.user),
        users=report_users(request.user),
    )
    return form, report_queries(request.user, form.filters())


@login_required
@permission_required("analysis.view_creditquery", raise_exception=True)
def query_report(request: HttpRequest) -> HttpResponse:
    form, queryset = _report_queryset(request)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "analysis/query_report.html",
        {"form": form, "page_obj": page, "totals": query_totals(queryset)},
    )


@login_required
@permission_required("analysis.view_creditquery", raise_exception=True)
def query_report_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The report's rows as CSV for Excel: `;`-separated, UTF-8 with BOM, same filters."""
    _form, queryset = _report_queryset(request)
    return query_report_csv_response(queryset)
