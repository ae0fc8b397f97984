"""Every API endpoint × every role × own/other branch, with the status code each must answer.

The users of a role (and the user without a role) belong to the "own" branch only; the
administrator belongs to none and sees every branch. "other" targets a row of the other branch,
or, for a create, names the other branch (or a row of it) in the body. Permission checks run
before the row is looked up: without the permission the answer is 403 whatever the branch.

A credit query asked through the API answers 202 here: the platform call is queued after the
commit, and these tests never commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from rest_framework.test import APIClient

from creditcheck.analysis.enums import Billed, QueryStatus, SubjectType
from creditcheck.analysis.models import CreditQuery
from creditcheck.analysis.services import credit_query_request
from creditcheck.analysis.subjects import subject_from_customer
from creditcheck.contracts.models import Contract, Invoice
from creditcheck.core.enums import Role
from creditcheck.core.models import Branch
from creditcheck.core.roles import role_permissions
from creditcheck.crm.models import Lead, Prospect
from creditcheck.customers.models import Customer
from creditcheck.decisions.models import CreditPolicy
from creditcheck.decisions.services import PolicyInput, credit_policy_save
from creditcheck.erp.models import PaymentSource
from creditcheck.integrations.models import BranchIntegration
from creditcheck.negativation.enums import NegativationStatus
from creditcheck.negativation.models import Negativation
from creditcheck.notices.models import Notice, NoticeConsent, RepaymentPlan
from providers.sandbox.scenarios import CLEAN_CPF, SMALL_RESTRICTION_CPF
from providers.sandbox.server import RunningSandbox
from tests.credit_setup import connect_branch, enable_credit_analysis, sandbox_credentials
from tests.factories import (
    BranchFactory,
    ContractFactory,
    CustomerFactory,
    InvoiceFactory,
    LeadFactory,
    ProspectFactory,
    UserFactory,
    cnpj_for,
)
from tests.notice_setup import letter_posted

pytestmark = pytest.mark.django_db

# Crédito na Medida sends its own PDF when the person has restrictions, as this CPF has.
PLATFORM = "creditonamedida"

ROLES = ["attendant", "seller", "financial", "administrator", "no_role", "anonymous"]

# endpoint                  scope   attendant seller financial administrator no_role anonymous
MATRIX = """
branch-list                 -       200  200  200  200  403  401
branch-detail               own     200  200  200  200  403  401
branch-detail               other   404  404  404  200  403  401
branch-create               -       403  403  403  201  403  401
branch-update               own     403  403  403  200  403  401
branch-update               other   403  403  403  200  403  401
customer-list               -       200  200  200  200  403  401
customer-detail             own     200  200  200  200  403  401
customer-detail             other   404  404  404  200  403  401
customer-create             own     201  201  403  201  403  401
customer-create             other   400  400  403  201  403  401
customer-update             own     200  403  403  200  403  401
customer-update             other   404  403  403  200  403  401
contract-list               -       200  200  200  200  403  401
contract-detail             own     200  200  200  200  403  401
contract-detail             other   404  404  404  200  403  401
contract-create             own     403  403  403  201  403  401
contract-create             other   403  403  403  201  403  401
contract-update             own     403  403  200  200  403  401
contract-update             other   403  403  404  200  403  401
invoice-list                -       200  403  200  200  403  401
invoice-detail              own     200  403  200  200  403  401
invoice-detail              other   404  403  404  200  403  401
invoice-create              own     403  403  201  201  403  401
invoice-create              other   403  403  400  201  403  401
invoice-update              own     403  403  200  200  403  401
invoice-update              other   403  403  404  200  403  401
invoice-pay                 own     403  403  200  200  403  401
invoice-pay                 other   403  403  404  200  403  401
lead-list                   -       200  200  403  200  403  401
lead-detail                 own     200  200  403  200  403  401
lead-detail                 other   404  404  403  200  403  401
lead-create                 own     403  201  403  201  403  401
lead-create                 other   403  400  403  201  403  401
lead-update                 own     403  200  403  200  403  401
lead-update                 other   403  404  403  200  403  401
prospect-list               -       200  200  403  200  403  401
prospect-detail             own     200  200  403  200  403  401
prospect-detail             other   404  404  403  200  403  401
prospect-create             own     403  201  403  201  403  401
prospect-create             other   403  400  403  201  403  401
prospect-update             own     403  200  403  200  403  401
prospect-update             other   403  404  403  200  403  401
integration-list            -       403  403  403  200  403  401
integration-detail          own     403  403  403  200  403  401
integration-detail          other   403  403  403  200  403  401
integration-create          own     403  403  403  201  403  401
integration-create          other   403  403  403  201  403  401
integration-update          own     403  403  403  200  403  401
integration-update          other   403  403  403  200  403  401
integration-test            own     403  403  403  200  403  401
integration-test            other   403  403  403  200  403  401
integration-sync            own     403  403  403  200  403  401
integration-sync            other   403  403  403  200  403  401
negativation-list           -       200  403  200  200  403  401
negativation-detail         own     200  403  200  200  403  401
negativation-detail         other   404  403  404  200  403  401
negativation-create         own     403  403  201  201  403  401
negativation-create         other   403  403  400  201  403  401
negativation-remove         own     403  403  200  200  403  401
negativation-remove         other   403  403  404  200  403  401
credit-policy-list          -       403  403  403  200  403  401
credit-policy-detail        own     403  403  403  200  403  401
credit-policy-detail        other   403  403  403  200  403  401
credit-policy-create        own     403  403  403  201  403  401
credit-policy-create        other   403  403  403  201  403  401
credit-policy-update        own     403  403  403  200  403  401
credit-policy-update        other   403  403  403  200  403  401
credit-policy-versions      own     403  403  403  200  403  401
credit-policy-versions      other   403  403  403  200  403  401
notice-consent-list         -       200  403  200  200  403  401
notice-consent-detail       own     200  403  200  200  403  401
notice-consent-detail       other   404  403  404  200  403  401
notice-consent-create       own     201  403  201  201  403  401
notice-consent-create       other   400  403  400  201  403  401
notice-consent-revoke       own     200  403  200  200  403  401
notice-consent-revoke       other   404  403  404  200  403  401
notice-list                 -       200  403  200  200  403  401
notice-detail               own     200  403  200  200  403  401
notice-detail               other   404  403  404  200  403  401
plan-list                   -       403  403  200  200  403  401
plan-detail                 own     403  403  200  200  403  401
plan-detail                 other   403  403  404  200  403  401
plan-create                 own     403  403  201  201  403  401
plan-create                 other   403  403  400  201  403  401
sms-webhook                 -       401  401  401  401  401  401
settings-read               -       200  200  200  200  200  401
settings-update             -       403  403  403  200  403  401
query-list                  -       200  200  200  200  403  401
query-create                own     202  202  202  202  403  401
query-create                other   400  400  400  202  403  401
query-detail                own     200  200  200  200  403  401
query-detail                other   404  404  404  200  403  401
query-report-pdf            own     200  200  200  200  403  401
query-report-pdf            other   404  404  404  200  403  401
query-provider-report       own     200  200  200  200  403  401
query-provider-report       other   404  404  404  200  403  401
query-settle-billing        own     403  403  200  200  403  401
query-settle-billing        other   403  403  404  200  403  401
reports-costs               -       403  403  200  200  403  401
lgpd-subject-report         -       403  403  403  200  403  401
sync-customers              -       200  403  403  200  403  401
sync-contracts              -       403  403  403  200  403  401
sync-invoices               -       403  403  200  200  403  401
webhook-asaas               -       401  401  401  401  401  401
webhook-pix                 -       401  401  401  401  401  401
webhook-signed              -       401  401  401  401  401  401
schema                      -       200  200  200  200  200  401
docs                        -       200  200  200  200  200  401
"""


def _cases() -> Iterator[Any]:
    for line in MATRIX.strip().splitlines():
        endpoint, scope, *codes = line.split()
        assert len(codes) == len(ROLES), line
        for role, code in zip(ROLES, codes, strict=True):
            yield pytest.param(endpoint, scope, role, int(code), id=f"{endpoint}-{scope}-{role}")


class World:
    """Rows of the own and the other branch, built only when a case needs them."""

    def __init__(
        self,
        own: Branch,
        other: Branch,
        sandbox: RunningSandbox,
        after_commit: Callable[..., Any],
    ) -> None:
        self.branches = {"own": own, "other": other}
        self.sandbox = sandbox
        self.after_commit = after_commit
        enable_credit_analysis()
        self.integrations = {
            scope: connect_branch(branch, sandbox, PLATFORM)
            for scope, branch in self.branches.items()
        }

    def branch(self, scope: str) -> Branch:
        return self.branches[scope]

    def customer(self, scope: str) -> Customer:
        return self._customers[scope]

    @cached_property
    def _customers(self) -> dict[str, Customer]:
        return {
            scope: CustomerFactory.create(branch=branch, state="SP", document=SMALL_RESTRICTION_CPF)
            for scope, branch in self.branches.items()
        }

    def contract(self, scope: str) -> Contract:
        return self._contracts[scope]

    @cached_property
    def _contracts(self) -> dict[str, Contract]:
        return {
            scope: ContractFactory.create(
                customer=self.customer(scope), start_date=dt.date(2020, 1, 10)
            )
            for scope in self.branches
        }

    def overdue_invoice(self, scope: str) -> Invoice:
        """A new invoice, 40 days overdue: eligible for negativação."""
        return InvoiceFactory.create(
            contract=self.contract(scope),
            amount=Decimal("129.90"),
            due_date=timezone.localdate() - dt.timedelta(days=40),
        )

    def invoice(self, scope: str) -> Invoice:
        return self._invoices[scope]

    @cached_property
    def _invoices(self) -> dict[str, Invoice]:
        return {scope: self.overdue_invoice(scope) for scope in self.branches}

    def lead(self, scope: str) -> Lead:
        return self._leads[scope]

    @cached_property
    def _leads(self) -> dict[str, Lead]:
        return {scope: LeadFactory.create(branch=b) for scope, b in self.branches.items()}

    def prospect(self, scope: str) -> Prospect:
        return self._prospects[scope]

    @cached_property
    def _prospects(self) -> dict[str, Prospect]:
        return {scope: ProspectFactory.create(branch=b) for scope, b in self.branches.items()}

    def integration(self, scope: str) -> BranchIntegration:
        return self.integrations[scope]

    def negativation(self, scope: str) -> Negativation:
        return self._negativations[scope]

    @cached_property
    def _negativations(self) -> dict[str, Negativation]:
        """An active negativação per branch, as the platform confirmed it."""
        rows = {}
        for scope in self.branches:
            invoice = self.overdue_invoice(scope)
            rows[scope] = Negativation.objects.create(
                invoice=invoice,
                customer=invoice.contract.customer,
                branch=self.branch(scope),
                integration=self.integration(scope),
                platform=PLATFORM,
                status=NegativationStatus.ACTIVE,
                document=invoice.contract.customer.document,
                amount=invoice.amount,
                due_date=invoice.due_date,
                platform_id=f"NEG-{scope}",
                active_at=timezone.now(),
            )
        return rows

    def policy(self, scope: str) -> CreditPolicy:
        return self._policies[scope]

    @cached_property
    def _policies(self) -> dict[str, CreditPolicy]:
        """A credit policy of each branch's own (its version 1 is off: decides nothing)."""
        return {
            scope: credit_policy_save(
                data=PolicyInput(enabled=False), user=None, branch=branch
            ).policy
            for scope, branch in self.branches.items()
        }

    def consent(self, scope: str) -> NoticeConsent:
        return self._consents[scope]

    @cached_property
    def _consents(self) -> dict[str, NoticeConsent]:
        return {
            scope: NoticeConsent.objects.create(
                customer=self.customer(scope),
                channel="email",
                given_on=timezone.localdate() - dt.timedelta(days=10),
                source="Contrato assinado",
            )
            for scope in self.branches
        }

    def notice(self, scope: str) -> Notice:
        return self._notices[scope]

    @cached_property
    def _notices(self) -> dict[str, Notice]:
        return {scope: letter_posted(self.overdue_invoice(scope)) for scope in self.branches}

    def plan(self, scope: str) -> RepaymentPlan:
        return self._plans[scope]

    @cached_property
    def _plans(self) -> dict[str, RepaymentPlan]:
        plans = {}
        for scope in self.branches:
            plans[scope] = RepaymentPlan.objects.create(
                customer=self.customer(scope),
                kind="court",
                reference=f"PLANO-{scope}",
                starts_on=timezone.localdate(),
                ends_on=timezone.localdate() + dt.timedelta(days=365),
                removal_on=timezone.localdate(),
            )
        return plans

    def payment_source(self, kind: str) -> str:
        """The key of a payment source of `kind` (its webhook takes no session: a signed-in
        user without the source's secret is refused like anyone)."""
        source, _created = PaymentSource.objects.get_or_create(
            key=f"{kind}-matriz", defaults={"name": kind, "kind": kind}
        )
        source.set_secret("segredo-da-fonte-de-pagamentos")
        source.save()
        return source.key

    def query(self, scope: str) -> CreditQuery:
        return self._queries[scope]

    @cached_property
    def _queries(self) -> dict[str, CreditQuery]:
        """A succeeded query per branch, with the platform's PDF (a real sandbox call)."""
        queries = {}
        requester = UserFactory.create(role=Role.ADMINISTRATOR)
        for scope, branch in self.branches.items():
            # The platform call runs now, as after a commit (these tests never commit).
            with self.after_commit(execute=True):
                outcome = credit_query_request(
                    subject=subject_from_customer(self.customer(scope)),
                    branch=branch,
                    user=requester,
                )
            queries[scope] = outcome.query
        return queries

    def uncertain_query(self, scope: str) -> CreditQuery:
        return self._uncertain_queries[scope]

    @cached_property
    def _uncertain_queries(self) -> dict[str, CreditQuery]:
        """A failed query per branch whose billing the platform left unknown."""
        requester = UserFactory.create(role=Role.ADMINISTRATOR)
        return {
            scope: CreditQuery.objects.create(
                subject_type=SubjectType.DOCUMENT,
                document=CLEAN_CPF,
                person_type="F",
                branch=branch,
                integration=self.integration(scope),
                platform=PLATFORM,
                user=requester,
                status=QueryStatus.FAILED,
                billed=Billed.UNKNOWN,
                cost=self.integration(scope).cost_per_query,
            )
            for scope, branch in self.branches.items()
        }


def world_with_other_branch(
    own: Branch, sandbox: RunningSandbox, after_commit: Callable[..., Any]
) -> World:
    """The World of `own` and a new "Filial Belo Horizonte" (also used by other test modules)."""
    other = BranchFactory.create(name="Filial Belo Horizonte", state="MG", city="Belo Horizonte")
    return World(own, other, sandbox, after_commit)


@dataclass(frozen=True)
class Call:
    method: str
    url: str
    body: dict[str, Any] | None = None
    # For lists: the ids of the own and the other branch's rows, to check the scoping.
    own_id: int | None = None
    other_id: int | None = None


def listed(rows: dict[str, Any], url: str) -> Call:
    return Call("get", url, own_id=rows["own"].pk, other_id=rows["other"].pk)


def _customer_body(branch: Branch) -> dict[str, Any]:
    return {
        "person_type": "F",
        "name": "Maria da Silva",
        "document": CLEAN_CPF,
        "birth_date": "1980-05-17",
        "mother_name": "Ana da Silva",
        "cep": "01310-100",
        "street": "Avenida Paulista",
        "number": "1578",
        "district": "Bela Vista",
        "city": "São Paulo",
        "state": "SP",
        "branch": branch.pk,
    }


def _contract_body(world: World, scope: str) -> dict[str, Any]:
    return {
        "customer": world.customer(scope).pk,
        "branch": world.branch(scope).pk,
        "plan": "Fibra 500 Mega",
        "monthly_amount": "129.90",
        "start_date": "2025-02-01",
    }


def _invoice_body(world: World, scope: str) -> dict[str, Any]:
    return {
        "contract": world.contract(scope).pk,
        "number": f"FAT-NOVA-{scope}",
        "amount": "129.90",
        "due_date": "2025-03-10",
    }


def _integration_body(world: World, scope: str) -> dict[str, Any]:
    return {
        "branch": world.branch(scope).pk,
        "platform": "spcbrasil",
        "environment": "sandbox",
        "base_url": f"{world.sandbox.url}/spcbrasil",
        "cost_per_query": "9.80",
        "credentials": sandbox_credentials("spcbrasil"),
    }


_POLICY = {
    "validity_days": 20,
    "rules": [{"kind": "score_below", "action": "negar", "score": 300, "reason": "Score baixo"}],
}


def _plan_body(world: World, scope: str) -> dict[str, Any]:
    """A plan covering an overdue invoice of `scope`'s branch."""
    today = timezone.localdate()
    invoice = world.overdue_invoice(scope)
    return {
        "customer": invoice.contract.customer_id,
        "kind": "conciliation",
        "reference": "Termo 12/2026",
        "starts_on": today.isoformat(),
        "ends_on": (today + dt.timedelta(days=365)).isoformat(),
        "removal_on": today.isoformat(),
        "invoices": [invoice.pk],
    }


API = "/api/v1"
Calls = dict[str, Callable[[World, str], Call]]
CALLS: Calls = {
    "branch-list": lambda w, s: listed(w.branches, f"{API}/branches/"),
    "branch-detail": lambda w, s: Call("get", f"{API}/branches/{w.branch(s).pk}/"),
    "branch-create": lambda w, s: Call(
        "post",
        f"{API}/branches/",
        {"name": "Filial Curitiba", "cnpj": cnpj_for(9001), "state": "PR", "city": "Curitiba"},
    ),
    "branch-update": lambda w, s: Call(
        "patch", f"{API}/branches/{w.branch(s).pk}/", {"city": "Campinas"}
    ),
    "customer-list": lambda w, s: listed(w._customers, f"{API}/customers/"),
    "customer-detail": lambda w, s: Call("get", f"{API}/customers/{w.customer(s).pk}/"),
    "customer-create": lambda w, s: Call("post", f"{API}/customers/", _customer_body(w.branch(s))),
    "customer-update": lambda w, s: Call(
        "patch", f"{API}/customers/{w.customer(s).pk}/", {"phone": "11955554444"}
    ),
    "contract-list": lambda w, s: listed(w._contracts, f"{API}/contracts/"),
    "contract-detail": lambda w, s: Call("get", f"{API}/contracts/{w.contract(s).pk}/"),
    "contract-create": lambda w, s: Call("post", f"{API}/contracts/", _contract_body(w, s)),
    "contract-update": lambda w, s: Call(
        "patch", f"{API}/contracts/{w.contract(s).pk}/", {"plan": "Fibra 1 Giga"}
    ),
    "invoice-list": lambda w, s: listed(w._invoices, f"{API}/invoices/"),
    "invoice-detail": lambda w, s: Call("get", f"{API}/invoices/{w.invoice(s).pk}/"),
    "invoice-create": lambda w, s: Call("post", f"{API}/invoices/", _invoice_body(w, s)),
    "invoice-update": lambda w, s: Call(
        "patch", f"{API}/invoices/{w.invoice(s).pk}/", {"disputed": True}
    ),
    "invoice-pay": lambda w, s: Call(
        "post",
        f"{API}/invoices/{w.invoice(s).pk}/pay/",
        {"paid_at": timezone.localdate().isoformat(), "amount": "129.90"},
    ),
    "lead-list": lambda w, s: listed(w._leads, f"{API}/leads/"),
    "lead-detail": lambda w, s: Call("get", f"{API}/leads/{w.lead(s).pk}/"),
    "lead-create": lambda w, s: Call(
        "post", f"{API}/leads/", {"name": "Paulo Mendes", "branch": w.branch(s).pk}
    ),
    "lead-update": lambda w, s: Call(
        "patch", f"{API}/leads/{w.lead(s).pk}/", {"phone": "11955554444"}
    ),
    "prospect-list": lambda w, s: listed(w._prospects, f"{API}/prospects/"),
    "prospect-detail": lambda w, s: Call("get", f"{API}/prospects/{w.prospect(s).pk}/"),
    "prospect-create": lambda w, s: Call(
        "post", f"{API}/prospects/", {"name": "Rita Campos", "branch": w.branch(s).pk}
    ),
    "prospect-update": lambda w, s: Call(
        "patch", f"{API}/prospects/{w.prospect(s).pk}/", {"phone": "11955554444"}
    ),
    "integration-list": lambda w, s: listed(w.integrations, f"{API}/branch-integrations/"),
    "integration-detail": lambda w, s: Call(
        "get", f"{API}/branch-integrations/{w.integration(s).pk}/"
    ),
    "integration-create": lambda w, s: Call(
        "post", f"{API}/branch-integrations/", _integration_body(w, s)
    ),
    "integration-update": lambda w, s: Call(
        "patch", f"{API}/branch-integrations/{w.integration(s).pk}/", {"cost_per_query": "7.50"}
    ),
    "integration-test": lambda w, s: Call(
        "post", f"{API}/branch-integrations/{w.integration(s).pk}/test/"
    ),
    "integration-sync": lambda w, s: Call(
        "post", f"{API}/branch-integrations/{w.integration(s).pk}/sync-products/"
    ),
    "negativation-list": lambda w, s: listed(w._negativations, f"{API}/negativations/"),
    "negativation-detail": lambda w, s: Call("get", f"{API}/negativations/{w.negativation(s).pk}/"),
    "negativation-create": lambda w, s: Call(
        "post", f"{API}/negativations/", {"invoice": w.overdue_invoice(s).pk}
    ),
    "negativation-remove": lambda w, s: Call(
        "post", f"{API}/negativations/{w.negativation(s).pk}/remove/", {"reason": "paid"}
    ),
    "credit-policy-list": lambda w, s: listed(w._policies, f"{API}/credit-policies/"),
    "credit-policy-detail": lambda w, s: Call("get", f"{API}/credit-policies/{w.policy(s).pk}/"),
    "credit-policy-create": lambda w, s: Call(
        "post", f"{API}/credit-policies/", {"branch": w.branch(s).pk, "version": _POLICY}
    ),
    "credit-policy-update": lambda w, s: Call(
        "put", f"{API}/credit-policies/{w.policy(s).pk}/", {"version": _POLICY}
    ),
    "credit-policy-versions": lambda w, s: Call(
        "get", f"{API}/credit-policies/{w.policy(s).pk}/versions/"
    ),
    "notice-consent-list": lambda w, s: listed(w._consents, f"{API}/notice-consents/"),
    "notice-consent-detail": lambda w, s: Call("get", f"{API}/notice-consents/{w.consent(s).pk}/"),
    "notice-consent-create": lambda w, s: Call(
        "post",
        f"{API}/notice-consents/",
        {
            "customer": w.customer(s).pk,
            "channel": "sms",
            "given_on": timezone.localdate().isoformat(),
            "source": "Portal do assinante",
        },
    ),
    "notice-consent-revoke": lambda w, s: Call(
        "post",
        f"{API}/notice-consents/{w.consent(s).pk}/revoke/",
        {"revoked_on": timezone.localdate().isoformat()},
    ),
    "notice-list": lambda w, s: listed(w._notices, f"{API}/notices/"),
    "notice-detail": lambda w, s: Call("get", f"{API}/notices/{w.notice(s).pk}/"),
    "plan-list": lambda w, s: listed(w._plans, f"{API}/repayment-plans/"),
    "plan-detail": lambda w, s: Call("get", f"{API}/repayment-plans/{w.plan(s).pk}/"),
    "plan-create": lambda w, s: Call("post", f"{API}/repayment-plans/", _plan_body(w, s)),
    # The gateway's callback: without its token header, whoever calls it.
    "sms-webhook": lambda w, s: Call("post", f"{API}/webhooks/sms/zenvia/", {"id": "x"}),
    "settings-read": lambda w, s: Call("get", f"{API}/settings/credit-analysis/"),
    "settings-update": lambda w, s: Call(
        "put", f"{API}/settings/credit-analysis/", {"enabled": True, "requery_interval_days": 30}
    ),
    "query-list": lambda w, s: listed(w._queries, f"{API}/credit-queries/"),
    "query-create": lambda w, s: Call(
        "post", f"{API}/credit-queries/", {"document": CLEAN_CPF, "branch": w.branch(s).pk}
    ),
    "query-detail": lambda w, s: Call("get", f"{API}/credit-queries/{w.query(s).pk}/"),
    "query-report-pdf": lambda w, s: Call(
        "get", f"{API}/credit-queries/{w.query(s).pk}/report.pdf"
    ),
    "query-provider-report": lambda w, s: Call(
        "get", f"{API}/credit-queries/{w.query(s).pk}/provider-report"
    ),
    "query-settle-billing": lambda w, s: Call(
        "post", f"{API}/credit-queries/{w.uncertain_query(s).pk}/settle-billing/", {"billed": "no"}
    ),
    "reports-costs": lambda w, s: Call("get", f"{API}/reports/costs/"),
    "lgpd-subject-report": lambda w, s: Call(
        "get", f"{API}/lgpd/subject-report/?document={SMALL_RESTRICTION_CPF}&format=json"
    ),
    "sync-customers": lambda w, s: Call(
        "post",
        f"{API}/sync/customers/",
        {"source": "ixc", "items": [{"external_id": "1", **_customer_body(w.branch(s))}]},
    ),
    "sync-contracts": lambda w, s: Call(
        "post",
        f"{API}/sync/contracts/",
        {"source": "ixc", "items": [{"external_id": "1", **_contract_body(w, s)}]},
    ),
    "sync-invoices": lambda w, s: Call(
        "post",
        f"{API}/sync/invoices/",
        {"source": "ixc", "items": [{"external_id": "1", **_invoice_body(w, s)}]},
    ),
    "webhook-asaas": lambda w, s: Call("post", f"/webhooks/{w.payment_source('asaas')}/", {}),
    "webhook-pix": lambda w, s: Call("post", f"/webhooks/{w.payment_source('pix')}/pix", {}),
    "webhook-signed": lambda w, s: Call("post", f"/webhooks/{w.payment_source('signed')}/", {}),
    "schema": lambda w, s: Call("get", f"{API}/schema/"),
    "docs": lambda w, s: Call("get", f"{API}/docs/"),
}

_ACTIONS = {"list": "view", "detail": "view", "create": "add", "update": "change"}

ROLE_OF = {
    "attendant": Role.ATTENDANT,
    "seller": Role.SELLER,
    "financial": Role.FINANCIAL,
    "administrator": Role.ADMINISTRATOR,
}


def _client(role: str, own: Branch) -> APIClient:
    client = APIClient()
    if role == "anonymous":
        return client
    if role == "administrator":
        user = UserFactory.create(role=Role.ADMINISTRATOR)
    else:
        user = UserFactory.create(role=ROLE_OF.get(role), branches=[own])
    client.force_authenticate(user=User.objects.get(pk=user.pk))
    return client


# The permission each endpoint needs (None: any signed-in user). With the roles table
# (creditcheck/core/roles.py) it says which role must be refused: a 403 in the matrix for a
# role is exactly a permission its row of the table lacks.
ENDPOINT_PERMISSION: dict[str, str | None] = {
    **{f"branch-{a}": f"core.{p}_branch" for a, p in _ACTIONS.items()},
    **{f"customer-{a}": f"customers.{p}_customer" for a, p in _ACTIONS.items()},
    **{f"contract-{a}": f"contracts.{p}_contract" for a, p in _ACTIONS.items()},
    **{f"invoice-{a}": f"contracts.{p}_invoice" for a, p in _ACTIONS.items()},
    "invoice-pay": "contracts.change_invoice",
    **{f"lead-{a}": f"crm.{p}_lead" for a, p in _ACTIONS.items()},
    **{f"prospect-{a}": f"crm.{p}_prospect" for a, p in _ACTIONS.items()},
    **{f"integration-{a}": f"integrations.{p}_branchintegration" for a, p in _ACTIONS.items()},
    "integration-test": "integrations.change_branchintegration",
    "integration-sync": "integrations.change_branchintegration",
    "negativation-list": "negativation.view_negativation",
    "negativation-detail": "negativation.view_negativation",
    "negativation-create": "negativation.include_negativation",
    "negativation-remove": "negativation.remove_negativation",
    **{f"credit-policy-{a}": f"decisions.{p}_creditpolicy" for a, p in _ACTIONS.items()},
    "credit-policy-versions": "decisions.view_creditpolicy",
    "notice-consent-list": "notices.view_notice",
    "notice-consent-detail": "notices.view_notice",
    "notice-consent-create": "notices.record_notice",
    "notice-consent-revoke": "notices.record_notice",
    "notice-list": "notices.view_notice",
    "notice-detail": "notices.view_notice",
    **{f"plan-{a}": f"notices.{p}_repaymentplan" for a, p in _ACTIONS.items() if a != "update"},
    "sms-webhook": None,
    "settings-read": None,
    "settings-update": "integrations.change_creditanalysissettings",
    "query-list": "analysis.view_creditquery",
    "query-create": "analysis.request_creditquery",
    "query-detail": "analysis.view_creditquery",
    "query-report-pdf": "analysis.view_creditquery",
    "query-provider-report": "analysis.view_creditquery",
    "reports-costs": "costs.view_costs",
    "query-settle-billing": "analysis.settle_query_billing",
    "lgpd-subject-report": "core.export_personal_data",
    # A sync adds and changes: it asks both; the one the roles table tells apart is named.
    "sync-customers": "customers.change_customer",
    "sync-contracts": "contracts.add_contract",
    "sync-invoices": "contracts.add_invoice",
    "webhook-asaas": None,
    "webhook-pix": None,
    "webhook-signed": None,
    "schema": None,
    "docs": None,
}


@pytest.mark.parametrize("role", list(ROLE_OF))
def test_matrix_refuses_a_role_exactly_what_the_roles_table_denies_it(role: str) -> None:
    granted = role_permissions(ROLE_OF[role])
    column = ROLES.index(role)
    mismatches = []
    for line in MATRIX.strip().splitlines():
        endpoint, scope, *codes = line.split()
        needed = ENDPOINT_PERMISSION[endpoint]
        refused = codes[column] == "403"
        if refused != (needed is not None and needed not in granted):
            mismatches.append(f"{endpoint} {scope}: {codes[column]}, needs {needed}")
    assert mismatches == []


def test_matrix_covers_every_api_route() -> None:
    from django.urls import URLPattern

    from creditcheck.api_urls import router, urlpatterns

    named = {p.name for p in urlpatterns if isinstance(p, URLPattern)}
    assert named == {
        "api-schema",
        "api-docs",
        "api-token",  # open to anyone by design: tests/core/test_api_tokens.py
        "api-credit-analysis-settings",
        "api-credit-query-list",
        "api-credit-query-detail",
        "api-credit-query-report-pdf",
        "api-credit-query-provider-report",
        "api-credit-query-settle-billing",
        "api-reports-costs",
        "api-lgpd-subject-report",
        "api-sync-customers",
        "api-sync-contracts",
        "api-sync-invoices",
        "api-sms-status-webhook",
    }
    assert sorted(prefix for prefix, _, _ in router.registry) == [
        "branch-integrations",
        "branches",
        "contracts",
        "credit-policies",
        "customers",
        "invoices",
        "leads",
        "negativations",
        "notice-consents",
        "notices",
        "prospects",
        "repayment-plans",
    ]
    from creditcheck.erp.urls import webhook_urlpatterns

    assert {p.name for p in webhook_urlpatterns} == {"receive", "receive_pix"}
    endpoints = {line.split()[0] for line in MATRIX.strip().splitlines()}
    assert endpoints == set(CALLS) == set(ENDPOINT_PERMISSION)


@pytest.mark.parametrize(("endpoint", "scope", "role", "expected"), list(_cases()))
def test_api_authorization(
    endpoint: str,
    scope: str,
    role: str,
    expected: int,
    branch: Branch,
    world: World,
) -> None:
    # Given rows in both branches (the `world` fixture)
    call = CALLS[endpoint](world, "own" if scope == "-" else scope)
    client = _client(role, branch)

    # When the role calls the endpoint
    response = getattr(client, call.method)(call.url, call.body, format="json")

    # Then it answers exactly the expected status
    assert response.status_code == expected, getattr(response, "data", None)
    if expected in (401, 403) and "json" in response.get("Content-Type", ""):
        code = response.json()["code"]
        # The webhooks authenticate the sender by the source's secret, never by a session.
        webhook = ("missing_token", "missing_signature") if endpoint.startswith("webhook-") else ()
        assert code in ("not_authenticated", "permission_denied", *webhook)
    if expected == 200 and call.own_id is not None:
        # and a list shows the own branch's row, and the other branch's to the administrator only
        listed_ids = {row["id"] for row in response.json()["results"]}
        assert call.own_id in listed_ids
        assert (call.other_id in listed_ids) == (role == "administrator")
