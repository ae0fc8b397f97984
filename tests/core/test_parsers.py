"""The API's JSON parser refuses bodies nested deeper than any request needs (400)."""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from creditcheck.core.models import Branch
from creditcheck.core.parsers import MAX_JSON_DEPTH, json_deeper_than

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User], APIClient]
TOO_DEEP = {
    "detail": "O JSON enviado tem níveis de aninhamento demais (máximo 32).",
    "code": "json_too_deep",
}


def nested_arrays(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("post", "/api/v1/leads/"),
        ("post", "/api/v1/credit-queries/"),
        ("put", "/api/v1/settings/credit-analysis/"),
        ("patch", "/api/v1/branches/{branch}/"),
    ],
)
def test_a_2kb_body_of_1000_nested_arrays_is_400_json_too_deep(
    api_client_for: ClientFor, administrator: User, branch: Branch, method: str, url: str
) -> None:
    body = nested_arrays(1000)
    assert len(body) == 2000

    response = getattr(api_client_for(administrator), method)(
        url.format(branch=branch.pk), body, content_type="application/json"
    )

    assert response.status_code == 400  # was a 500: RecursionError inside json.loads
    assert response.json() == TOO_DEEP


def test_json_that_parses_but_nests_past_the_limit_is_400_json_too_deep(
    api_client_for: ClientFor, administrator: User
) -> None:
    body = '{"name": ' + nested_arrays(MAX_JSON_DEPTH) + "}"  # one level too many

    response = api_client_for(administrator).post(
        "/api/v1/leads/", body, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json() == TOO_DEEP


def test_json_at_the_limit_reaches_the_serializer(
    api_client_for: ClientFor, administrator: User
) -> None:
    body = '{"name": ' + nested_arrays(MAX_JSON_DEPTH - 1) + "}"

    response = api_client_for(administrator).post(
        "/api/v1/leads/", body, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert set(response.json()["codes"]) == {"name", "branch"}


def test_malformed_json_keeps_the_parse_error_code(
    api_client_for: ClientFor, administrator: User
) -> None:
    response = api_client_for(administrator).post(
        "/api/v1/leads/", '{"name": ', content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


@pytest.mark.parametrize(
    ("value", "deeper_than_2"),
    [
        ([], False),
        ({"a": [1, 2]}, False),
        ({"a": [{"b": 1}]}, True),
        ([[], [[]]], True),
        ({"a": 1, "b": {"c": "[[[[["}}, False),
    ],
)
def test_json_deeper_than_counts_arrays_and_objects(value: object, deeper_than_2: bool) -> None:
    assert json_deeper_than(value, 2) is deeper_than_2


def test_json_deeper_than_walks_a_very_deep_value_without_recursion() -> None:
    value: list[object] = []
    for _level in range(100_000):
        value = [value]

    assert json_deeper_than(value, MAX_JSON_DEPTH) is True
