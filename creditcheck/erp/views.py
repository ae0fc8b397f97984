"""Payment webhooks (no session: the source's secret authenticates), the screens of the
payments they brought (Financeiro > Pagamentos recebidos) and Importar do ERP."""

import logging
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from creditcheck.contracts.models import Invoice
from creditcheck.core.csv_export import csv_response
from creditcheck.core.selectors import branches_for, scope_to_user
from creditcheck.core.views import requested_page
from creditcheck.erp.enums import EventStatus
from creditcheck.erp.forms import ImportUploadForm, PaymentEventFilterForm, PaymentMatchForm
from creditcheck.erp.importing import ImportFileError
from creditcheck.erp.imports import import_confirm, import_create, import_preview, import_resume
from creditcheck.erp.models import ImportJob, ImportStatus, PaymentSource
from creditcheck.erp.refusals import PaymentMatchRefused, WebhookRefused
from creditcheck.erp.selectors import payment_events_for
from creditcheck.erp.services import payment_event_match, payment_notices_receive
from creditcheck.erp.webhooks import notices_from

logger = logging.getLogger(__name__)


def _refused(refusal: WebhookRefused, key: str) -> JsonResponse:
    logger.warning("payment webhook %s refused: %s", key, refusal.code)
    return JsonResponse(
        {"code": refusal.code, "detail": refusal.message},
        status=refusal.status,
        json_dumps_params={"ensure_ascii": False},
    )


@csrf_exempt
def payment_webhook(request: HttpRequest, key: str) -> JsonResponse:
    """POST /webhooks/<key>/ (and /webhooks/<key>/pix, where the API Pix appends /pix).

    200 once every notice is stored (Asaas counts only a 200 as delivered); a refused
    delivery stores nothing and answers its code.
    """
    try:
        if request.method != "POST":
            raise WebhookRefused("method_not_allowed")
        source = PaymentSource.objects.filter(key=key, active=True).first()
        if source is None:
            raise WebhookRefused("unknown_source")
        try:
            body = request.body
        except RequestDataTooBig:
            raise WebhookRefused("payload_too_large") from None
        notices = notices_from(source.kind, source.secret, request.headers, request.GET, body)
    except WebhookRefused as refusal:
        return _refused(refusal, key)
    events = payment_notices_receive(source=source, notices=notices)
    return JsonResponse(
        {"events": [{"id": event.event_id, "status": event.status} for event in events]}
    )


@login_required
@permission_required("erp.view_paymentevent", raise_exception=True)
def payment_event_list(request: HttpRequest) -> HttpResponse:
    form = PaymentEventFilterForm(request.GET or None, branches=branches_for(request.user))
    page = requested_page(request, form.filter(payment_events_for(request.user)))
    return render(request, "erp/payment_event_list.html", {"form": form, "page_obj": page})


@login_required
@permission_required("erp.view_paymentevent", raise_exception=True)
@require_http_methods(["GET", "POST"])
def payment_event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The event as received; an unmatched payment gets "Vincular fatura"."""
    event = get_object_or_404(payment_events_for(request.user), pk=pk)
    can_match = (
        request.user.has_perm("erp.match_paymentevent")
        and request.user.has_perm("contracts.change_invoice")
        and event.status == EventStatus.UNMATCHED
    )
    invoices = scope_to_user(Invoice.objects.all(), request.user, "contract__branch")
    form = PaymentMatchForm(request.POST or None, invoices=invoices)
    if request.method == "POST":
        if not can_match:
            messages.error(request, "Este aviso não pode ser vinculado por você.")
            return redirect("erp:payment_event_detail", pk=event.pk)
        if form.is_valid():
            try:
                event = payment_event_match(
                    event=event, invoice=form.cleaned_data["number"], user=request.user
                )
            except PaymentMatchRefused as refusal:
                messages.error(request, refusal.message)
            except ValidationError as exc:
                form.add_error("number", exc.messages)
            else:
                messages.success(request, event.message)
                return redirect("erp:payment_event_detail", pk=event.pk)
    context = {"event": event, "form": form, "can_match": can_match}
    return render(request, "erp/payment_event_detail.html", context)


# ---- Importar (Configurações > Importar do ERP) ------------------------------------------------


def _jobs(request: HttpRequest) -> Any:
    return scope_to_user(ImportJob.objects.select_related("user", "branch"), request.user)


@login_required
@permission_required("erp.import_records", raise_exception=True)
@require_http_methods(["GET", "POST"])
def import_list(request: HttpRequest) -> HttpResponse:
    """The upload form and the history of imports."""
    form = ImportUploadForm(
        request.POST or None, request.FILES or None, branches=branches_for(request.user)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job = import_create(
                upload=data["file"], preset=data["preset"], source=data["source"],
                branch=data["branch"], mode=data["mode"], user=request.user,
            )  # fmt: skip
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("erp:import_detail", pk=job.pk)
    page = requested_page(request, _jobs(request))
    status = 400 if request.method == "POST" else 200
    return render(request, "erp/import_list.html", {"form": form, "page_obj": page}, status=status)


@login_required
@permission_required("erp.import_records", raise_exception=True)
@require_http_methods(["GET", "POST"])
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Preview and "Confirmar importação" while in preview; then progress and outcome."""
    job = get_object_or_404(_jobs(request), pk=pk)
    if request.method == "POST":
        if request.POST.get("action") == "resume":
            import_resume(job=job)
            messages.info(
                request, "Importação enviada de novo: continua da primeira linha pendente."
            )
        else:
            job = import_confirm(job=job, user=request.user)
            messages.success(request, "Importação confirmada.")
        return redirect("erp:import_detail", pk=job.pk)
    preview = import_preview(job) if job.status == ImportStatus.PREVIEW else None
    context = {
        "job": job,
        "preview": preview,
        "file_errors": [e for e in job.errors if e.get("static")][:50],
        "running": job.status in (ImportStatus.QUEUED, ImportStatus.RUNNING),
    }
    return render(request, "erp/import_detail.html", context)


@login_required
@permission_required("erp.import_records", raise_exception=True)
def import_errors_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    job = get_object_or_404(_jobs(request), pk=pk)
    rows = (
        [error["line"], error["external_id"], "; ".join(error["messages"])]
        for error in sorted(job.errors, key=lambda error: error["line"])
    )
    return csv_response(
        filename=f"erros-importacao-{job.pk}.csv",
        header=["Linha", "Código", "Erros"],
        rows=rows,
    )
