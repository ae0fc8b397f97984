"""The identity divergence rule: the bureau's name, birth date and mother's name against our
record, tolerant of accents, case, spacing, particles and abbreviations; then the same rule on
stored queries and on real answers of the four platforms' sandboxes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User

from creditcheck.analysis.enums import QueryStatus, SubjectType
from creditcheck.analysis.identity import (
    IdentityDivergence,
    OurIdentity,
    divergences_between,
    identity_divergences,
    names_agree,
)
from creditcheck.analysis.models import CreditQuery
from creditcheck.analysis.services import credit_query_request
from creditcheck.analysis.subjects import subject_from_customer
from creditcheck.core.models import Branch
from providers import registry
from providers.base import Identity, PersonType
from providers.sandbox.scenarios import (
    CLEAN_CPF,
    IDENTITY_DIVERGENCE_CNPJ,
    IDENTITY_DIVERGENCE_CPF,
    IDENTITY_RECORDS,
    subject_for,
)
from providers.sandbox.server import RunningSandbox
from tests.credit_setup import connect_branch, enable_credit_analysis
from tests.factories import CustomerFactory, LeadFactory, ProspectFactory

DIVERGENT_CPF, DIVERGENT_CNPJ = IDENTITY_DIVERGENCE_CPF, IDENTITY_DIVERGENCE_CNPJ


@pytest.mark.parametrize(
    ("ours", "bureau", "agree"),
    [
        ("Maria Aparecida da Silva", "MARIA APARECIDA DA SILVA", True),
        ("MARIA A. DA SILVA", "Maria Aparecida da Silva", True),
        ("Maria Aparecida da Silva", "MARIA A DA SILVA", True),
        ("M. Aparecida Silva", "MARIA APARECIDA DA SILVA", True),
        ("  josé   da  conceição ", "JOSE DA CONCEICAO", True),
        ("João dos Santos", "JOAO SANTOS", True),
        ("Ana Paula de Souza Lima", "ANA PAULA LIMA", True),  # a middle name left out
        ("Ana", "ANA PAULA LIMA", True),  # a first name only: nothing to contradict
        ("Sebastião D'Ávila", "SEBASTIAO DAVILA", True),
        ("Pedro Álvares Júnior", "PEDRO ALVARES JR", True),
        ("Maria Aparecida da Silva", "MARIA APARECIDA DA SOUZA", False),
        ("Roberta Carla de Oliveira", "ROBERTO CARLOS DE OLIVEIRA", False),
        ("João da Silva", "JOAO DA SILVA FILHO", False),  # father and son
        ("MARIA A. DA S.", "MARIA APARECIDA DA SILVA", False),  # the surname must be whole
        ("Mariana Silva", "MARIA SILVA", False),
        ("Maria Aparecida", "MARIA APARECIDA DA SILVA", False),
        ("Maria Beatriz Silva", "MARIA APARECIDA SILVA", False),
    ],
)
def test_names_agree_for_a_person(ours: str, bureau: str, agree: bool) -> None:
    assert names_agree(ours, bureau) is agree


@pytest.mark.parametrize(
    ("ours", "bureau", "agree"),
    [
        ("Comércio Exemplo Ltda", "COMERCIO EXEMPLO LTDA", True),
        ("Comércio Exemplo Ltda.", "COMERCIO EXEMPLO LTDA - ME", True),
        ("Indústria Amostra S.A.", "INDUSTRIA AMOSTRA SA", True),
        ("Indústria Amostra S/A", "INDUSTRIA AMOSTRA", True),
        ("Beta Distribuidora de Bebidas Ltda", "ALFA COMERCIO DE ALIMENTOS LTDA", False),
        ("Padaria Pão Dourado", "PADARIA PAO DOURADO SILVA LTDA", False),
    ],
)
def test_names_agree_for_a_company(ours: str, bureau: str, agree: bool) -> None:
    assert names_agree(ours, bureau, company=True) is agree


BUREAU_PERSON = Identity(
    "MARIA APARECIDA DA SILVA",
    CLEAN_CPF,
    PersonType.PERSON,
    birth_date=dt.date(1980, 3, 15),
    mother_name="JOANA DE SOUZA",
)


@pytest.mark.parametrize(
    ("ours", "fields"),
    [
        (OurIdentity("Maria A. da Silva", dt.date(1980, 3, 15), "Joana Souza"), []),
        (OurIdentity("Maria Aparecida da Silva"), []),  # no birth date, no mother: not compared
        (OurIdentity("", dt.date(1980, 3, 15)), []),  # no name on our side
        (OurIdentity("Maria da Silva", dt.date(1980, 3, 16)), ["birth_date"]),
        (OurIdentity("Maria Souza", None, "Joana de Souza"), ["name"]),
        (
            OurIdentity("Mariana Lima", dt.date(1981, 3, 15), "Rosa Lima"),
            ["name", "birth_date", "mother_name"],
        ),
    ],
)
def test_divergences_between_compares_only_what_both_sides_have(
    ours: OurIdentity, fields: list[str]
) -> None:
    assert [d.field for d in divergences_between(ours, BUREAU_PERSON)] == fields


def test_divergences_between_a_bureau_without_the_fields_finds_none() -> None:
    bureau = Identity("", CLEAN_CPF, PersonType.PERSON)

    ours = OurIdentity("Mariana Lima", dt.date(1981, 3, 15), "Rosa Lima")

    assert divergences_between(ours, bureau) == []


def test_divergence_carries_labels_and_values_as_staff_read_them() -> None:
    ours = OurIdentity("Mariana Lima ", dt.date(1981, 3, 15), "Rosa Lima")

    found = divergences_between(ours, BUREAU_PERSON)

    assert found == [
        IdentityDivergence("name", "Nome", "Mariana Lima", "MARIA APARECIDA DA SILVA"),
        IdentityDivergence("birth_date", "Data de nascimento", "1981-03-15", "1980-03-15"),
        IdentityDivergence("mother_name", "Nome da mãe", "Rosa Lima", "JOANA DE SOUZA"),
    ]
    assert found[1].message == (
        "Data de nascimento: no cadastro “15/03/1981”, na plataforma “15/03/1980”"
    )


def test_company_compares_the_razao_social_only() -> None:
    bureau = Identity(
        "ALFA COMERCIO LTDA", DIVERGENT_CNPJ, PersonType.COMPANY, birth_date=dt.date(2008, 3, 17)
    )

    found = divergences_between(OurIdentity("Beta Bebidas Ltda", dt.date(2001, 1, 1)), bureau)

    assert found == [
        IdentityDivergence("name", "Razão social", "Beta Bebidas Ltda", "ALFA COMERCIO LTDA")
    ]


# --- Stored queries ---------------------------------------------------------------------------

REPORT = {
    "identity": {
        "name": "ROBERTO CARLOS DE OLIVEIRA",
        "document": DIVERGENT_CPF,
        "person_type": "F",
        "birth_date": "1979-06-02",
        "mother_name": "HELENA MARIA DE OLIVEIRA",
        "receita_situation": "REGULAR",
    }
}


@pytest.mark.django_db
def test_identity_divergences_of_a_customer_query_reads_the_record(branch: Branch) -> None:
    customer = CustomerFactory.create(
        branch=branch,
        document=DIVERGENT_CPF,
        name="Roberto C. de Oliveira",
        birth_date=dt.date(1979, 2, 6),
        mother_name="Helena Maria Oliveira",
    )
    query = CreditQuery(
        subject_type=SubjectType.CUSTOMER, customer=customer, document=DIVERGENT_CPF, report=REPORT
    )

    assert [(d.field, d.ours, d.bureau) for d in identity_divergences(query)] == [
        ("birth_date", "1979-02-06", "1979-06-02")
    ]


@pytest.mark.django_db
def test_identity_divergences_of_lead_and_prospect_compare_the_name(branch: Branch) -> None:
    lead = LeadFactory.create(branch=branch, name="Roberta Oliveira")
    prospect = ProspectFactory.create(branch=branch, name="Roberto Carlos Oliveira")

    lead_query = CreditQuery(subject_type=SubjectType.LEAD, lead=lead, report=REPORT)
    prospect_query = CreditQuery(
        subject_type=SubjectType.PROSPECT, prospect=prospect, report=REPORT
    )

    assert [d.field for d in identity_divergences(lead_query)] == ["name"]
    assert identity_divergences(prospect_query) == []


def test_identity_divergences_without_a_record_or_a_result_are_none() -> None:
    bare = CreditQuery(subject_type=SubjectType.DOCUMENT, document=DIVERGENT_CPF, report=REPORT)
    pending = CreditQuery(subject_type=SubjectType.DOCUMENT, document=DIVERGENT_CPF)

    assert identity_divergences(bare) == []
    assert identity_divergences(pending) == []


# --- Real answers of every platform ----------------------------------------------------------


def _consult_customer(user: User, branch: Branch, document: str, **record: object) -> CreditQuery:
    customer = CustomerFactory.create(branch=branch, document=document, **record)
    subject = subject_from_customer(customer)
    outcome = credit_query_request(subject=subject, branch=branch, user=user)
    query = CreditQuery.objects.get(pk=outcome.query.pk)
    assert query.status == QueryStatus.SUCCEEDED, query.error_message
    return query


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("platform", registry.all_keys())
def test_every_platform_answers_the_divergent_identity_scenario(
    platform: str, attendant: User, branch: Branch, sandbox: RunningSandbox
) -> None:
    enable_credit_analysis()
    connect_branch(branch, sandbox, platform)
    record = IDENTITY_RECORDS[DIVERGENT_CPF]

    query = _consult_customer(
        attendant,
        branch,
        DIVERGENT_CPF,
        name=record.name,
        birth_date=record.birth_date,
        mother_name=record.mother_name,
    )

    bureau = subject_for(DIVERGENT_CPF)
    assert [(d.field, d.ours, d.bureau) for d in identity_divergences(query)] == [
        ("name", "Roberta Carla de Oliveira", bureau.name),
        ("birth_date", "1979-02-06", "1979-06-02"),
    ]


@pytest.mark.django_db(transaction=True)
def test_a_record_that_agrees_with_the_bureau_has_no_divergence(
    attendant: User, branch: Branch, sandbox: RunningSandbox
) -> None:
    enable_credit_analysis()
    connect_branch(branch, sandbox, "spcbrasil")
    bureau = subject_for(CLEAN_CPF)

    query = _consult_customer(
        attendant,
        branch,
        CLEAN_CPF,
        name=bureau.name.title(),
        birth_date=bureau.birth_date,
        mother_name=bureau.mother_name.lower(),
    )

    assert identity_divergences(query) == []


@pytest.mark.django_db(transaction=True)
def test_company_scenario_diverges_on_the_razao_social(
    attendant: User, branch: Branch, sandbox: RunningSandbox
) -> None:
    enable_credit_analysis()
    connect_branch(branch, sandbox, "soawebservice")
    record = IDENTITY_RECORDS[DIVERGENT_CNPJ]

    query = _consult_customer(
        attendant, branch, DIVERGENT_CNPJ, company=True, name=record.name, birth_date=None
    )

    assert [(d.label, d.ours, d.bureau) for d in identity_divergences(query)] == [
        ("Razão social", record.name, "ALFA COMERCIO DE ALIMENTOS LTDA")
    ]
