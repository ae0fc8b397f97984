"""Configurações > Integrações > IXCProvedor: the connection, its filiais → branches, the
"Sincronizar agora" button and the sync log (with the progress of a run in progress)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from creditcheck.core.selectors import branches_for
from creditcheck.core.views import requested_page
from creditcheck.erp.forms import IxcBranchMapForm, IxcConnectionForm
from creditcheck.erp.ixc import ixc_filiais_read
from creditcheck.erp.ixc_connections import (
    ixc_branch_map_save,
    ixc_connection_save,
    ixc_sync_request,
)
from creditcheck.erp.models import IxcConnection
from creditcheck.erp.selectors import ixc_connections_for
from providers.base import ProviderError


def _connection(request: HttpRequest, pk: int) -> IxcConnection:
    return get_object_or_404(ixc_connections_for(request.user), pk=pk)


def _form_page(request: HttpRequest, connection: IxcConnection | None) -> HttpResponse:
    initial: dict[str, Any] = {}
    if connection is not None:
        initial = {
            "name": connection.name, "base_url": connection.base_url,
            "default_branch": connection.default_branch_id, "active": connection.active,
        }  # fmt: skip
    form = IxcConnectionForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        branches=branches_for(request.user),
        editing=connection is not None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = ixc_connection_save(
                connection=connection, name=data["name"], base_url=data["base_url"],
                token=data["token"], default_branch=data["default_branch"],
                active=data["active"], user=request.user,
            )  # fmt: skip
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, f"Conexão com o IXCProvedor “{saved.name}” salva.")
            return redirect("erp:ixc_filiais", pk=saved.pk)
    context = {"form": form, "connection": connection}
    return render(request, "erp/ixc_form.html", context, status=400 if form.errors else 200)


@login_required
@permission_required("erp.add_ixcconnection", raise_exception=True)
@require_http_methods(["GET", "POST"])
def ixc_create(request: HttpRequest) -> HttpResponse:
    return _form_page(request, None)


@login_required
@permission_required("erp.change_ixcconnection", raise_exception=True)
@require_http_methods(["GET", "POST"])
def ixc_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _form_page(request, _connection(request, pk))


@login_required
@permission_required("erp.change_ixcconnection", raise_exception=True)
@require_http_methods(["GET", "POST"])
def ixc_filiais(request: HttpRequest, pk: int) -> HttpResponse:
    """The IXC filiais → branches mapping; "Ler filiais do IXC" reads them (a free call)."""
    connection = _connection(request, pk)
    if request.method == "POST" and request.POST.get("action") == "read":
        try:
            ixc_filiais_read(connection=connection)
        except ProviderError as exc:
            messages.error(
                request,
                f"Não foi possível ler as filiais do IXC: {exc.message or exc.user_message}",
            )
        else:
            messages.success(request, f"{len(connection.filiais)} filiais lidas do IXC.")
        return redirect("erp:ixc_filiais", pk=connection.pk)
    form = IxcBranchMapForm(
        request.POST if request.method == "POST" else None,
        filiais=connection.filiais,
        current={str(k): int(v) for k, v in connection.branch_map.items()},
        branches=branches_for(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            ixc_branch_map_save(connection=connection, mapping=form.mapping(), user=request.user)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, "Mapeamento das filiais do IXC salvo.")
            return redirect("erp:ixc_filiais", pk=connection.pk)
    context = {"connection": connection, "form": form}
    return render(request, "erp/ixc_filiais.html", context, status=400 if form.errors else 200)


@login_required
@permission_required("erp.change_ixcconnection", raise_exception=True)
@require_POST
def ixc_sync_now(request: HttpRequest, pk: int) -> HttpResponse:
    connection = _connection(request, pk)
    try:
        ixc_sync_request(connection=connection, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Sincronização iniciada.")
    return redirect("erp:ixc_runs", pk=connection.pk)


@login_required
@permission_required("erp.view_ixcconnection", raise_exception=True)
def ixc_runs(request: HttpRequest, pk: int) -> HttpResponse:
    """The sync log: each run with its counts and errors; refreshes while one runs."""
    connection = _connection(request, pk)
    page = requested_page(request, connection.runs.select_related("requested_by"))
    running = connection.runs.filter(finished_at__isnull=True).first()
    context = {"connection": connection, "page_obj": page, "running": running}
    return render(request, "erp/ixc_runs.html", context)
