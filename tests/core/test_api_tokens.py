"""API token creation (creditcheck/core/api_tokens.py), throttled like the sign-in screens."""

from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from creditcheck.core.enums import AuditAction
from creditcheck.core.models import AuditEntry
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

URL = "/api/v1/auth/token/"
RIGHT = PASSWORD
LOCKED = {
    "detail": "Acesso bloqueado por excesso de tentativas de entrada sem sucesso. Tente de novo "
    "em 15 minutos ou peça a um administrador que desbloqueie seu usuário.",
    "code": "sign_in_locked",
}


def create_token(username: str, password: str, ip: str = "127.0.0.1") -> Any:
    return APIClient().post(
        URL, {"username": username, "password": password}, format="json", REMOTE_ADDR=ip
    )


def test_right_password_answers_the_users_token(attendant: User) -> None:
    response = create_token("atendente", RIGHT)

    assert response.status_code == 200
    token = Token.objects.get(user=attendant)
    assert response.json() == {"token": token.key}
    # and the token opens the API
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/v1/branches/").status_code == 200


def test_a_second_creation_answers_the_same_token(attendant: User) -> None:
    first = create_token("atendente", RIGHT).json()["token"]

    assert create_token("atendente", RIGHT).json() == {"token": first}
    assert Token.objects.filter(user=attendant).count() == 1


def test_wrong_password_is_401_invalid_credentials_without_a_token(attendant: User) -> None:
    response = create_token("atendente", "errada")

    assert response.status_code == 401
    assert response.json() == {
        "detail": "Usuário ou senha incorretos, ou usuário inativo.",
        "code": "invalid_credentials",
    }
    assert not Token.objects.filter(user=attendant).exists()


def test_missing_password_is_a_field_error(attendant: User) -> None:
    response = APIClient().post(URL, {"username": "atendente"}, format="json")

    assert response.status_code == 400
    assert response.json()["codes"] == {"password": ["required"]}


def test_forty_wrong_passwords_lock_token_creation_and_refuse_the_right_one(
    attendant: User,
) -> None:
    # When someone tries 40 wrong passwords for one user through the API
    answers = [create_token("atendente", f"errada{n}") for n in range(40)]

    # Then the first nine are 401, the rest 429 with the lock explained in the API's shape
    assert [a.status_code for a in answers] == [401] * 9 + [429] * 31
    assert answers[9].json() == LOCKED
    # and the right password gets no token while the lock lasts
    right = create_token("atendente", RIGHT)
    assert right.status_code == 429
    assert right.json() == LOCKED
    assert not Token.objects.filter(user=attendant).exists()
    # and the lock is audited, once
    locks = AuditEntry.objects.filter(action=AuditAction.SIGN_IN_LOCK, outcome="bloqueado")
    assert [entry.details["path"] for entry in locks] == [URL]


def test_failures_on_the_screens_lock_token_creation_too(client: Any, attendant: User) -> None:
    # The count is one per user name, wherever the password was typed
    for n in range(10):
        client.post("/entrar/", {"username": "atendente", "password": f"errada{n}"})

    assert create_token("atendente", RIGHT).status_code == 429
