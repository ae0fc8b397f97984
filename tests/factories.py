"""factory-boy factories, one per model; every generated CPF/CNPJ is valid."""

import datetime
from decimal import Decimal
from typing import Any

import factory
from django.contrib.auth.models import Group, User

from creditcheck.analysis.enums import SubjectType
from creditcheck.analysis.models import CreditQuery
from creditcheck.contracts.enums import ContractStatus, InvoiceStatus
from creditcheck.contracts.models import Contract, Invoice
from creditcheck.core import documents
from creditcheck.core.enums import PersonType, Role, State
from creditcheck.core.models import Branch
from creditcheck.crm.enums import LeadSource, ProspectStage
from creditcheck.crm.models import Lead, Prospect
from creditcheck.customers.enums import CustomerStatus
from creditcheck.customers.models import Customer
from creditcheck.integrations.models import BranchIntegration
from creditcheck.negativation.enums import NegativationStatus
from creditcheck.negativation.models import Negativation
from providers.sandbox.scenarios import CLEAN_CPF


def cpf_for(n: int) -> str:
    """A valid CPF derived from a sequence number (never all-same digits)."""
    return documents.with_check_digits(f"{(100000001 + n * 7919) % 10**9:09d}")


def cnpj_for(n: int) -> str:
    """A valid numeric CNPJ for a sequence number (branch 0001)."""
    return documents.with_check_digits(f"{(10000001 + n * 104729) % 10**8:08d}0001")


def alphanumeric_cnpj_for(n: int) -> str:
    """A valid alphanumeric CNPJ (IN RFB 2.229/2024) for a sequence number."""
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    root = f"{n % 100:02d}{letters[n % 24]}{letters[(n // 24) % 24]}{(n * 37) % 10000:04d}"
    return documents.with_check_digits(f"{root}0001")


# Every user's password (the sign-in tests type it).
PASSWORD = "senha-de-teste-123"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"usuario{n}")
    first_name = factory.Faker("first_name", locale="pt_BR")
    last_name = factory.Faker("last_name", locale="pt_BR")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def role(obj: User, create: bool, extracted: Role | None, **kwargs: Any) -> None:
        if create and extracted:
            obj.groups.add(Group.objects.get(name=extracted))

    @factory.post_generation
    def branches(obj: User, create: bool, extracted: list[Branch] | None, **kwargs: Any) -> None:
        if create and extracted:
            obj.branches.add(*extracted)


class BranchFactory(factory.django.DjangoModelFactory[Branch]):
    class Meta:
        model = Branch

    name = factory.Sequence(lambda n: f"Filial {n}")
    cnpj = factory.Sequence(cnpj_for)
    state = State.SP
    city = "São Paulo"
    active = True


class CustomerFactory(factory.django.DjangoModelFactory[Customer]):
    class Meta:
        model = Customer

    person_type = PersonType.INDIVIDUAL
    name = factory.Faker("name", locale="pt_BR")
    document = factory.Sequence(cpf_for)
    birth_date = datetime.date(1985, 4, 12)
    mother_name = factory.Faker("name_female", locale="pt_BR")
    cep = "01310100"
    street = "Avenida Paulista"
    number = factory.Sequence(lambda n: str(100 + n))
    complement = ""
    district = "Bela Vista"
    city = "São Paulo"
    state = State.SP
    phone = "11987654321"
    email = factory.Sequence(lambda n: f"cliente{n}@example.com")
    branch = factory.SubFactory(BranchFactory)
    status = CustomerStatus.ACTIVE

    class Params:
        company = factory.Trait(
            person_type=PersonType.COMPANY,
            name=factory.Faker("company", locale="pt_BR"),
            document=factory.Sequence(cnpj_for),
            mother_name="",
            birth_date=datetime.date(2010, 8, 1),
        )
        alphanumeric = factory.Trait(
            person_type=PersonType.COMPANY,
            name=factory.Faker("company", locale="pt_BR"),
            document=factory.Sequence(alphanumeric_cnpj_for),
            mother_name="",
            birth_date=datetime.date(2026, 7, 15),
        )


class ContractFactory(factory.django.DjangoModelFactory[Contract]):
    class Meta:
        model = Contract

    customer = factory.SubFactory(CustomerFactory)
    branch = factory.SelfAttribute("customer.branch")
    plan = "Fibra 300 Mega"
    monthly_amount = Decimal("99.90")
    start_date = datetime.date(2024, 1, 10)
    status = ContractStatus.ACTIVE


class InvoiceFactory(factory.django.DjangoModelFactory[Invoice]):
    class Meta:
        model = Invoice

    contract = factory.SubFactory(ContractFactory)
    number = factory.Sequence(lambda n: f"FAT-{n:06d}")
    amount = factory.SelfAttribute("contract.monthly_amount")
    due_date = datetime.date(2025, 3, 10)
    status = InvoiceStatus.OPEN

    class Params:
        paid = factory.Trait(
            status=InvoiceStatus.PAID,
            paid_at=factory.SelfAttribute("due_date"),
            paid_amount=factory.SelfAttribute("amount"),
        )


class LeadFactory(factory.django.DjangoModelFactory[Lead]):
    class Meta:
        model = Lead

    name = factory.Faker("name", locale="pt_BR")
    document = factory.Sequence(cpf_for)
    phone = "11912345678"
    email = factory.Sequence(lambda n: f"lead{n}@example.com")
    source = LeadSource.WEBSITE
    branch = factory.SubFactory(BranchFactory)


class ProspectFactory(factory.django.DjangoModelFactory[Prospect]):
    class Meta:
        model = Prospect

    name = factory.Faker("name", locale="pt_BR")
    document = factory.Sequence(cpf_for)
    phone = "11912345678"
    email = factory.Sequence(lambda n: f"prospect{n}@example.com")
    source = LeadSource.REFERRAL
    branch = factory.SubFactory(BranchFactory)
    cep = "01310100"
    street = "Rua Augusta"
    number = factory.Sequence(lambda n: str(10 + n))
    district = "Consolação"
    city = "São Paulo"
    state = State.SP
    desired_plan = "Fibra 500 Mega"
    stage = ProspectStage.NEW


class CreditQueryFactory(factory.django.DjangoModelFactory[CreditQuery]):
    """A query stored as is (no platform call): a bare document of SPC Brasil, pending."""

    class Meta:
        model = CreditQuery

    subject_type = SubjectType.DOCUMENT
    document = CLEAN_CPF
    branch = factory.SubFactory(BranchFactory)
    user = factory.SubFactory(UserFactory)
    platform = "spcbrasil"


def negativation_for(
    invoice: Invoice,
    integration: BranchIntegration,
    status: str = NegativationStatus.ACTIVE,
    **fields: Any,
) -> Negativation:
    """A negativação of `invoice` through `integration`, stored as is (no platform call)."""
    return Negativation.objects.create(
        invoice=invoice,
        customer=invoice.contract.customer,
        branch=integration.branch,
        integration=integration,
        platform=integration.platform,
        status=status,
        document=invoice.contract.customer.document,
        amount=invoice.amount,
        due_date=invoice.due_date,
        **fields,
    )
