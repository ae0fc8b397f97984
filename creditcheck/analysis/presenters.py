"""Turn a stored query into what screens and the PDF show (labels, groups, gauge)."""

import datetime as dt
import math
from decimal import Decimal
from typing import Any

from creditcheck.analysis.enums import IN_FLIGHT
from creditcheck.analysis.identity import identity_divergences
from creditcheck.analysis.models import CreditQuery
from creditcheck.core.fields import format_cep
from creditcheck.core.formatting import EMPTY, money, phone
from providers import registry
from providers.base import (
    RESTRICTION_KIND_LABELS,
    Address,
    BureauCode,
    CreditReport,
    KindTotal,
    PersonType,
    Restriction,
    RestrictionKind,
)
from providers.codec import report_from_dict

# Sections of the result screen and the PDF, in the order staff read them.
SECTIONS: tuple[tuple[str, tuple[RestrictionKind, ...]], ...] = (
    (
        "Pendências e restrições financeiras",
        (RestrictionKind.PEFIN, RestrictionKind.REFIN, RestrictionKind.SPC, RestrictionKind.OTHER),
    ),
    ("Protestos", (RestrictionKind.PROTESTO,)),
    ("Cheques sem fundo", (RestrictionKind.CHEQUE,)),
    ("Ações judiciais e falências", (RestrictionKind.ACAO, RestrictionKind.FALENCIA)),
)


def score_gauge(value: int | None) -> dict[str, Any] | None:
    """Geometry of a half-circle gauge (0..1000) drawn as inline SVG."""
    if value is None:
        return None

    ratio = max(0, min(value, 1000)) / 1000
    angle = math.pi * (1 - ratio)
    x = 100 + 80 * math.cos(angle)
    y = 100 - 80 * math.sin(angle)
    color = (
        "#c0392b"
        if value < 300
        else "#e67e22"
        if value < 500
        else "#f1c40f"
        if value < 700
        else "#27ae60"
    )
    return {
        "value": value,
        "x": round(x, 1),
        "y": round(y, 1),
        "color": color,
        "large_arc": 0,
        "percent": round(ratio * 100),
    }


UNKNOWN_AMOUNT = "valor não informado"


def amount_summary(amount: Decimal, count: int, unvalued: int) -> str:
    """What `count` occurrences add up to, honest about those the platform gave no value:
    "R$ 1.234,56", "valor não informado", "R$ 1.234,56 (2 sem valor informado)"."""
    if count and unvalued >= count:
        return UNKNOWN_AMOUNT
    shown = money(amount)
    return f"{shown} ({unvalued} sem valor informado)" if unvalued else shown


def coded(code: BureauCode | None) -> str:
    """A bureau code with its description, the raw code beside it: "12 - Cheque sem fundos"."""
    if code is None:
        return ""
    if code.code and code.description:
        return f"{code.code} - {code.description}"
    return code.code or code.description


def restriction_facts(r: Restriction) -> list[tuple[str, str]]:
    """What an occurrence details beyond its columns, labelled, in the order staff read it."""
    typed = [
        ("Natureza", coded(r.nature)),
        ("Banco", r.bank),
        ("Agência", r.agency),
        ("Conta", r.account),
        ("Cheque nº", r.cheque_number),
        ("Alínea", coded(r.alinea)),
        ("Cartório", r.notary_office),
        ("Vara", r.court),
    ]
    return [(label, value) for label, value in typed if value] + [
        (d.label, d.value) for d in r.details
    ]


def _unvalued(totals: list[KindTotal], rows: list[Restriction]) -> int:
    # Reports stored before totals counted them: the detailed rows without an amount tell.
    return max(sum(t.unvalued for t in totals), sum(1 for r in rows if r.amount is None))


def _address(a: Address) -> str:
    street = ", ".join(p for p in (a.street, a.number, a.complement) if p)
    place = "/".join(p for p in (a.city, a.state) if p)
    cep = f"CEP {format_cep(a.cep)}" if a.cep else ""
    return " - ".join(p for p in (street, a.district, place, cep) if p)


def identity_facts(report: CreditReport, *, fallback_name: str = "") -> list[tuple[str, str]]:
    """The "Dados cadastrais" of the consulted: a company's (CNPJ) fields or a person's.

    The essential ones show "—" when the platform left them blank; the others only when sent.
    """
    identity, company = report.identity, report.company
    name = identity.name or fallback_name
    born = identity.birth_date.strftime("%d/%m/%Y") if identity.birth_date else ""
    if identity.person_type is PersonType.COMPANY:
        situation = identity.receita_situation
        if situation and company is not None and company.situation_on:
            situation = f"{situation} desde {company.situation_on:%d/%m/%Y}"
        facts = [
            ("Razão social", name),
            ("Nome fantasia", company.trade_name if company else ""),
            ("Fundação", born),
            ("Situação na Receita", situation),
            ("Natureza jurídica", coded(company.legal_nature) if company else ""),
            ("CNAE principal", coded(company.main_activity) if company else ""),
            (
                "CNAE secundários",
                "; ".join(coded(c) for c in company.secondary_activities) if company else "",
            ),
            (
                "Capital social",
                money(company.capital) if company and company.capital is not None else "",
            ),
            ("Inscrição estadual", company.state_registration if company else ""),
            ("Matriz/filial", company.headquarters if company else ""),
        ]
    else:
        facts = [
            ("Nome", name),
            ("Nascimento", born),
            ("Nome da mãe", identity.mother_name),
            ("Situação na Receita", identity.receita_situation),
        ]
    facts += [("Endereço", _address(a)) for a in report.addresses]
    facts += [
        ("Telefones", ", ".join(phone(number) for number in report.phones)),
        ("E-mails", ", ".join(report.emails)),
    ]
    essential = {"Razão social", "Nome", "Fundação", "Nascimento", "Nome da mãe"}
    essential.add("Situação na Receita")
    return [(label, value or EMPTY) for label, value in facts if value or label in essential]


def screen_state(query: CreditQuery) -> str:
    """What the result screen shows of the query's status: pending and running look alike
    ("Consultando SPC Brasil…"), so the screen changes when waiting ends or the query finishes."""
    return "running" if query.status in IN_FLIGHT else str(query.status)


def progress_context(query: CreditQuery, now: dt.datetime) -> dict[str, Any]:
    """The progress card of an unfinished query: its platform and the seconds since it was asked."""
    return {
        "query": query,
        "platform_name": registry.trade_name(query.platform),
        "screen_state": screen_state(query),
        "elapsed_seconds": max(0, int((now - query.created_at).total_seconds())),
    }


def report_context(query: CreditQuery) -> dict[str, Any]:
    """Everything a result view or the PDF needs about one query."""
    context: dict[str, Any] = {
        "query": query,
        "report": None,
        "sections": [],
        "gauge": None,
        "platform_name": registry.trade_name(query.platform),
    }
    if not query.report:
        return context
    report = report_from_dict(query.report)
    sections = []
    for title, kinds in SECTIONS:
        rows = [r for r in report.restrictions if r.kind in kinds]
        totals = [t for t in report.totals if t.kind in kinds]
        count = sum(t.count for t in totals)
        amount = sum((t.amount for t in totals), Decimal("0"))
        sections.append(
            {
                "title": title,
                "rows": [
                    {
                        "kind": RESTRICTION_KIND_LABELS[r.kind],
                        "r": r,
                        "amount": money(r.amount) if r.amount is not None else UNKNOWN_AMOUNT,
                        "facts": restriction_facts(r),
                    }
                    for r in rows
                ],
                "count": count,
                "amount": amount,
                "amount_text": amount_summary(amount, count, _unvalued(totals, rows)),
            }
        )
    total_count = sum(t.count for t in report.totals)
    context.update(
        report=report,
        sections=sections,
        gauge=score_gauge(report.score.value if report.score else None),
        total_amount=report.total_amount,
        total_count=total_count,
        total_amount_text=amount_summary(
            report.total_amount,
            total_count,
            _unvalued(list(report.totals), list(report.restrictions)),
        ),
        identity_facts=identity_facts(report, fallback_name=query.subject_name),
        other_information=report.other_information,
        identity_divergences=identity_divergences(query),
        generated_on=dt.date.today(),
    )
    return context
