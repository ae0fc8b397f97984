"""Helpers for API tests."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient


def list_query_count(client: APIClient, url: str, expected_rows: int) -> int:
    """Number of SQL queries of one GET on a list endpoint (N+1 guards compare two counts)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    assert len(response.json()["results"]) == expected_rows
    return len(captured.captured_queries)
