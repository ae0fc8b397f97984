"""Demo data for `manage.py load_demo`: deterministic and idempotent.

Everything is keyed on natural keys (CNPJ, document, invoice number, username, e-mail), so a
second run finds every row and changes nothing. Dates are relative to the day of the first
run. Names come from a fixed-seed generator; documents come from DEMO_DOCUMENTS, whose first
entries are the sandbox scenario documents (providers/sandbox/scenarios.py), so the demo
customers answer with known credit results; the customers of the identity_divergence scenario
take their record from IDENTITY_RECORDS, which the platforms contradict.
"""

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone

from creditcheck.contracts.enums import ContractStatus, InvoiceStatus
from creditcheck.contracts.models import Contract, Invoice
from creditcheck.core import documents
from creditcheck.core.enums import PersonType, Role, State
from creditcheck.core.models import Branch
from creditcheck.crm.enums import LeadSource, ProspectStage
from creditcheck.crm.models import Lead, Prospect
from creditcheck.customers.enums import CustomerStatus
from creditcheck.customers.models import Customer
from providers.sandbox.scenarios import (
    IDENTITY_DIVERGENCE_CNPJ,
    IDENTITY_DIVERGENCE_CPF,
    IDENTITY_RECORDS,
    subject_for,
)

SEED = 20260701
DEMO_PASSWORD = "demo1234"  # noqa: S105 - printed on purpose: demo accounts only

# Every document the demo uses, in one place. Customers take the first CUSTOMER_COUNT entries;
# leads and prospects the rest.
DEMO_DOCUMENTS: list[str] = [
    # sandbox scenario documents (providers/sandbox/scenarios.py DOCUMENTS)
    "52998224725",  # clean
    "11222333000181",  # clean
    "12345678909",  # small_restriction
    "45212669000185",  # small_restriction
    "98765432100",  # large_restrictions
    "33000167000101",  # large_restrictions
    "11144477735",  # protests_cheques
    "60501038000170",  # protests_cheques
    "39053344705",  # lawsuits
    "19131184000157",  # lawsuits
    "22233344405",  # high_score
    "45678912364",  # low_score
    "12ABC34501DE35",  # company_partners (alphanumeric CNPJ)
    "ABCDEFGH000195",  # company_partners (alphanumeric CNPJ)
    "32165498791",  # platform_error
    "Z1X2C3V4000102",  # platform_error (alphanumeric CNPJ)
    # other customers (the sandbox picks their scenario by a stable hash)
    "22669776795", "58903796403",
    IDENTITY_DIVERGENCE_CPF,  # the platforms' identity is not the record's
    "61080003681", "94286116115",
    "37791634201", "72718484365", "35565167051", "55522567783", "44125216800",
    "31702662179", "56657593333", "67228573366", "50586538933", "18240736157",
    "48182379229", "54612653084", "41262807743", "98701489720", "71122882157",
    "64830283181", "46132499881", "15428991763", "23763703101", "79265071214",
    "85764674379",
    IDENTITY_DIVERGENCE_CNPJ,  # the platforms answer another razão social
    "43580472000173", "26975550000110", "79125961000182",
    "51544914000154", "88787896000141", "7KQ2M9XP000135",
    # leads and prospects
    "34624560086", "57872148200", "57845524573", "49577935737", "71794787682",
    "38973322567", "99267539655", "46093149323", "67733439094", "90779354010",
    "15365670000189", "69819651000104", "P4RT1D0S000164",
]  # fmt: skip
CUSTOMER_COUNT = 49


@dataclass(frozen=True)
class DemoBranch:
    name: str
    cnpj: str
    state: State
    city: str
    addresses: tuple[tuple[str, str, str], ...]  # (CEP, street, district)
    area_code: str


DEMO_BRANCHES: tuple[DemoBranch, ...] = (
    DemoBranch(
        "Filial São Paulo", "84392821000100", State.SP, "São Paulo",
        (
            ("01310100", "Avenida Paulista", "Bela Vista"),
            ("05407002", "Rua Cardeal Arcoverde", "Pinheiros"),
            ("04029000", "Rua Domingos de Morais", "Vila Mariana"),
        ),
        "11",
    ),
    DemoBranch(
        "Filial Belo Horizonte", "20147201000123", State.MG, "Belo Horizonte",
        (
            ("30130010", "Avenida Afonso Pena", "Centro"),
            ("30140071", "Rua da Bahia", "Lourdes"),
            ("30310000", "Avenida do Contorno", "Funcionários"),
        ),
        "31",
    ),
    DemoBranch(
        "Filial Curitiba", "97730281000170", State.PR, "Curitiba",
        (
            ("80010000", "Rua XV de Novembro", "Centro"),
            ("80240000", "Avenida Sete de Setembro", "Batel"),
            ("80510000", "Rua Mateus Leme", "São Francisco"),
        ),
        "41",
    ),
)  # fmt: skip


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: Role
    branch_names: tuple[str, ...]  # empty: every branch (administrator)
    first_name: str


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("atendente", Role.ATTENDANT, ("Filial São Paulo",), "Ana"),
    DemoUser("vendedor", Role.SELLER, ("Filial São Paulo", "Filial Belo Horizonte"), "Bruno"),
    DemoUser("financeiro", Role.FINANCIAL, ("Filial Belo Horizonte", "Filial Curitiba"), "Carla"),
    DemoUser("admin", Role.ADMINISTRATOR, (), "Daniel"),
)

INDIVIDUAL_PLANS = (
    ("Fibra 100 Mega", Decimal("79.90")),
    ("Fibra 300 Mega", Decimal("99.90")),
    ("Fibra 500 Mega", Decimal("129.90")),
    ("Fibra 1 Giga", Decimal("199.90")),
)
COMPANY_PLANS = (
    ("Empresarial 300 Mega", Decimal("249.90")),
    ("Empresarial 600 Mega", Decimal("349.90")),
    ("Link Dedicado 100 Mega", Decimal("899.00")),
)
FIRST_NAMES = (
    "Ana", "Bruno", "Carla", "Diego", "Eduarda", "Felipe", "Gabriela", "Henrique", "Isabela",
    "João", "Larissa", "Marcos", "Natália", "Otávio", "Patrícia", "Rafael", "Sabrina", "Thiago",
    "Vanessa", "William",
)  # fmt: skip
FEMALE_FIRST_NAMES = (
    "Maria", "Antônia", "Francisca", "Helena", "Lúcia", "Rosa", "Sônia", "Teresa", "Vera",
)  # fmt: skip
SURNAMES = (
    "Silva", "Santos", "Oliveira", "Souza", "Rodrigues", "Ferreira", "Alves", "Pereira", "Lima",
    "Gomes", "Costa", "Ribeiro", "Martins", "Carvalho", "Almeida", "Lopes", "Barbosa", "Rocha",
)  # fmt: skip
COMPANY_WORDS = (
    "Padaria Pão Dourado", "Mercado Bom Preço", "Oficina Mecânica Veloz", "Clínica Sorriso",
    "Papelaria Central", "Auto Peças Rota", "Restaurante Sabor Caseiro", "Farmácia Vida",
    "Academia Movimento", "Escritório Contábil Exato", "Pet Shop Amigo Fiel",
    "Construtora Alicerce", "Loja de Roupas Estilo", "Hotel Bela Vista", "Distribuidora Norte",
    "Gráfica Impressão Rápida",
)  # fmt: skip
# Days overdue of the demo's open invoices, by customer index pattern (see _invoice_plan).
OVERDUE_DAYS = (5, 35, 400)


@dataclass
class DemoSummary:
    created: dict[str, int] = field(default_factory=dict)
    users: list[DemoUser] = field(default_factory=list)

    def count(self, kind: str, created: bool) -> None:
        self.created[kind] = self.created.get(kind, 0) + (1 if created else 0)


def demo_load(*, today: datetime.date | None = None) -> DemoSummary:
    """Create the demo branches, users, customers, contracts, invoices, leads and prospects.

    Idempotent: rows that exist (by natural key) are left untouched. Returns what was created.
    """
    today = today or timezone.localdate()
    rng = random.Random(SEED)
    summary = DemoSummary(users=list(DEMO_USERS))
    with transaction.atomic():
        branches = _load_branches(summary)
        _load_users(summary, branches)
        customers = _load_customers(summary, rng, branches, today)
        _load_contracts_and_invoices(summary, customers, today)
        _load_crm(summary, rng, branches)
    return summary


def _load_branches(summary: DemoSummary) -> list[Branch]:
    branches = []
    for demo in DEMO_BRANCHES:
        branch, created = Branch.objects.get_or_create(
            cnpj=demo.cnpj,
            defaults={"name": demo.name, "state": demo.state, "city": demo.city},
        )
        summary.count("branches", created)
        branches.append(branch)
    return branches


def _load_users(summary: DemoSummary, branches: list[Branch]) -> None:
    by_name = {branch.name: branch for branch in branches}
    for demo in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=demo.username,
            defaults={
                "first_name": demo.first_name,
                "email": f"{demo.username}@demo.creditcheck.local",
                "is_staff": demo.role == Role.ADMINISTRATOR,
                "is_superuser": demo.role == Role.ADMINISTRATOR,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            user.groups.add(Group.objects.get(name=demo.role))
            # One by one, in order: the first is the user's own filial (core.selectors).
            for member_of in [by_name[name] for name in demo.branch_names] or branches:
                user.branches.add(member_of)
        summary.count("users", created)


def _person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)} {rng.choice(SURNAMES)}"


def _load_customers(
    summary: DemoSummary, rng: random.Random, branches: list[Branch], today: datetime.date
) -> list[Customer]:
    customers = []
    for index, document in enumerate(DEMO_DOCUMENTS[:CUSTOMER_COUNT]):
        branch = branches[index % len(branches)]
        demo_branch = DEMO_BRANCHES[index % len(branches)]
        cep, street, district = demo_branch.addresses[index % len(demo_branch.addresses)]
        person_type = documents.person_type_for(document)
        is_company = person_type == PersonType.COMPANY
        # Draw every random value on every run so the sequence does not depend on the database.
        person = _person_name(rng)
        company = f"{rng.choice(COMPANY_WORDS)} {rng.choice(SURNAMES)} Ltda"
        mother = f"{rng.choice(FEMALE_FIRST_NAMES)} {rng.choice(SURNAMES)} {rng.choice(SURNAMES)}"
        age_days = rng.randint(20 * 365, 70 * 365) if not is_company else rng.randint(400, 9000)
        birth_date = today - datetime.timedelta(days=age_days)
        if (record := IDENTITY_RECORDS.get(document)) is not None:
            person = company = record.name
            birth_date, mother = record.birth_date or birth_date, record.mother_name
        else:
            # The record says what the sandbox's bureau says of this document, so a demo
            # query shows no identity divergence but for the scenario made to show one.
            bureau = subject_for(document)
            person = company = bureau.name.title()
            birth_date = bureau.birth_date or birth_date
            mother = bureau.mother_name.title()
        customer, created = Customer.objects.get_or_create(
            document=document,
            branch=branch,
            defaults={
                "person_type": person_type,
                "name": company if is_company else person,
                "birth_date": birth_date,
                "mother_name": "" if is_company else mother,
                "cep": cep,
                "street": street,
                "number": str(100 + index * 7),
                "complement": "Loja 1" if is_company else ("Apto 12" if index % 4 == 0 else ""),
                "district": district,
                "city": demo_branch.city,
                "state": demo_branch.state,
                "phone": f"{demo_branch.area_code}9{8000_0000 + index * 1371:08d}",
                "email": f"cliente{index + 1:02d}@example.com",
                "status": CustomerStatus.INACTIVE if index % 17 == 16 else CustomerStatus.ACTIVE,
            },
        )
        summary.count("customers", created)
        customers.append(customer)
    return customers


def _load_contracts_and_invoices(
    summary: DemoSummary, customers: list[Customer], today: datetime.date
) -> None:
    for index, customer in enumerate(customers):
        plans = COMPANY_PLANS if customer.person_type == PersonType.COMPANY else INDIVIDUAL_PLANS
        plan, amount = plans[index % len(plans)]
        start_date = today - datetime.timedelta(days=500 + index)
        status, cancelled_at = ContractStatus.ACTIVE, None
        if index % 13 == 12:
            status = ContractStatus.SUSPENDED
        if index % 19 == 18:
            status, cancelled_at = ContractStatus.CANCELLED, today - datetime.timedelta(days=20)
        contract, created = Contract.objects.get_or_create(
            customer=customer,
            branch=customer.branch,
            plan=plan,
            defaults={
                "monthly_amount": amount,
                "start_date": start_date,
                "status": status,
                "cancelled_at": cancelled_at,
            },
        )
        summary.count("contracts", created)
        for number, values in _invoice_plan(index, amount, today):
            _, created = Invoice.objects.get_or_create(
                number=number, defaults={"contract": contract, **values}
            )
            summary.count("invoices", created)


def _invoice_plan(
    index: int, amount: Decimal, today: datetime.date
) -> list[tuple[str, dict[str, object]]]:
    """Three paid months, the next month open, and for some customers overdue invoices."""
    plan: list[tuple[str, dict[str, object]]] = []
    for months_ago in (3, 2, 1):
        due = today - datetime.timedelta(days=30 * months_ago + 10)
        plan.append(
            (
                f"DEMO-{index + 1:03d}-P{months_ago}",
                {
                    "amount": amount,
                    "due_date": due,
                    "status": InvoiceStatus.PAID,
                    "paid_at": due - datetime.timedelta(days=index % 3),
                    "paid_amount": amount,
                },
            )
        )
    plan.append(
        (
            f"DEMO-{index + 1:03d}-A",
            {"amount": amount, "due_date": today + datetime.timedelta(days=10)},
        )
    )
    for days in OVERDUE_DAYS:
        # Spread the overdue invoices: a customer gets one or none, never all three.
        if index % 6 == OVERDUE_DAYS.index(days):
            plan.append(
                (
                    f"DEMO-{index + 1:03d}-V{days}",
                    {"amount": amount, "due_date": today - datetime.timedelta(days=days)},
                )
            )
    if index % 10 == 3:
        plan.append(
            (
                f"DEMO-{index + 1:03d}-C",
                {
                    "amount": amount,
                    "due_date": today - datetime.timedelta(days=70),
                    "disputed": True,
                },
            )
        )
    if index % 10 == 4:
        plan.append(
            (
                f"DEMO-{index + 1:03d}-R",
                {
                    "amount": amount,
                    "due_date": today - datetime.timedelta(days=130),
                    "status": InvoiceStatus.RENEGOTIATED,
                },
            )
        )
    if index % 10 == 5:
        plan.append(
            (
                f"DEMO-{index + 1:03d}-X",
                {
                    "amount": amount,
                    "due_date": today - datetime.timedelta(days=160),
                    "status": InvoiceStatus.CANCELLED,
                },
            )
        )
    return plan


def _load_crm(summary: DemoSummary, rng: random.Random, branches: list[Branch]) -> None:
    crm_documents = DEMO_DOCUMENTS[CUSTOMER_COUNT:]
    sources = list(LeadSource)
    stages = list(ProspectStage)
    for index in range(12):
        branch = branches[index % len(branches)]
        demo_branch = DEMO_BRANCHES[index % len(branches)]
        name = _person_name(rng)
        # Every third lead has no document yet: CPF/CNPJ is optional on leads.
        document = "" if index % 3 == 2 else crm_documents[index % len(crm_documents)]
        _, created = Lead.objects.get_or_create(
            email=f"lead{index + 1:02d}@example.com",
            defaults={
                "name": name,
                "document": document,
                "phone": f"{demo_branch.area_code}9{7000_0000 + index * 913:08d}",
                "source": sources[index % len(sources)],
                "branch": branch,
            },
        )
        summary.count("leads", created)
    for index in range(9):
        branch = branches[index % len(branches)]
        demo_branch = DEMO_BRANCHES[index % len(branches)]
        cep, street, district = demo_branch.addresses[(index + 1) % len(demo_branch.addresses)]
        document = crm_documents[(index + 4) % len(crm_documents)]
        is_company = documents.person_type_for(document) == PersonType.COMPANY
        person = _person_name(rng)
        company = f"{rng.choice(COMPANY_WORDS)} {rng.choice(SURNAMES)} Ltda"
        plans = COMPANY_PLANS if is_company else INDIVIDUAL_PLANS
        _, created = Prospect.objects.get_or_create(
            email=f"prospeccao{index + 1:02d}@example.com",
            defaults={
                "name": company if is_company else person,
                "document": document,
                "phone": f"{demo_branch.area_code}9{6000_0000 + index * 577:08d}",
                "source": sources[(index + 2) % len(sources)],
                "branch": branch,
                "cep": cep,
                "street": street,
                "number": str(20 + index * 3),
                "district": district,
                "city": demo_branch.city,
                "state": demo_branch.state,
                "desired_plan": plans[index % len(plans)][0],
                # "won" is reached by converting a prospect into a customer, not by demo data.
                "stage": (stages[0], stages[1], stages[1], stages[3])[index % 4],
            },
        )
        summary.count("prospects", created)
