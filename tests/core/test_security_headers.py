"""Cache-Control: no-store on what signed-in users receive; the Content-Security-Policy of pages.

(creditcheck/core/security_headers.py; the browser check of the policy is in
tests/browser/test_content_security_policy.py.)
"""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from rest_framework.authtoken.models import Token

from creditcheck.core.enums import Role
from providers.sandbox.scenarios import SMALL_RESTRICTION_CPF
from tests.factories import UserFactory
from tests.test_authorization_matrix import World

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
POLICY = {
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
}


def directives(header: str) -> set[str]:
    return {part.strip() for part in header.split(";")}


def test_every_answer_with_personal_or_credit_data_is_no_store(world: World) -> None:
    # Given an administrator with a session and one with a token, a query with its PDFs, a
    # customer, a lead and a prospect
    query, customer = world.query("own"), world.customer("own")
    lead, prospect = world.lead("own"), world.prospect("own")
    admin = UserFactory.create(role=Role.ADMINISTRATOR)
    screens = Client()
    screens.force_login(admin)
    api = Client(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=admin).key}")
    lgpd = {"document": SMALL_RESTRICTION_CPF}

    # When each is asked for
    answers = {
        "result screen": screens.get(f"/analise-credito/{query.pk}/"),
        "report pdf": screens.get(f"/analise-credito/{query.pk}/relatorio.pdf"),
        "platform pdf": screens.get(f"/analise-credito/{query.pk}/relatorio-plataforma/"),
        "customer screen": screens.get(f"/clientes/{customer.pk}/"),
        "customer credit": screens.get(f"/clientes/{customer.pk}/analise-credito/"),
        "customer list": screens.get("/clientes/"),
        "lead screen": screens.get(f"/crm/leads/{lead.pk}/"),
        "prospect screen": screens.get(f"/crm/prospeccoes/{prospect.pk}/"),
        "lgpd pdf": screens.post("/lgpd/", {**lgpd, "format": "pdf"}),
        "lgpd json": screens.post("/lgpd/", {**lgpd, "format": "json"}),
        "query json": api.get(f"/api/v1/credit-queries/{query.pk}/"),
        "api report pdf": api.get(f"/api/v1/credit-queries/{query.pk}/report.pdf"),
        "api platform pdf": api.get(f"/api/v1/credit-queries/{query.pk}/provider-report"),
        "api customers": api.get("/api/v1/customers/"),
        "api lead": api.get(f"/api/v1/leads/{lead.pk}/"),
        "api prospect": api.get(f"/api/v1/prospects/{prospect.pk}/"),
        "api lgpd": api.get("/api/v1/lgpd/subject-report/", {**lgpd, "format": "json"}),
        "api error": api.get("/api/v1/credit-queries/999999/"),
    }

    # Then every answer forbids storing it, in a shared cache or the browser's
    statuses = {name: response.status_code for name, response in answers.items()}
    assert statuses == {**{name: 200 for name in answers}, "api error": 404}
    assert {name: response.get("Cache-Control") for name, response in answers.items()} == {
        name: "no-store, private" for name in answers
    }


def test_static_files_stay_cacheable_for_signed_in_users(client: Client, attendant: User) -> None:
    client.force_login(attendant)

    response = client.get("/static/css/app.css")

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_anonymous_answers_are_not_marked(client: Client, db: None) -> None:
    response = client.get("/api/v1/customers/")

    assert response.status_code == 401
    assert response.get("Cache-Control") is None


def test_pages_carry_the_content_security_policy(client: Client, attendant: User) -> None:
    client.force_login(attendant)

    page = client.get("/clientes/")
    sign_in = Client().get("/entrar/")

    assert directives(page["Content-Security-Policy"]) == POLICY
    assert directives(sign_in["Content-Security-Policy"]) == POLICY


def test_json_and_files_carry_no_policy(client: Client, attendant: User) -> None:
    client.force_login(attendant)

    response = client.get("/api/v1/customers/")

    assert response["Content-Type"] == "application/json"
    assert "Content-Security-Policy" not in response


# What the policy refuses: inline <script>, <style>, style="", on...="" handlers, hx-on
# attributes (htmx evaluates them as script) and javascript: URLs.
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=|\shx-on|javascript:",
    re.IGNORECASE,
)


def test_form_widgets_hold_no_inline_style() -> None:
    # Widgets' attrs reach the pages as HTML attributes, as templates/ would write them.
    sources = sorted((TEMPLATES.parent / "creditcheck").rglob("*.py"))

    found = [
        f"{path.relative_to(TEMPLATES.parent)}: {line.strip()}"
        for path in sources
        for line in path.read_text().splitlines()
        if re.search(r"[\"']style[\"']\s*:", line)
    ]

    assert found == []


def test_templates_hold_no_inline_script_or_style() -> None:
    found = [
        f"{path.relative_to(TEMPLATES)}:{number}: {line.strip()}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if INLINE.search(line)
    ]

    assert found == []
