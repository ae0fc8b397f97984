"""Sign-in throttling (creditcheck/core/sign_in.py): django-axes over the real cache and views."""

import datetime as dt
import io
import time
from typing import Any

import pytest
from django.contrib.auth.models import Permission, User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from creditcheck.core.enums import AuditAction
from creditcheck.core.models import AuditEntry
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

RIGHT = PASSWORD
LOCKED_TEXT = (
    "Acesso bloqueado por excesso de tentativas de entrada sem sucesso. Tente de novo em 15 "
    "minutos ou peça a um administrador que desbloqueie seu usuário."
)
WRONG_TEXT = "Por favor, entre com um usuário  e senha corretos."


def sign_in(client: Client, username: str, password: str, ip: str = "127.0.0.1") -> Any:
    return client.post("/entrar/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def lock_entries() -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (entry.outcome, entry.username, entry.details)
        for entry in AuditEntry.objects.filter(action=AuditAction.SIGN_IN_LOCK).order_by("seq")
    ]


def test_forty_wrong_passwords_lock_the_user_and_refuse_the_right_one(
    client: Client, attendant: User
) -> None:
    # When someone tries 40 wrong passwords for one user
    answers = [sign_in(client, "atendente", f"errada{n}") for n in range(40)]

    # Then the first nine are told the password is wrong, the rest that the user is locked
    assert [a.status_code for a in answers] == [200] * 9 + [429] * 31
    assert WRONG_TEXT in answers[8].content.decode()
    assert LOCKED_TEXT in answers[9].content.decode()
    # and the right password is refused too, in Portuguese
    right = sign_in(client, "atendente", RIGHT)
    assert right.status_code == 429
    assert LOCKED_TEXT in right.content.decode()
    assert not signed_in(client)
    # and the lock is audited once, when it started
    assert lock_entries() == [
        (
            "bloqueado",
            "sistema",
            {"username": "atendente", "path": "/entrar/", "failures": 10, "minutes": 15},
        )
    ]
    assert AuditEntry.objects.get(action=AuditAction.SIGN_IN_LOCK).ip_address == "127.0.0.1"


def test_admin_login_is_locked_as_the_screens(client: Client, administrator: User) -> None:
    administrator.is_staff = True
    administrator.save()
    for n in range(10):
        client.post("/admin/login/", {"username": "administrador", "password": f"x{n}"})

    response = client.post(
        "/admin/login/?next=/admin/", {"username": "administrador", "password": RIGHT}
    )

    assert response.status_code == 429
    assert LOCKED_TEXT in response.content.decode()
    assert not signed_in(client)


def test_lock_ends_after_the_lockout_period(client: Client, attendant: User, settings: Any) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = dt.timedelta(seconds=1)
    for n in range(3):
        sign_in(client, "atendente", f"errada{n}")
    assert sign_in(client, "atendente", RIGHT).status_code == 429

    time.sleep(1.1)  # the lock's cache entries expire after one second

    assert sign_in(client, "atendente", RIGHT).status_code == 302
    assert signed_in(client)


def test_unlock_command_lets_the_user_and_their_address_in_again(
    client: Client, attendant: User
) -> None:
    # Given a user locked by their own mistakes, from their desk's address
    for n in range(10):
        sign_in(client, "atendente", f"errada{n}", ip="10.1.2.3")

    out = io.StringIO()
    call_command("unlock_user", "atendente", stdout=out)

    # Then they sign in from the same address
    assert out.getvalue() == "Usuário atendente desbloqueado (IPs: 10.1.2.3).\n"
    assert sign_in(client, "atendente", RIGHT, ip="10.1.2.3").status_code == 302
    assert signed_in(client)
    assert lock_entries()[-1] == (
        "desbloqueado",
        "sistema",
        {"username": "atendente", "ip_addresses": ["10.1.2.3"]},
    )


def test_unlock_command_needs_a_user_or_an_address(db: None) -> None:
    with pytest.raises(CommandError, match=r"Informe o usuário ou --ip\."):
        call_command("unlock_user")


def test_failures_from_one_address_lock_it_for_every_user_name(
    client: Client, attendant: User
) -> None:
    # Given ten wrong passwords from one address, each for another user name
    for n in range(10):
        sign_in(client, f"usuario{n}", "errada", ip="10.9.9.9")

    # Then a right password from that address is refused, from another one accepted
    assert sign_in(client, "atendente", RIGHT, ip="10.9.9.9").status_code == 429
    assert sign_in(client, "atendente", RIGHT, ip="10.8.8.8").status_code == 302

    # and `unlock_user --ip` frees the address
    call_command("unlock_user", "--ip", "10.9.9.9", stdout=io.StringIO())
    client.logout()
    assert sign_in(client, "atendente", RIGHT, ip="10.9.9.9").status_code == 302


def test_a_successful_sign_in_clears_the_count(client: Client, attendant: User) -> None:
    # A call centre behind one address: mistakes between successful sign-ins do not add up.
    for _round in range(3):
        for n in range(9):
            sign_in(client, "atendente", f"errada{n}")
        assert sign_in(client, "atendente", RIGHT).status_code == 302
        client.logout()

    assert lock_entries() == []


def test_admin_action_unlocks_the_selected_users(
    client: Client, attendant: User, administrator: User
) -> None:
    for n in range(10):
        sign_in(Client(), "atendente", f"errada{n}")
    administrator.is_staff = administrator.is_superuser = True
    administrator.save()
    client.force_login(administrator)

    response = client.post(
        "/admin/auth/user/",
        {"action": "unlock_sign_in", "_selected_action": [attendant.pk]},
        follow=True,
    )

    assert "1 usuário desbloqueado." in response.content.decode()
    assert lock_entries()[-1] == (
        "desbloqueado",
        "administrador",
        {"username": "atendente", "ip_addresses": ["127.0.0.1"]},
    )
    assert sign_in(Client(), "atendente", RIGHT).status_code == 302


def test_admin_action_is_offered_only_with_the_unlock_permission(
    client: Client, attendant: User
) -> None:
    staff = User.objects.create_user("suporte", password=RIGHT, is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_user"))
    client.force_login(staff)
    assert "unlock_sign_in" not in client.get("/admin/auth/user/").content.decode()

    staff.user_permissions.add(Permission.objects.get(codename="unlock_user"))

    assert 'value="unlock_sign_in"' in client.get("/admin/auth/user/").content.decode()
