"""The LGPD data-subject report: everything done with one CPF/CNPJ, for the person who asks.

LGPD art. 18 (access, confirmation) and art. 19 (full reply within 15 days); CDC art. 43 (data
and sources). One builder, `subject_report`, feeds the JSON (`subject_report_to_dict`) and the
PDF (compliance/exporters.py); `personal_data_export` is the audited entry point of both.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from creditcheck.analysis.enums import QueryStatus
from creditcheck.analysis.models import CreditQuery
from creditcheck.core import documents
from creditcheck.core.audit import audit_record
from creditcheck.core.enums import AuditAction
from creditcheck.core.selectors import branches_for, scope_to_user, user_sees_all_branches
from creditcheck.decisions.models import CreditDecision
from creditcheck.decisions.presenters import decision_sentence, final_sentence, rule_sentence
from creditcheck.decisions.selectors import decision_of
from creditcheck.negativation.enums import NegativationStatus
from creditcheck.negativation.models import Negativation, NegativationEvent
from providers import registry

LEGAL_BASIS = (
    "Tratamento para a proteção do crédito (Lei 13.709/2018 — LGPD, art. 7º, X), sem necessidade "
    "de consentimento; resposta ao titular nos termos dos arts. 18 e 19 da LGPD e do art. 43 do "
    "Código de Defesa do Consumidor."
)
COMPANY_NOTE = (
    "A LGPD protege dados de pessoas naturais (art. 1º e art. 5º, I); para CNPJ este relatório é "
    "fornecido com base no art. 43 do Código de Defesa do Consumidor."
)
DECISION_NOTE = (
    "Cada consulta concluída recebeu uma decisão automática pela política de crédito do provedor. "
    "Abaixo estão os critérios dessa política e os que se aplicaram a você, com os dados lidos. "
    "Você pode pedir a revisão de uma decisão por uma pessoa (LGPD, art. 20)."
)
FORMATS = ("json", "pdf")


def _person(user: Any) -> str:
    if user is None:
        return "Sistema"
    return str(user.get_full_name() or user.get_username())


def _status_label(value: str) -> str:
    return str(NegativationStatus(value).label) if value in NegativationStatus.values else value


@dataclass(frozen=True)
class QueryItem:
    id: int
    at: dt.datetime
    user: str
    branch: str
    purpose: str  # why: who was being consulted from which screen, and any interval override
    platform: str
    product: str
    status: str
    result: str
    score: int | None
    restriction_count: int
    restriction_amount: Decimal
    protocol: str
    restriction_unvalued: int = 0  # of restriction_count, those the platform gave no amount


@dataclass(frozen=True)
class DecisionItem:
    """A credit decision on one query, explained (LGPD art. 20: the criteria used and the
    right to ask for a person's review)."""

    query: int
    decided_at: dt.datetime
    expires_at: dt.datetime
    outcome: str  # the policy's own (automated) outcome
    state: str  # the decision in force, or "Expirada"
    summary: str  # "Revisão manual: score 520 entre 300 e 599"
    reasons: list[str]  # every criterion that applied, with what was read
    missing: list[str]  # what the result lacked to decide
    review: str  # the reviewer's decision, "" when none
    policy: str  # "Padrão da empresa, versão 3"
    criteria: list[str]  # every rule of that policy version, in order


@dataclass(frozen=True)
class EventItem:
    at: dt.datetime
    from_status: str
    to_status: str
    user: str
    message: str


@dataclass(frozen=True)
class NegativationItem:
    id: int
    created_at: dt.datetime
    branch: str
    platform: str
    invoice: int
    amount: Decimal
    due_date: dt.date
    status: str
    requested_by: str
    active_at: dt.datetime | None
    removal_reason: str
    removal_deadline: dt.date | None
    removed_at: dt.datetime | None
    history: list[EventItem]


@dataclass(frozen=True)
class SubjectReport:
    document: str
    document_kind: str  # "cpf" | "cnpj"
    name: str
    generated_at: dt.datetime
    generated_by: str
    branches: list[str] | None  # None: every branch (the requester sees them all)
    legal_basis: str
    queries: list[QueryItem]
    negativations: list[NegativationItem]
    decisions: list[DecisionItem] = field(default_factory=list)

    @property
    def document_formatted(self) -> str:
        return documents.format(self.document)


def _purpose(query: CreditQuery) -> str:
    purpose = f"Análise de crédito ({query.get_subject_type_display()})"
    if query.override_reason:
        purpose += f"; consulta antes do intervalo: {query.override_reason}"
    return purpose


def _result(query: CreditQuery) -> str:
    if query.status != QueryStatus.SUCCEEDED:
        detail = query.get_refusal_code_display() or query.error_message
        label = str(query.get_status_display())
        return f"{label}: {detail}" if detail else label
    return "Constam restrições" if query.has_restrictions else "Nada consta"


def _query_item(query: CreditQuery) -> QueryItem:
    return QueryItem(
        id=query.pk,
        at=query.created_at,
        user=_person(query.user),
        branch=query.branch.name,
        purpose=_purpose(query),
        platform=registry.trade_name(query.platform),
        product=query.product,
        status=str(query.get_status_display()),
        result=_result(query),
        score=query.score,
        restriction_count=query.restriction_count,
        restriction_amount=query.restriction_amount,
        protocol=query.protocol,
        restriction_unvalued=query.restriction_unvalued,
    )


def _decision_item(decision: CreditDecision) -> DecisionItem:
    version = decision.version
    return DecisionItem(
        query=decision.query_id,
        decided_at=decision.decided_at,
        expires_at=decision.expires_at,
        outcome=str(decision.get_outcome_display()),
        state=str(decision.state_display),
        summary=decision_sentence(decision),
        reasons=[
            f"{r.get('reason', '')}: {r.get('fact', '')}"
            for r in decision.reasons
            if isinstance(r, dict)
        ],
        missing=[str(m.get("lacking", "")) for m in decision.missing if isinstance(m, dict)],
        review=final_sentence(decision),
        policy=f"{version.policy.scope_name}, versão {version.number}",
        criteria=[rule_sentence(rule) for rule in version.parsed_rules],
    )


def _negativation_item(negativation: Negativation) -> NegativationItem:
    return NegativationItem(
        id=negativation.pk,
        created_at=negativation.created_at,
        branch=negativation.branch.name,
        platform=registry.trade_name(negativation.platform),
        invoice=negativation.invoice_id,
        amount=negativation.amount,
        due_date=negativation.due_date,
        status=str(negativation.get_status_display()),
        requested_by=_person(negativation.requested_by),
        active_at=negativation.active_at,
        removal_reason=str(negativation.get_removal_reason_display()),
        removal_deadline=negativation.removal_deadline,
        removed_at=negativation.removed_at,
        history=[
            EventItem(
                at=event.at,
                from_status=_status_label(event.from_status) if event.from_status else "",
                to_status=_status_label(event.to_status),
                user=_person(event.user),
                message=event.message,
            )
            for event in negativation.events.all()
        ],
    )


def subject_report(*, document: str, user: Any) -> SubjectReport:
    """What `user`'s branches did with `document` (admins: every branch). Reads only.

    Raises documents.InvalidDocumentError (pt-BR message) for an invalid CPF/CNPJ.
    """
    normalized = documents.validate(document)
    queries = (
        scope_to_user(CreditQuery.objects.filter(document=normalized), user)
        .select_related("branch", "user", "decision__version__policy__branch", "decision__final_by")
        .order_by("created_at", "id")
    )
    negativations = (
        scope_to_user(Negativation.objects.filter(document=normalized), user)
        .select_related("branch", "requested_by", "customer")
        .prefetch_related(
            Prefetch(
                "events",
                queryset=NegativationEvent.objects.select_related("user").order_by("at", "id"),
            )
        )
        .order_by("created_at", "id")
    )
    query_rows = list(queries)
    negativation_rows = list(negativations)
    names = [q.subject_name for q in reversed(query_rows) if q.subject_name]
    names += [n.customer.name for n in negativation_rows]
    kind = documents.kind(normalized) or "cpf"
    return SubjectReport(
        document=normalized,
        document_kind=kind,
        name=names[0] if names else "",
        generated_at=timezone.now(),
        generated_by=_person(user),
        branches=(
            None
            if user_sees_all_branches(user)
            else list(branches_for(user).values_list("name", flat=True))
        ),
        legal_basis=LEGAL_BASIS if kind == "cpf" else f"{LEGAL_BASIS} {COMPANY_NOTE}",
        queries=[_query_item(q) for q in query_rows],
        negativations=[_negativation_item(n) for n in negativation_rows],
        decisions=[_decision_item(d) for q in query_rows if (d := decision_of(q)) is not None],
    )


def _iso(value: dt.datetime | dt.date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat()
    return value.isoformat()


def subject_report_to_dict(report: SubjectReport) -> dict[str, Any]:
    """The JSON shape of the report: dates ISO 8601 (America/Sao_Paulo), amounts as strings."""
    return {
        "document": report.document,
        "document_formatted": report.document_formatted,
        "document_kind": report.document_kind,
        "name": report.name,
        "generated_at": _iso(report.generated_at),
        "generated_by": report.generated_by,
        "branches": report.branches,
        "legal_basis": report.legal_basis,
        "decision_note": DECISION_NOTE if report.decisions else "",
        "queries": [
            {
                "id": q.id,
                "at": _iso(q.at),
                "user": q.user,
                "branch": q.branch,
                "purpose": q.purpose,
                "platform": q.platform,
                "product": q.product,
                "status": q.status,
                "result": q.result,
                "score": q.score,
                "restriction_count": q.restriction_count,
                "restriction_amount": str(q.restriction_amount),
                "protocol": q.protocol,
            }
            for q in report.queries
        ],
        "decisions": [
            {
                "query": d.query,
                "decided_at": _iso(d.decided_at),
                "expires_at": _iso(d.expires_at),
                "outcome": d.outcome,
                "state": d.state,
                "summary": d.summary,
                "reasons": d.reasons,
                "missing": d.missing,
                "review": d.review,
                "policy": d.policy,
                "criteria": d.criteria,
            }
            for d in report.decisions
        ],
        "negativations": [
            {
                "id": n.id,
                "created_at": _iso(n.created_at),
                "branch": n.branch,
                "platform": n.platform,
                "invoice": n.invoice,
                "amount": str(n.amount),
                "due_date": _iso(n.due_date),
                "status": n.status,
                "requested_by": n.requested_by,
                "active_at": _iso(n.active_at),
                "removal_reason": n.removal_reason,
                "removal_deadline": _iso(n.removal_deadline),
                "removed_at": _iso(n.removed_at),
                "history": [
                    {
                        "at": _iso(e.at),
                        "from_status": e.from_status,
                        "to_status": e.to_status,
                        "user": e.user,
                        "message": e.message,
                    }
                    for e in n.history
                ],
            }
            for n in report.negativations
        ],
    }


def personal_data_export(
    *, document: str, user: Any, ip_address: str | None, export_format: str
) -> SubjectReport:
    """Build the report for a download and record the export in the audit trail.

    Side effect: one AuditAction.PERSONAL_DATA_EXPORT entry (who, IP, document, format, counts).
    Raises documents.InvalidDocumentError before recording anything for an invalid document.
    """
    report = subject_report(document=document, user=user)
    audit_record(
        action=AuditAction.PERSONAL_DATA_EXPORT,
        user=user,
        ip_address=ip_address,
        document=report.document,
        outcome=f"relatório do titular ({export_format.upper()})",
        details={
            "format": export_format,
            "queries": len(report.queries),
            "negativations": len(report.negativations),
        },
    )
    return report
