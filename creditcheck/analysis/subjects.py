"""Who is being consulted: a customer, a lead, a prospect or a bare CPF/CNPJ."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from creditcheck.analysis.enums import SubjectType
from creditcheck.analysis.models import CreditQuery
from creditcheck.core import documents
from creditcheck.crm.models import Lead, Prospect
from creditcheck.customers.models import Customer


@dataclass(frozen=True)
class Subject:
    subject_type: SubjectType
    document: str  # as typed or stored; validated by the query service
    name: str = ""
    customer: Customer | None = None
    lead: Lead | None = None
    prospect: Prospect | None = None
    birth_date: dt.date | None = None
    mother_name: str = ""
    state: str = ""
    cep: str = ""

    @property
    def record(self) -> Any:
        return self.customer or self.lead or self.prospect

    @property
    def branch_id(self) -> int | None:
        record = self.record
        return record.branch_id if record is not None else None


def _subject_from_record(subject_type: SubjectType, record: Any, **link: Any) -> Subject:
    """The subject of a stored record, with as much of birth date, UF and CEP as the record
    holds: a customer all three (and the mother's name), a prospect its address, a lead none."""
    return Subject(
        subject_type,
        record.document,
        record.name,
        **link,
        birth_date=getattr(record, "birth_date", None),
        mother_name=getattr(record, "mother_name", ""),
        state=getattr(record, "state", ""),
        cep=getattr(record, "cep", ""),
    )


def subject_from_customer(customer: Customer) -> Subject:
    return _subject_from_record(SubjectType.CUSTOMER, customer, customer=customer)


def subject_from_lead(lead: Lead) -> Subject:
    return _subject_from_record(SubjectType.LEAD, lead, lead=lead)


def subject_from_prospect(prospect: Prospect) -> Subject:
    return _subject_from_record(SubjectType.PROSPECT, prospect, prospect=prospect)


def subject_from_document(document: str) -> Subject:
    return Subject(SubjectType.DOCUMENT, documents.normalize(document))


def subject_of(query: CreditQuery) -> Subject:
    """Who a stored query consults, read again from its customer, lead or prospect (the record
    as it is now; a bare document, or a record deleted since, gives the document alone)."""
    if query.customer is not None:
        return subject_from_customer(query.customer)
    if query.lead is not None:
        return subject_from_lead(query.lead)
    if query.prospect is not None:
        return subject_from_prospect(query.prospect)
    return subject_from_document(query.document)
