"""The contract between CreditCheck and the credit-bureau platforms.

Everything above this layer (the Django apps) sees only the types defined here: frozen request and
result dataclasses, one small error hierarchy and a registry of adapters. Vendor field names and
vendor exceptions never cross an adapter's boundary. Nothing here imports Django.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import importlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar, Protocol

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
    amount: Decimal


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

    @property
    def has_restrictions(self) -> bool:
        return any(total.count > 0 for total in self.totals) or bool(self.restrictions)

    @property
    def total_amount(self) -> Decimal:
        return sum((total.amount for total in self.totals), Decimal("0"))


# No bureau records a debt of R$ 1 trillion: an amount at or beyond it (an exponent such as
# 1E+999999999 included) is a garbled answer. Bounding every amount read also keeps their sums
# within Decimal's range, where adding such exponents raises decimal.Overflow.
MAX_AMOUNT = Decimal(10) ** 12


def plausible_amount(amount: Decimal) -> bool:
    """Whether a number read from a platform's answer can be an amount (or a percentage)."""
    # copy_abs, not abs(): abs() rounds to the context and overflows on such exponents itself.
    return amount.is_finite() and amount.copy_abs() < MAX_AMOUNT


# Answers are a few levels deep and parsers walk them recursively: an answer nested deeper would
# end in a RecursionError instead of the contract's error.
MAX_NESTING = 64
# Text no database column stores: half of a UTF-16 surrogate pair (JSON may escape one,
# "\ud800", but it is no Unicode text) and NUL (PostgreSQL refuses it in text and jsonb).
_UNSTORABLE_TEXT = re.compile("[\x00\ud800-\udfff]")


def json_answer_problem(payload: Any) -> str:
    """What makes a decoded JSON answer unreadable (nesting beyond MAX_NESTING, text with an
    unpaired surrogate or a NUL), or "" when nothing does. Walked level by level, no recursion."""
    level: list[Any] = [payload]
    for _ in range(MAX_NESTING + 1):
        below: list[Any] = []
        for node in level:
            if isinstance(node, str) and _UNSTORABLE_TEXT.search(node):
                return "texto com caractere inválido"
            if isinstance(node, dict):
                below += [*node, *node.values()]
            elif isinstance(node, list):
                below += node
        if not below:
            return ""
        level = below
    return "aninhamento excessivo"


def totals_from_restrictions(restrictions: tuple[Restriction, ...]) -> tuple[KindTotal, ...]:
    """Totals per kind, in RestrictionKind order, for platforms that send only the details."""
    result = []
    for kind in RestrictionKind:
        items = [r for r in restrictions if r.kind is kind]
        if items:
            amount = sum((r.amount or Decimal("0") for r in items), Decimal("0"))
            result.append(KindTotal(kind=kind, count=len(items), amount=amount))
    return tuple(result)


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
# Adapter protocol and registry


class Adapter(Protocol):
    """What every platform adapter offers. Docstrings of implementations state side effects."""

    key: ClassVar[str]
    name: ClassVar[str]
    credential_fields: ClassVar[tuple[CredentialField, ...]]
    has_balance: ClassVar[bool]

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


PLATFORMS: Mapping[str, str] = {
    "soawebservice": "providers.soawebservice.Adapter",
    "connectsa": "providers.connectsa.Adapter",
    "creditonamedida": "providers.creditonamedida.Adapter",
    "spcbrasil": "providers.spcbrasil.Adapter",
}

PLATFORM_NAMES: Mapping[str, str] = {
    "soawebservice": "SOAWebService",
    "connectsa": "ConnectSA",
    "creditonamedida": "Crédito na Medida",
    "spcbrasil": "SPC Brasil",
}


def adapter_class(platform: str) -> type[Adapter]:
    """Resolve a platform key to its adapter class, importing it on first use."""
    try:
        dotted = PLATFORMS[platform]
    except KeyError:
        raise ValueError(f"unknown platform {platform!r}") from None
    module_name, _, class_name = dotted.rpartition(".")
    cls: type[Adapter] = getattr(importlib.import_module(module_name), class_name)
    return cls


def build_adapter(platform: str, config: ProviderConfig) -> Adapter:
    return adapter_class(platform)(config)


# --------------------------------------------------------------------------------------------
# Serialization of reports, for storage above this layer


def _encode(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, bytes):
        raise TypeError("bytes are not serialized")
    return value


def report_to_dict(report: CreditReport) -> dict[str, Any]:
    """A JSON-ready dict of the normalized report, without the raw payload and the document."""

    def convert(obj: Any) -> Any:
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            return {f.name: convert(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
        if isinstance(obj, tuple | list):
            return [convert(item) for item in obj]
        return _encode(obj)

    data: dict[str, Any] = {
        f.name: convert(getattr(report, f.name))
        for f in dataclasses.fields(report)
        if f.name not in ("raw", "document")  # kept apart: the payload and the platform's file
    }
    data["has_restrictions"] = report.has_restrictions
    return data


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _decimal(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None else None


def report_from_dict(data: Mapping[str, Any], *, raw: str = "") -> CreditReport:
    """Rebuild a report stored with report_to_dict (raw and document are not stored there)."""
    ident = data["identity"]
    score = data.get("score")
    history = data.get("payment_history")
    return CreditReport(
        platform=data["platform"],
        product=data["product"],
        identity=Identity(
            name=ident["name"],
            document=ident["document"],
            person_type=PersonType(ident["person_type"]),
            birth_date=_date(ident.get("birth_date")),
            mother_name=ident.get("mother_name", ""),
            receita_situation=ident.get("receita_situation", ""),
        ),
        protocol=data["protocol"],
        billed=Billed(data["billed"]),
        raw=raw,
        score=Score(
            value=score["value"],
            model=score.get("model", ""),
            band=score.get("band", ""),
            default_probability=_decimal(score.get("default_probability")),
        )
        if score
        else None,
        restrictions=tuple(
            Restriction(
                kind=RestrictionKind(r["kind"]),
                creditor=r.get("creditor", ""),
                amount=_decimal(r.get("amount")),
                occurred_on=_date(r.get("occurred_on")),
                contract=r.get("contract", ""),
                city=r.get("city", ""),
                state=r.get("state", ""),
                description=r.get("description", ""),
            )
            for r in data.get("restrictions", [])
        ),
        totals=tuple(
            KindTotal(
                kind=RestrictionKind(t["kind"]), count=t["count"], amount=Decimal(t["amount"])
            )
            for t in data.get("totals", [])
        ),
        inquiries=tuple(
            Inquiry(inquirer=i["inquirer"], date=_date(i.get("date")), city=i.get("city", ""))
            for i in data.get("inquiries", [])
        ),
        partners=tuple(
            Partner(
                name=p["name"],
                document=p.get("document", ""),
                role=p.get("role", ""),
                share=_decimal(p.get("share")),
            )
            for p in data.get("partners", [])
        ),
        payment_history=PaymentHistory(
            on_time_payments=history.get("on_time_payments"),
            late_payments=history.get("late_payments"),
            commitments=_decimal(history.get("commitments")),
            description=history.get("description", ""),
        )
        if history
        else None,
        messages=tuple(data.get("messages", [])),
    )


def report_to_json(report: CreditReport) -> str:
    return json.dumps(report_to_dict(report), ensure_ascii=False, sort_keys=True)
