"""The credit gate on contract activation, through the API and the contract screen."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from creditcheck.contracts.enums import ContractStatus
from creditcheck.contracts.models import Contract
from creditcheck.core.enums import AuditAction
from creditcheck.core.models import AuditEntry, Branch
from creditcheck.customers.models import Customer
from creditcheck.decisions.models import CreditReview
from creditcheck.decisions.reviews import review_decide
from tests.decisions.conftest import Run
from tests.decisions.policies import (
    LARGE_RESTRICTIONS_CPF,
    PARTNERS_CNPJ,
    SMALL_RESTRICTION_CPF,
    publish_standard_policy,
)
from tests.factories import ContractFactory, CustomerFactory

pytestmark = pytest.mark.django_db

Api = Callable[[User], APIClient]


def contract_body(customer: Customer, amount: str = "99.90", **extra: Any) -> dict[str, Any]:
    return {
        "customer": customer.pk,
        "branch": customer.branch_id,
        "plan": "Fibra 500 Mega",
        "monthly_amount": amount,
        "start_date": "2026-12-01",
        **extra,
    }


def customer_with(branch: Branch, document: str) -> Customer:
    return CustomerFactory.create(branch=branch, document=document)


def test_denied_customer_contract_refused_then_overridden_with_reason(
    run_query: Run, branch: Branch, administrator: User, api_client_for: Api
) -> None:
    publish_standard_policy()
    customer = customer_with(branch, LARGE_RESTRICTIONS_CPF)
    run_query(LARGE_RESTRICTIONS_CPF)
    client = api_client_for(administrator)

    refused = client.post("/api/v1/contracts/", contract_body(customer), format="json")
    allowed = client.post(
        "/api/v1/contracts/",
        contract_body(customer, credit_override_reason="Diretoria autorizou com caução"),
        format="json",
    )

    assert refused.status_code == 409
    assert refused.json() == {
        "detail": "A análise de crédito do cliente foi negada.",
        "code": "credit_denied",
    }
    assert allowed.status_code == 201, allowed.json()
    contract = Contract.objects.get()
    entry = AuditEntry.objects.get(action=AuditAction.CREDIT_DECISION)
    assert (entry.target_id, entry.username, entry.details["refusal"], entry.details["reason"]) == (
        str(contract.pk),
        "administrador",
        "credit_denied",
        "Diretoria autorizou com caução",
    )


def test_override_needs_the_permission(
    run_query: Run, branch: Branch, financial: User, api_client_for: Api
) -> None:
    publish_standard_policy()
    customer = customer_with(branch, LARGE_RESTRICTIONS_CPF)
    run_query(LARGE_RESTRICTIONS_CPF)
    contract = ContractFactory.create(customer=customer, status=ContractStatus.SUSPENDED)
    response = api_client_for(financial).patch(
        f"/api/v1/contracts/{contract.pk}/",
        {"status": "active", "credit_override_reason": "Quero"},
        format="json",
    )
    assert (response.status_code, response.json()["code"]) == (409, "override_forbidden")
    contract.refresh_from_db()
    assert contract.status == ContractStatus.SUSPENDED


def test_approved_customer_within_conditions_activates_and_above_them_does_not(
    run_query: Run, branch: Branch, administrator: User, api_client_for: Api
) -> None:
    publish_standard_policy()
    customer = customer_with(branch, PARTNERS_CNPJ)  # approved for plans up to R$ 129,90
    run_query(PARTNERS_CNPJ)
    client = api_client_for(administrator)
    within = client.post("/api/v1/contracts/", contract_body(customer, "129.90"), format="json")
    above = client.post("/api/v1/contracts/", contract_body(customer, "199.90"), format="json")
    assert within.status_code == 201
    assert (above.status_code, above.json()["code"]) == (409, "plan_above_credit_limit")
    assert above.json()["detail"] == (
        "O plano de R$ 199,90 passa do aprovado para o cliente: planos até R$ 129,90."
    )


def test_review_approval_opens_the_gate(
    run_query: Run, branch: Branch, administrator: User, financial: User, api_client_for: Api
) -> None:
    publish_standard_policy()
    customer = customer_with(branch, SMALL_RESTRICTION_CPF)
    run_query(SMALL_RESTRICTION_CPF)
    client = api_client_for(administrator)
    in_review = client.post("/api/v1/contracts/", contract_body(customer), format="json")
    review = CreditReview.objects.get()
    review_decide(review_id=review.pk, outcome="aprovado", reason="Conferido", user=financial)
    approved = client.post("/api/v1/contracts/", contract_body(customer), format="json")
    assert (in_review.status_code, in_review.json()["code"]) == (409, "credit_in_review")
    assert approved.status_code == 201


def test_without_policy_nothing_changes(
    branch: Branch, administrator: User, api_client_for: Api
) -> None:
    customer = customer_with(branch, LARGE_RESTRICTIONS_CPF)
    response = api_client_for(administrator).post(
        "/api/v1/contracts/", contract_body(customer), format="json"
    )
    assert response.status_code == 201
    publish_standard_policy(enabled=False)
    again = api_client_for(administrator).post(
        "/api/v1/contracts/", contract_body(customer), format="json"
    )
    assert again.status_code == 201


def test_no_decision_refused(branch: Branch, administrator: User, api_client_for: Api) -> None:
    publish_standard_policy()
    customer = customer_with(branch, LARGE_RESTRICTIONS_CPF)
    response = api_client_for(administrator).post(
        "/api/v1/contracts/", contract_body(customer), format="json"
    )
    assert (response.status_code, response.json()["code"]) == (409, "no_credit_decision")
    assert not Contract.objects.exists()


def test_contract_screen_shows_the_gate_and_activates_with_override(
    run_query: Run, branch: Branch, administrator: User
) -> None:
    publish_standard_policy()
    customer = customer_with(branch, LARGE_RESTRICTIONS_CPF)
    run_query(LARGE_RESTRICTIONS_CPF)
    contract = ContractFactory.create(customer=customer, status=ContractStatus.SUSPENDED)
    client = Client()
    client.force_login(administrator)

    page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    blocked = client.post(reverse("contracts:activate", args=[contract.pk]), follow=True)
    contract.refresh_from_db()
    still_suspended = contract.status
    client.post(
        reverse("contracts:activate", args=[contract.pk]),
        {"override_reason": "Cliente quitou a dívida, comprovante no arquivo"},
    )
    contract.refresh_from_db()

    assert "Ativação bloqueada pela política de crédito" in page
    assert "Contrato não ativado: A análise de crédito do cliente foi negada." in (
        blocked.content.decode()
    )
    assert still_suspended == ContractStatus.SUSPENDED
    assert contract.status == ContractStatus.ACTIVE
    assert AuditEntry.objects.filter(
        action=AuditAction.CREDIT_DECISION, target_id=str(contract.pk)
    ).exists()
