"""API token creation: a user name and password exchanged for the user's API token.

The password goes through `authenticate(request, ...)` like the sign-in screens, so
django-axes counts its failures and locks the user name and IP the same way
(creditcheck/core/sign_in.py); a locked caller gets `lockout_response`'s JSON 429.
"""

from typing import Any

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.authtoken.models import Token
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from creditcheck.core.openapi import error_responses


class TokenCreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    username = serializers.CharField(label=_("Usuário"), max_length=150)
    password = serializers.CharField(
        label=_("Senha"), max_length=128, trim_whitespace=False, style={"input_type": "password"}
    )


class InvalidCredentials(exceptions.AuthenticationFailed):
    default_detail = _("Usuário ou senha incorretos, ou usuário inativo.")
    default_code = "invalid_credentials"


class TokenCreateView(APIView):
    """POST username and password; answers the user's token (created on first use).

    No authentication class, so no CSRF check: the answer is JSON no other site can read and
    it opens no session, so a forged request gains nothing (tests/security/test_csrf.py).
    """

    authentication_classes: list[Any] = []
    permission_classes: list[Any] = []

    def get_authenticate_header(self, request: Request) -> str:
        # 401 (not DRF's 403 fallback) for wrong credentials: the caller must authenticate.
        return "Token"

    @extend_schema(
        request=TokenCreateSerializer,
        responses={
            200: inline_serializer("TokenCreated", {"token": serializers.CharField()}),
            # 429 while the user name or the IP is locked (sign_in.lockout_response).
            **error_responses(400, 401, 429),
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        serializer = TokenCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(
            request._request,
            username=serializer.validated_data["username"],
            password=serializer.validated_data["password"],
        )
        if user is None or not user.is_active:
            raise InvalidCredentials()
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
