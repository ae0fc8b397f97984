"""Payment webhooks (no session: the source's secret authenticates) and the screens of the
payments they brought (Financeiro > Pagamentos recebidos)."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from creditcheck.contracts.models import Invoice
from creditcheck.core.selectors import branches_for, scope_to_user
from creditcheck.core.views import requested_page
from creditcheck.erp.enums import EventStatus
from creditcheck.erp.forms import PaymentEventFilterForm, PaymentMatchForm
from creditcheck.erp.models import PaymentSource
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
