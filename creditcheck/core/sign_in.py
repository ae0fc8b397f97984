"""Sign-in throttling: failed passwords lock the user name and the client's IP for a while.

django-axes counts the failures (axes.handlers.cache.AxesCacheHandler, in Django's cache: Redis
shared by every process in production, the process's memory in embedded mode) on every
`authenticate()` that comes with a request: the screens' /entrar/, /admin/login/ and the API's
token creation (creditcheck/core/api_tokens.py). After AXES_FAILURE_LIMIT failures in a row for
one user name, or from one IP, both stay locked for AXES_COOLOFF_TIME, counted again from each
further failure;
a sign-in that succeeds clears its user's and its IP's count (so one typo in a call centre
behind one address does not add up). While locked even the right password is refused, with
`lockout_response` in Portuguese.

Each lock is audited once, when it starts; an administrator ends it early with
`sign_in_unlock` (the "Desbloquear acesso" action of the users' admin, or `manage.py
unlock_user`), which is audited too.
"""

import datetime as dt
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off, get_failure_limit
from axes.signals import user_locked_out
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import ngettext

from creditcheck.core.audit import audit_record
from creditcheck.core.enums import AuditAction
from creditcheck.core.models import AuditEntry

LOCKED = "bloqueado"
UNLOCKED = "desbloqueado"


class SignInLockBackend(AxesStandaloneBackend):
    """Refuses every password of a locked user name or IP (first in AUTHENTICATION_BACKENDS).

    An `authenticate()` without a request (a management command, the test client's login)
    has no client to throttle and is let through to the next backend: every password that
    arrives over HTTP comes with its request.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        super().authenticate(request, username, password, **kwargs)
        return None


def lockout_minutes(request: HttpRequest | None = None) -> int:
    cool_off = get_cool_off(request) or dt.timedelta(0)
    return max(1, round(cool_off.total_seconds() / 60))


def lockout_message(request: HttpRequest | None = None) -> str:
    minutes = lockout_minutes(request)
    return ngettext(
        "Acesso bloqueado por excesso de tentativas de entrada sem sucesso. Tente de novo "
        "em %(minutes)d minuto ou peça a um administrador que desbloqueie seu usuário.",
        "Acesso bloqueado por excesso de tentativas de entrada sem sucesso. Tente de novo "
        "em %(minutes)d minutos ou peça a um administrador que desbloqueie seu usuário.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: 429 with the lock explained: the sign-in page for the screens and
    the admin, the API's JSON error (code `sign_in_locked`) for token creation."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": lockout_message(request), "code": "sign_in_locked"},
            status=429,
            json_dumps_params={"ensure_ascii": False},
        )
    return render(
        request,
        "registration/login.html",
        {"locked_message": lockout_message(request)},
        status=429,
    )


@receiver(user_locked_out, dispatch_uid="creditcheck.sign_in_locked_out")
def _audit_lock_start(
    sender: Any, request: Any, username: str | None, ip_address: str | None, **kwargs: Any
) -> None:
    # Axes signals every failure from the limit on (each one extends the lock); the audit
    # records the one that starts it.
    failures = getattr(request, "axes_failures_since_start", None)
    if failures != get_failure_limit(request, getattr(request, "axes_credentials", None)):
        return
    audit_record(
        action=AuditAction.SIGN_IN_LOCK,
        ip_address=ip_address,
        outcome=LOCKED,
        details={
            "username": (username or "")[:150],
            "path": request.path,
            "failures": failures,
            "minutes": lockout_minutes(request),
        },
    )


def _recently_locked_ips(username: str) -> set[str]:
    """The IPs whose failures locked `username` within the lock period (from the audit)."""
    since = timezone.now() - (get_cool_off() or dt.timedelta(0))
    entries = AuditEntry.objects.filter(
        action=AuditAction.SIGN_IN_LOCK, outcome=LOCKED, at__gte=since, details__username=username
    )
    return {ip for ip in entries.values_list("ip_address", flat=True) if ip}


def sign_in_unlock(
    *, username: str = "", ip_address: str | None = None, user: Any = None
) -> set[str]:
    """End the lock of a user name (and of the IPs its failures locked) or of one IP.

    A user who mistyped the password from their desk locked both their name and their
    desk's address: unlocking them clears both, or the right password would still be
    refused. Audited (who unlocked what). Returns the IPs cleared.
    """
    if not username and not ip_address:
        raise ValueError("sign_in_unlock needs a username or an ip_address")
    ips = _recently_locked_ips(username) if username else set()
    if ip_address:
        ips.add(ip_address)
    if username:
        AxesProxyHandler.reset_attempts(username=username)
    for ip in sorted(ips):
        AxesProxyHandler.reset_attempts(ip_address=ip)
    audit_record(
        action=AuditAction.SIGN_IN_LOCK,
        user=user,
        outcome=UNLOCKED,
        details={"username": username[:150], "ip_addresses": sorted(ips)},
    )
    return ips
