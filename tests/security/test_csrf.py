"""CSRF: every screen refuses a signed-in POST without the token and takes it with the token; the
API refuses unsafe session-authenticated calls without it, while token authentication needs none.

The screens are every route the URL resolver lists, the API operations every one of the OpenAPI
schema: a new form or endpoint is covered as soon as it exists (the guards below fail when a new
one cannot be opened).
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from tests.security.conftest import (
    API_OBJECTS,
    ROUTE_OBJECTS,
    ApiOperation,
    Route,
    World,
    api_operations,
    response_body,
    ui_routes,
)

TOKEN_CREATION = "/api/v1/auth/token/"
# Token creation is for callers without a session or a token: it has no CSRF check (its test
# below), so the session and token cases leave it out.
UNSAFE = [
    op
    for op in api_operations()
    if op.method not in ("GET", "HEAD", "OPTIONS") and op.path != TOKEN_CREATION
]
TOKEN_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REFUSAL_PAGE = b'data-testid="csrf-failure"'  # templates/403_csrf.html


def _form_token(client: Client) -> str:
    """The token a page's forms carry (the navigation bar's "Sair" form is on every page)."""
    page = client.get(reverse("customers:list")).content.decode()
    tokens = TOKEN_INPUT.findall(page)
    assert tokens, "no form with a CSRF token on the page"
    return tokens[0]


def test_every_screen_with_an_argument_can_be_opened() -> None:
    """Guard: a new screen taking an id must say which row of the world opens it."""
    needing = {route.name for route in ui_routes() if route.arguments}
    assert needing - set(ROUTE_OBJECTS) == set()
    assert len(ui_routes()) > 50


def test_every_api_operation_with_an_id_can_be_called() -> None:
    resources = {
        op.path.removeprefix("/api/v1/").split("/")[0] for op in UNSAFE if "{id}" in op.path
    }
    assert resources - set(API_OBJECTS) == set()
    assert len(UNSAFE) > 25


@pytest.mark.parametrize("route", ui_routes(), ids=str)
def test_screen_post_needs_the_csrf_token(route: Route, world: World) -> None:
    client = world.client(enforce_csrf_checks=True)
    url = world.url(route)
    token = _form_token(client)

    refused = client.post(url, {})
    accepted = client.post(url, {"csrfmiddlewaretoken": token})

    # Refused by the CSRF check itself (its page, in Portuguese), before the view could act
    assert (refused.status_code, REFUSAL_PAGE in refused.content) == (403, True)
    assert "Envio recusado" in refused.content.decode()
    # Taken with the token: the view answers (a page, a redirect, or 405 where POST is not
    # one of its methods), never the CSRF refusal
    assert accepted.status_code != 403, route
    assert REFUSAL_PAGE not in response_body(accepted)


@pytest.mark.parametrize("operation", UNSAFE, ids=str)
def test_api_session_call_needs_the_csrf_token(operation: ApiOperation, world: World) -> None:
    client = world.client(enforce_csrf_checks=True)
    url = world.api_url(operation)
    call = getattr(client, operation.method.lower())

    refused = call(url, {}, content_type="application/json")
    accepted = call(
        url, {}, content_type="application/json", headers={"X-CSRFToken": _form_token(client)}
    )

    assert refused.status_code == 403
    assert refused.json()["code"] == "permission_denied"
    assert refused.json()["detail"].startswith("CSRF Failed")
    assert accepted.status_code not in (401, 403), accepted.content


@pytest.mark.parametrize("operation", UNSAFE, ids=str)
def test_api_token_call_needs_no_csrf_token(operation: ApiOperation, world: World) -> None:
    key = Token.objects.create(user=world.administrator).key
    client = Client(enforce_csrf_checks=True, headers={"Authorization": f"Token {key}"})

    response = getattr(client, operation.method.lower())(
        world.api_url(operation), {}, content_type="application/json"
    )

    assert response.status_code not in (401, 403), response.content


def test_token_creation_without_csrf_token_opens_no_session(world: World) -> None:
    # A page of another site could post a user's password here: the answer is JSON that page
    # cannot read, and the browser gains no session from it.
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        TOKEN_CREATION,
        {"username": world.administrator.username, "password": "errada"},
        content_type="application/json",
    )

    assert (response.status_code, response.json()["code"]) == (401, "invalid_credentials")
    assert "sessionid" not in response.cookies
    assert "_auth_user_id" not in client.session
