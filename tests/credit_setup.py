"""Test helpers that set up the credit-analysis integration against the running sandboxes."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import User

from creditcheck.analysis.enums import Billed, QueryStatus
from creditcheck.analysis.models import CreditQuery
from creditcheck.analysis.services import credit_query_request
from creditcheck.analysis.subjects import subject_from_document
from creditcheck.core.models import Branch
from creditcheck.customers.models import Customer
from creditcheck.integrations.enums import Environment
from creditcheck.integrations.models import BranchIntegration, CreditAnalysisSettings
from creditcheck.integrations.services import branch_integration_save
from providers.sandbox.scenarios import IDENTITY_DIVERGENCE_CPF, IDENTITY_RECORDS, subject_for
from providers.sandbox.server import RunningSandbox, load_platforms
from tests.factories import CustomerFactory
from tests.sandbox_client import inject_fault


def sandbox_credentials(platform: str) -> dict[str, str]:
    return dict(load_platforms()[platform].credentials)


def enable_credit_analysis(*, interval_days: int = 0) -> CreditAnalysisSettings:
    row = CreditAnalysisSettings.load()
    row.enabled = True
    row.requery_interval_days = interval_days
    row.save()
    return row


def connect_branch(
    branch: Branch,
    sandbox: RunningSandbox,
    platform: str = "spcbrasil",
    *,
    cost: str = "12.50",
    product: str = "",
    is_default: bool = True,
) -> BranchIntegration:
    """An active integration of `branch` with `platform`'s sandbox, its default unless told."""
    return branch_integration_save(
        branch=branch,
        platform=platform,
        environment=Environment.SANDBOX,
        base_url=f"{sandbox.url}/{platform}",
        credentials=sandbox_credentials(platform),
        product=product,
        cost_per_query=Decimal(cost),
        is_default=is_default,
    )


def integration_on(
    branch: Branch,
    sandbox: RunningSandbox,
    platform: str = "spcbrasil",
    *,
    interval_days: int = 0,
    cost: str = "12.50",
    product: str = "",
) -> BranchIntegration:
    """Credit analysis on (with `interval_days` between queries of a document) and `branch`
    connected to `platform`'s sandbox: the setup of most tests that reach a platform."""
    enable_credit_analysis(interval_days=interval_days)
    return connect_branch(branch, sandbox, platform, cost=cost, product=product)


def query_with_uncertain_billing(
    user: User, branch: Branch, sandbox: RunningSandbox, document: str = "52998224725"
) -> CreditQuery:
    """A query of `branch` (connected to ConnectSA) answered by a platform 500: failed, with its
    billing unknown. Needs a transactional test (the call runs after the commit)."""
    inject_fault(sandbox, "connectsa", "http500")
    query = credit_query_request(
        subject=subject_from_document(document), branch=branch, user=user
    ).query
    query.refresh_from_db()
    assert (query.status, query.billed) == (QueryStatus.FAILED, Billed.UNKNOWN)
    return query


def identity_divergent_customer(branch: Branch) -> Customer:
    """A customer of `branch` whose record the platforms contradict: the sandbox's
    identity_divergence scenario (name and birth date differ, the mother's name agrees)."""
    record = IDENTITY_RECORDS[IDENTITY_DIVERGENCE_CPF]
    return CustomerFactory.create(
        branch=branch,
        document=IDENTITY_DIVERGENCE_CPF,
        name=record.name,
        birth_date=record.birth_date,
        mother_name=record.mother_name,
    )


def identity_agreeing_customer(branch: Branch, document: str) -> Customer:
    """A customer of `branch` whose record says what the sandbox's bureau identity of
    `document` says (spelt as staff type it): no divergence."""
    bureau = subject_for(document)
    return CustomerFactory.create(
        branch=branch,
        document=document,
        name=bureau.name.title(),
        birth_date=bureau.birth_date,
        mother_name=bureau.mother_name.title(),
    )
