"""The contract between CreditCheck and the credit-bureau platforms.

Everything above this layer (the Django apps) sees only the types defined here: frozen request and
result dataclasses, one small error hierarchy and the Adapter protocol, plus the platform registry
(registry.py) and the storage codec of reports (codec.py). Vendor field names and vendor
exceptions never cross an adapter's boundary. Nothing here imports Django.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import ClassVar, Protocol

# --------------------------------------------------------------------------------------------
# Enumerations


class PersonType(enum.StrEnum):
    PERSON = "F"  # pessoa física (CPF)
    COMPANY = "J"  # pessoa jurídica (CNPJ)


class RestrictionKind(enum.StrEnum):
    PEFIN = "pefin"  # pendência financeira (Serasa)
    REFIN = "refin"  # restrição financeira (bancos)
    SPC = "spc"  # registro no SPC
    PROTESTO = "protesto"
    CHEQUE = "cheque"  # cheque sem fundo (CCF/Bacen)
    ACAO = "acao"  # ação judicial
    FALENCIA = "falencia"  # falência/recuperação
    OTHER = "other"


RESTRICTION_KIND_LABELS: Mapping[RestrictionKind, str] = {
    RestrictionKind.PEFIN: "Pendência financeira (PEFIN)",
    RestrictionKind.REFIN: "Restrição financeira (REFIN)",
    RestrictionKind.SPC: "Registro SPC",
    RestrictionKind.PROTESTO: "Protesto",
    RestrictionKind.CHEQUE: "Cheque sem fundo",
    RestrictionKind.ACAO: "Ação judicial",
    RestrictionKind.FALENCIA: "Falência / recuperação",
    RestrictionKind.OTHER: "Outras ocorrências",
}


class Billed(enum.StrEnum):
    """Whether the platform charged for a call.

    UNKNOWN is the honest answer when a billed request may have reached the platform but no answer
    came back (read timeout): the caller must not retry it automatically.
    """

    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


class InclusionState(enum.StrEnum):
    PENDING = "pending"  # accepted, waiting for the notice (FAC) period
    ACTIVE = "active"  # visible in consultations
    REMOVED = "removed"
    ERROR = "error"


# --------------------------------------------------------------------------------------------
# Configuration and requests


@dataclass(frozen=True)
class CredentialField:
    """One credential a platform needs, so screens can render the right form."""

    name: str
    label: str  # pt-BR
    secret: bool = False
    required: bool = True


@dataclass(frozen=True)
class ProviderConfig:
    """Where and as whom an adapter talks: one branch's integration with one platform."""

    base_url: str
    credentials: Mapping[str, str] = field(repr=False)  # never in reprs or logs
    environment: str = "sandbox"  # "production" | "homologation" | "sandbox"
    connect_timeout: float = 5.0
    read_timeout: float = 30.0

    def credential(self, name: str) -> str:
        return self.credentials.get(name, "")


@dataclass(frozen=True)
class Address:
    cep: str  # 8 digits
    street: str
    number: str
    district: str
    city: str
    state: str  # UF
    complement: str = ""


@dataclass(frozen=True)
class ConsultRequest:
    document: str  # normalized: 11 (CPF) or 14 (CNPJ, possibly alphanumeric) characters
    person_type: PersonType
    product: str = ""  # platform product code; "" = the adapter's default
    birth_date: dt.date | None = None
    state: str = ""  # UF, some products want it
    cep: str = ""


@dataclass(frozen=True)
class Debtor:
    document: str
    person_type: PersonType
    name: str
    address: Address
    birth_date: dt.date | None = None
    phone: str = ""


@dataclass(frozen=True)
class InclusionRequest:
    """A debt to register at the bureau (negativação)."""

    debtor: Debtor
    contract_number: str
    our_number: str  # the invoice number (nosso número)
    purchase_date: dt.date  # data da compra / início do contrato
    due_date: dt.date
    amount: Decimal
    reason_code: str = ""  # natureza da inclusão / código da restrição; "" = default


@dataclass(frozen=True)
class RemovalRequest:
    """Removal (baixa) of a registered debt.

    Carries the original inclusion because some platforms (SPC) match records by document,
    contract and due date rather than by an id of their own.
    """

    platform_id: str
    inclusion: InclusionRequest
    reason_code: str = ""  # motivo da baixa; "" = default (pagamento)
    removal_date: dt.date | None = None


# --------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class Detail:
    """One labelled value of the platform's answer, as staff read it (pt-BR label, shown value).

    `path` says where the answer carries it, for what the parser could not map to a field of its
    own (the report's "Outras informações"); it is "" for the known fields of an occurrence.
    """

    label: str
    value: str
    path: str = ""


@dataclass(frozen=True)
class BureauCode:
    """A code of the bureau (or of Bacen) with its Portuguese description, the raw code kept."""

    code: str
    description: str = ""  # "" when neither the answer nor our tables describe it


@dataclass(frozen=True)
class Company:
    """What a company's (CNPJ) report carries beyond the Identity (razão social, fundação and
    situação are there)."""

    trade_name: str = ""  # nome fantasia / nome comercial
    legal_nature: BureauCode | None = None  # natureza jurídica
    main_activity: BureauCode | None = None  # CNAE principal
    secondary_activities: tuple[BureauCode, ...] = ()
    capital: Decimal | None = None  # capital social, R$
    situation_on: dt.date | None = None  # date of the situação cadastral
    state_registration: str = ""  # inscrição estadual
    headquarters: str = ""  # matriz / filial


@dataclass(frozen=True)
class Identity:
    name: str
    document: str
    person_type: PersonType
    birth_date: dt.date | None = None  # birth (PF) or foundation (PJ) date
    mother_name: str = ""
    receita_situation: str = ""  # situação na Receita Federal, as the platform words it


@dataclass(frozen=True)
class Score:
    value: int  # 0..1000
    model: str = ""
    band: str = ""  # classe / faixa
    default_probability: Decimal | None = None  # percent, 0..100


@dataclass(frozen=True)
class Restriction:
    kind: RestrictionKind
    creditor: str = ""
    amount: Decimal | None = None
    occurred_on: dt.date | None = None
    contract: str = ""
    city: str = ""
    state: str = ""
    description: str = ""
    # What the platform details of cheques, protests and lawsuits; "" where it says nothing.
    bank: str = ""  # "341 - ITAU UNIBANCO S.A."
    agency: str = ""
    account: str = ""
    cheque_number: str = ""  # "000123-4", or a range "000123-4 a 000130"
    alinea: BureauCode | None = None  # why a cheque came back (Bacen's table)
    nature: BureauCode | None = None  # the bureau's nature/modality of the debt
    notary_office: str = ""  # cartório of a protest
    court: str = ""  # vara of a lawsuit
    details: tuple[Detail, ...] = ()  # the occurrence's other fields, labelled


@dataclass(frozen=True)
class PaymentHistory:
    """Cadastro Positivo summary, where the platform provides it."""

    on_time_payments: int | None = None
    late_payments: int | None = None
    commitments: Decimal | None = None  # compromissos mensais em R$
    description: str = ""


@dataclass(frozen=True)
class Inquiry:
    """An earlier consultation of the same document by someone (consulta anterior)."""

    inquirer: str
    date: dt.date | None = None
    city: str = ""


@dataclass(frozen=True)
class Partner:
    name: str
    document: str = ""
    role: str = ""
    share: Decimal | None = None  # percent


@dataclass(frozen=True)
class KindTotal:
    kind: RestrictionKind
    count: int
    amount: Decimal  # the sum of the amounts the platform informed
    unvalued: int = 0  # how many of the `count` occurrences came without an amount


@dataclass(frozen=True)
class ProviderDocument:
    """The platform's own report (PDF or HTML), kept as it came."""

    content: bytes = field(repr=False)
    media_type: str  # "application/pdf" | "text/html"


@dataclass(frozen=True)
class CreditReport:
    platform: str
    product: str
    identity: Identity
    protocol: str
    billed: Billed
    raw: str = field(repr=False)  # the platform's payload as text
    score: Score | None = None
    restrictions: tuple[Restriction, ...] = ()
    totals: tuple[KindTotal, ...] = ()
    inquiries: tuple[Inquiry, ...] = ()
    partners: tuple[Partner, ...] = ()
    payment_history: PaymentHistory | None = None
    messages: tuple[str, ...] = ()
    document: ProviderDocument | None = None
    company: Company | None = None  # company reports (CNPJ) only
    addresses: tuple[Address, ...] = ()
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    # Valued parts of the answer that no field above holds ("Outras informações"): nothing the
    # platform sent is dropped silently.
    other_information: tuple[Detail, ...] = ()

    @property
    def has_restrictions(self) -> bool:
        return any(total.count > 0 for total in self.totals) or bool(self.restrictions)

    @property
    def total_amount(self) -> Decimal:
        return sum((total.amount for total in self.totals), Decimal("0"))


@dataclass(frozen=True)
class Product:
    code: str
    name: str
    person_types: tuple[PersonType, ...] = (PersonType.PERSON, PersonType.COMPANY)


@dataclass(frozen=True)
class ReasonCode:
    code: str
    description: str


@dataclass(frozen=True)
class InclusionReceipt:
    platform_id: str  # the platform's id of the record (SPC has none: we derive a stable key)
    state: InclusionState
    billed: Billed
    raw: str = field(repr=False)
    duplicate: bool = False  # the platform said the record already existed
    messages: tuple[str, ...] = ()


@dataclass(frozen=True)
class RemovalReceipt:
    platform_id: str
    removed_at: dt.datetime | None
    raw: str = field(repr=False)
    messages: tuple[str, ...] = ()


@dataclass(frozen=True)
class InclusionStatus:
    platform_id: str
    state: InclusionState
    raw: str = field(repr=False)
    messages: tuple[str, ...] = ()


@dataclass(frozen=True)
class Balance:
    amount: Decimal  # R$ or credits, as the platform counts
    unit: str = "BRL"


# --------------------------------------------------------------------------------------------
# Errors


class ProviderError(Exception):
    """Base of every error an adapter raises.

    `code` and `message` are the platform's own; `user_message` is what staff read (pt-BR).
    `retryable` says whether the same call may be tried again later; `billed` whether the failed
    call may have been charged.
    """

    default_user_message: ClassVar[str] = "Erro na plataforma de análise de crédito."
    retryable: ClassVar[bool] = False

    def __init__(
        self,
        message: str = "",
        *,
        code: str = "",
        user_message: str = "",
        billed: Billed = Billed.NO,
    ) -> None:
        super().__init__(message or code or self.default_user_message)
        self.code = code
        self.message = message
        self.user_message = user_message or self.default_user_message
        self.billed = billed

    def __str__(self) -> str:
        parts = [self.code, self.message]
        return " - ".join(p for p in parts if p) or self.user_message


class AuthenticationFailed(ProviderError):
    default_user_message = (
        "A plataforma recusou as credenciais da filial. Verifique usuário e senha em "
        "Configurações > Integrações."
    )


class InvalidDocument(ProviderError):
    default_user_message = "CPF/CNPJ recusado pela plataforma como inválido."


class ProductNotAllowed(ProviderError):
    default_user_message = "O usuário da integração não tem acesso a este produto na plataforma."


class InsufficientBalance(ProviderError):
    default_user_message = "Saldo insuficiente na plataforma para realizar a operação."


class ProviderUnavailable(ProviderError):
    """Connection refused, timeout or 5xx: the platform may answer later."""

    default_user_message = (
        "A plataforma de análise de crédito não respondeu. Tente novamente em alguns minutos."
    )
    retryable = True


class ProviderProtocolError(ProviderError):
    """The platform answered something we cannot read (malformed, unexpected, too large)."""

    default_user_message = "A plataforma respondeu em um formato inesperado."


def unreadable_answer(exc: ProviderProtocolError, billed: Billed) -> ProviderProtocolError:
    """`exc` raised while reading the answer of a call the platform charged as `billed`.

    The platform answered, so it charged even though the answer cannot be read: the error must
    say so, or staff would consult again believing nothing was spent.
    """
    if billed == Billed.NO or exc.billed != Billed.NO:
        return exc
    return ProviderProtocolError(
        exc.message, code=exc.code, user_message=exc.user_message, billed=billed
    )


class DuplicateRecord(ProviderError):
    default_user_message = "Esta dívida já está registrada na plataforma."


class RecordNotFound(ProviderError):
    default_user_message = "Registro não encontrado na plataforma."


class OperationNotSupported(ProviderError):
    default_user_message = "Esta plataforma não oferece esta operação."


# --------------------------------------------------------------------------------------------
# Adapter protocol


class Adapter(Protocol):
    """What every platform adapter offers. Docstrings of implementations state side effects.

    What a platform is called, needs and offers is its entry in providers/registry.py; an
    operation its platform lacks raises OperationNotSupported.
    """

    key: ClassVar[str]  # the platform's registry key

    def __init__(self, config: ProviderConfig) -> None: ...

    def consult(self, request: ConsultRequest) -> CreditReport: ...

    def include(self, request: InclusionRequest) -> InclusionReceipt: ...

    def remove(self, request: RemovalRequest) -> RemovalReceipt: ...

    def inclusion_status(self, platform_id: str, request: InclusionRequest) -> InclusionStatus: ...

    def products(self) -> tuple[Product, ...]: ...

    def inclusion_reasons(self) -> tuple[ReasonCode, ...]: ...

    def removal_reasons(self) -> tuple[ReasonCode, ...]: ...

    def check_credentials(self) -> None:
        """Raise AuthenticationFailed (or another ProviderError) unless the credentials work."""

    def balance(self) -> Balance: ...
