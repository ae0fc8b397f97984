"""Deterministic scenarios of the sandboxes, keyed by document like a card network's test numbers.

The data here is platform-neutral; each platform's sandbox renders it in its own wire format, so
one scenario document gives the same normalized report through every adapter.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from stdnum.br import cnpj as stdnum_cnpj
from stdnum.br import cpf as stdnum_cpf

from providers.base import RestrictionKind


@dataclass(frozen=True)
class ScenarioCheque:
    """A bounced cheque as the bureaus detail it: bank, agency, number and alínea."""

    bank_code: str
    bank_name: str
    agency: str
    number: str  # "" where the record is per account (Bacen's CCF) rather than per cheque
    alinea: str  # Bacen's reason code (providers/bureau_codes.py)
    store: bool = False  # returned to a store (SPC's "cheque lojista"), not only in Bacen's CCF


@dataclass(frozen=True)
class ScenarioRestriction:
    kind: RestrictionKind
    creditor: str
    amount: Decimal | None  # None: the bureau informs no value (Bacen's CCF records)
    days_ago: int  # occurrence date, counted back from the sandbox clock
    contract: str
    city: str
    state: str
    description: str = ""
    notary_office: str = ""  # cartório of a protest
    court: str = ""  # vara of a lawsuit
    cheque: ScenarioCheque | None = None

    def occurred_on(self, today: dt.date) -> dt.date:
        return today - dt.timedelta(days=self.days_ago)


@dataclass(frozen=True)
class ScenarioInquiry:
    inquirer: str
    days_ago: int
    city: str = ""


@dataclass(frozen=True)
class ScenarioPartner:
    name: str
    document: str
    role: str
    share: Decimal


@dataclass(frozen=True)
class Scenario:
    key: str
    title: str  # pt-BR
    description: str  # pt-BR
    score: int | None = None
    score_band: str = ""
    default_probability: Decimal | None = None
    restrictions: tuple[ScenarioRestriction, ...] = ()
    inquiries: tuple[ScenarioInquiry, ...] = ()
    partners: tuple[ScenarioPartner, ...] = ()
    on_time_payments: int | None = None
    late_payments: int | None = None
    commitments: Decimal | None = None
    error: str = ""  # "" | "invalid_document" | "platform_error"

    @property
    def has_restrictions(self) -> bool:
        return bool(self.restrictions)


R = ScenarioRestriction
K = RestrictionKind


def ccf(days_ago: int, city: str, state: str, bank: tuple[str, str, str], alinea: str) -> R:
    """A record of Bacen's CCF: per account (no cheque number), without a value."""
    code, name, agency = bank
    return R(
        K.CHEQUE,
        "",
        None,
        days_ago,
        "",
        city,
        state,
        cheque=ScenarioCheque(code, name, agency, "", alinea),
    )


def store_cheque(
    store: str,
    amount: Decimal,
    days_ago: int,
    place: tuple[str, str],
    bank: tuple[str, str, str],
    number: str,
    alinea: str,
) -> R:
    """A cheque returned to a store, with its value and number."""
    code, name, agency = bank
    cheque = ScenarioCheque(code, name, agency, number, alinea, store=True)
    return R(K.CHEQUE, store, amount, days_ago, "", *place, cheque=cheque)


EXEMPLO = ("001", "BANCO EXEMPLO S.A.", "1234")
MODELO = ("237", "BANCO MODELO S.A.", "0456")
ITAU = ("341", "ITAU UNIBANCO S.A.", "0123")

SCENARIOS: dict[str, Scenario] = {
    s.key: s
    for s in (
        Scenario(
            key="clean",
            title="Nada consta",
            description="Sem restrições, score bom, duas consultas anteriores.",
            score=820,
            score_band="A",
            default_probability=Decimal("2.10"),
            inquiries=(
                ScenarioInquiry("LOJAS EXEMPLO LTDA", 40, "SAO PAULO"),
                ScenarioInquiry("BANCO EXEMPLO S.A.", 95, "CAMPINAS"),
            ),
            on_time_payments=34,
            late_payments=0,
            commitments=Decimal("850.00"),
        ),
        Scenario(
            key="small_restriction",
            title="Restrição pequena",
            description="Uma pendência financeira (PEFIN) de pequeno valor.",
            score=520,
            score_band="C",
            default_probability=Decimal("18.40"),
            restrictions=(
                R(
                    K.PEFIN,
                    "NET RAPIDA TELECOM LTDA",
                    Decimal("189.90"),
                    120,
                    "CT-88120",
                    "SAO PAULO",
                    "SP",
                ),
            ),
            inquiries=(ScenarioInquiry("NET RAPIDA TELECOM LTDA", 15, "SAO PAULO"),),
            on_time_payments=20,
            late_payments=3,
            commitments=Decimal("420.00"),
        ),
        Scenario(
            key="large_restrictions",
            title="Restrições de valor alto",
            description="Várias pendências e restrições financeiras e registros SPC.",
            score=180,
            score_band="H",
            default_probability=Decimal("71.30"),
            restrictions=(
                R(
                    K.PEFIN,
                    "BANCO EXEMPLO S.A.",
                    Decimal("25400.00"),
                    400,
                    "EMP-5512",
                    "BELO HORIZONTE",
                    "MG",
                ),
                R(
                    K.REFIN,
                    "FINANCEIRA MODELO S.A.",
                    Decimal("18750.00"),
                    300,
                    "CDC-11820",
                    "BELO HORIZONTE",
                    "MG",
                ),
                R(
                    K.SPC,
                    "MAGAZINE PADRAO LTDA",
                    Decimal("3890.00"),
                    210,
                    "CRD-00931",
                    "CONTAGEM",
                    "MG",
                ),
                R(
                    K.SPC,
                    "FIBRA VELOZ PROVEDOR LTDA",
                    Decimal("690.00"),
                    60,
                    "ISP-2231",
                    "BELO HORIZONTE",
                    "MG",
                ),
            ),
            inquiries=(
                ScenarioInquiry("BANCO EXEMPLO S.A.", 10, "BELO HORIZONTE"),
                ScenarioInquiry("FINANCEIRA MODELO S.A.", 12, "BELO HORIZONTE"),
                ScenarioInquiry("MAGAZINE PADRAO LTDA", 30, "CONTAGEM"),
            ),
            on_time_payments=5,
            late_payments=14,
            commitments=Decimal("3100.00"),
        ),
        Scenario(
            key="protests_cheques",
            title="Protestos e cheques sem fundo",
            description="Dois protestos em cartório e três cheques sem fundo (CCF).",
            score=310,
            score_band="F",
            default_probability=Decimal("44.00"),
            restrictions=(
                R(
                    K.PROTESTO,
                    "DISTRIBUIDORA ALFA LTDA",
                    Decimal("1200.00"),
                    180,
                    "",
                    "CURITIBA",
                    "PR",
                    notary_office="1º TABELIONATO DE PROTESTO DE CURITIBA",
                ),
                R(
                    K.PROTESTO,
                    "CONSTRUTORA BETA LTDA",
                    Decimal("845.50"),
                    90,
                    "",
                    "CURITIBA",
                    "PR",
                    notary_office="2º TABELIONATO DE PROTESTO DE CURITIBA",
                ),
                ccf(250, "CURITIBA", "PR", EXEMPLO, "12"),
                ccf(240, "CURITIBA", "PR", EXEMPLO, "12"),
                ccf(100, "CURITIBA", "PR", MODELO, "13"),
            ),
            on_time_payments=11,
            late_payments=6,
        ),
        Scenario(
            key="lawsuits",
            title="Ações judiciais",
            description="Uma ação de execução e um pedido de falência.",
            score=400,
            score_band="E",
            default_probability=Decimal("32.50"),
            restrictions=(
                R(
                    K.ACAO,
                    "FAZENDA NACIONAL",
                    Decimal("15300.00"),
                    500,
                    "0001234-56.2024",
                    "SAO PAULO",
                    "SP",
                    "Execução fiscal",
                    court="3ª VARA FEDERAL DE EXECUCOES FISCAIS",
                ),
                R(
                    K.FALENCIA,
                    "CREDOR EXEMPLO LTDA",
                    Decimal("98000.00"),
                    365,
                    "",
                    "SAO PAULO",
                    "SP",
                    "Pedido de falência",
                    court="1ª VARA DE FALENCIAS E RECUPERACOES JUDICIAIS",
                ),
            ),
        ),
        Scenario(
            key="returned_cheques",
            title="Cheques devolvidos no comércio",
            description=(
                "Dois cheques devolvidos a lojas (com valor, banco e alínea) e um cheque sem "
                "fundo no CCF, sem valor informado."
            ),
            score=350,
            score_band="F",
            default_probability=Decimal("39.00"),
            restrictions=(
                store_cheque(
                    "SUPERMERCADO EXEMPLO LTDA",
                    Decimal("1234.56"),
                    45,
                    ("CAMPINAS", "SP"),
                    ITAU,
                    "000245-7",
                    "11",
                ),
                store_cheque(
                    "MATERIAIS DE CONSTRUCAO MODELO LTDA",
                    Decimal("380.00"),
                    30,
                    ("CAMPINAS", "SP"),
                    ITAU,
                    "000251-2",
                    "12",
                ),
                ccf(20, "CAMPINAS", "SP", ITAU, "12"),
            ),
            inquiries=(ScenarioInquiry("SUPERMERCADO EXEMPLO LTDA", 50, "CAMPINAS"),),
        ),
        Scenario(
            key="high_score",
            title="Score alto",
            description="Sem restrições, score muito alto e bom histórico de pagamentos.",
            score=960,
            score_band="AA",
            default_probability=Decimal("0.60"),
            on_time_payments=120,
            late_payments=0,
            commitments=Decimal("2300.00"),
        ),
        Scenario(
            key="low_score",
            title="Score baixo",
            description="Sem restrições, mas score baixo e muitas consultas recentes.",
            score=120,
            score_band="H",
            default_probability=Decimal("82.00"),
            inquiries=tuple(
                ScenarioInquiry(f"LOJA CONSULTANTE {n} LTDA", n * 3, "RECIFE") for n in range(1, 7)
            ),
            on_time_payments=2,
            late_payments=9,
        ),
        Scenario(
            key="company_partners",
            title="Empresa com sócios",
            description="Pessoa jurídica com quadro societário e uma restrição pequena.",
            score=700,
            score_band="B",
            default_probability=Decimal("7.80"),
            restrictions=(
                R(
                    K.PEFIN,
                    "DISTRIBUIDORA EXEMPLO LTDA",
                    Decimal("2350.00"),
                    75,
                    "NF-4410",
                    "SAO PAULO",
                    "SP",
                ),
            ),
            partners=(
                ScenarioPartner(
                    "MARIA EXEMPLO DA SILVA",
                    "52998224725",
                    "Sócia-administradora",
                    Decimal("60.00"),
                ),
                ScenarioPartner("JOAO MODELO SOUZA", "12345678909", "Sócio", Decimal("40.00")),
            ),
        ),
        Scenario(
            key="identity_divergence",
            title="Identidade divergente",
            description=(
                "Sem restrições, mas a identidade que a plataforma responde (FIXED_SUBJECTS) não "
                "é a do cadastro (IDENTITY_RECORDS): nome e data de nascimento diferentes, nome "
                "da mãe abreviado no cadastro; para o CNPJ, outra razão social."
            ),
            score=610,
            score_band="C",
            default_probability=Decimal("12.30"),
            inquiries=(ScenarioInquiry("LOJAS EXEMPLO LTDA", 3, "SAO PAULO"),),
            on_time_payments=8,
            late_payments=1,
        ),
        Scenario(
            key="invalid_document",
            title="Documento inválido",
            description="A plataforma recusa o CPF/CNPJ (dígitos verificadores errados).",
            error="invalid_document",
        ),
        Scenario(
            key="platform_error",
            title="Erro da plataforma",
            description="A plataforma responde com erro interno nesta consulta.",
            error="platform_error",
        ),
    )
}

# Example documents per scenario, by name: tests, benches and the demo import these instead of
# spelling the digits again.
CLEAN_CPF = "52998224725"
CLEAN_CNPJ = "11222333000181"
SMALL_RESTRICTION_CPF = "12345678909"
SMALL_RESTRICTION_CNPJ = "45212669000185"
LARGE_RESTRICTIONS_CPF = "98765432100"
LARGE_RESTRICTIONS_CNPJ = "33000167000101"
PROTESTS_CHEQUES_CPF = "11144477735"
PROTESTS_CHEQUES_CNPJ = "60501038000170"
LAWSUITS_CPF = "39053344705"
LAWSUITS_CNPJ = "19131184000157"
RETURNED_CHEQUES_CPF = "26051974334"
RETURNED_CHEQUES_CNPJ = "27865757000102"
HIGH_SCORE_CPF = "22233344405"
LOW_SCORE_CPF = "45678912364"
COMPANY_PARTNERS_CNPJ = "12ABC34501DE35"
COMPANY_PARTNERS_OTHER_CNPJ = "ABCDEFGH000195"
INVALID_CPF = "52998224700"
INVALID_CNPJ = "11222333000100"
PLATFORM_ERROR_CPF = "32165498791"
PLATFORM_ERROR_CNPJ = "Z1X2C3V4000102"
# The bureau's identity of these is not the record's (FIXED_SUBJECTS, IDENTITY_RECORDS).
IDENTITY_DIVERGENCE_CPF = "70491238541"
IDENTITY_DIVERGENCE_CNPJ = "46318057000134"
# A valid CPF in no row of DOCUMENTS: it gets a generic scenario (GENERIC_SCENARIOS).
UNLISTED_CPF = "71428793860"

# The scenario of each example document: (CPF, CNPJ numeric, CNPJ alphanumeric) where they apply.
DOCUMENTS: dict[str, str] = {
    CLEAN_CPF: "clean",
    CLEAN_CNPJ: "clean",
    SMALL_RESTRICTION_CPF: "small_restriction",
    SMALL_RESTRICTION_CNPJ: "small_restriction",
    LARGE_RESTRICTIONS_CPF: "large_restrictions",
    LARGE_RESTRICTIONS_CNPJ: "large_restrictions",
    PROTESTS_CHEQUES_CPF: "protests_cheques",
    PROTESTS_CHEQUES_CNPJ: "protests_cheques",
    LAWSUITS_CPF: "lawsuits",
    LAWSUITS_CNPJ: "lawsuits",
    RETURNED_CHEQUES_CPF: "returned_cheques",
    RETURNED_CHEQUES_CNPJ: "returned_cheques",
    HIGH_SCORE_CPF: "high_score",
    LOW_SCORE_CPF: "low_score",
    COMPANY_PARTNERS_CNPJ: "company_partners",
    COMPANY_PARTNERS_OTHER_CNPJ: "company_partners",
    IDENTITY_DIVERGENCE_CPF: "identity_divergence",
    IDENTITY_DIVERGENCE_CNPJ: "identity_divergence",
    INVALID_CPF: "invalid_document",
    INVALID_CNPJ: "invalid_document",
    PLATFORM_ERROR_CPF: "platform_error",
    PLATFORM_ERROR_CNPJ: "platform_error",
}

# Other valid documents get one of these, chosen by a hash of the document (stable across runs).
GENERIC_SCENARIOS = (
    "clean",
    "small_restriction",
    "large_restrictions",
    "protests_cheques",
    "lawsuits",
    "high_score",
    "low_score",
)

PERSON_NAMES = (
    "ANA PAULA EXEMPLO",
    "CARLOS ALBERTO MODELO",
    "FERNANDA TESTE SOUZA",
    "JOSE ROBERTO AMOSTRA",
    "LUCIANA DEMONSTRACAO",
    "MARCOS VINICIUS PADRAO",
)
MOTHER_NAMES = (
    "MARIA APARECIDA EXEMPLO",
    "TEREZA CRISTINA MODELO",
    "HELENA SOUZA TESTE",
    "ROSANGELA AMOSTRA",
    "VERA LUCIA PADRAO",
)
COMPANY_NAMES = (
    "COMERCIO EXEMPLO LTDA",
    "SERVICOS MODELO EIRELI",
    "INDUSTRIA AMOSTRA S.A.",
    "TECNOLOGIA PADRAO LTDA",
)
# Per company name: trade name, natureza jurídica and CNAE (codes of the Receita's tables) and
# capital social.
COMPANY_DATA: dict[str, tuple[str, tuple[str, str], tuple[str, str], Decimal]] = {
    "COMERCIO EXEMPLO LTDA": (
        "COMERCIO EXEMPLO",
        ("2062", "SOCIEDADE EMPRESARIA LIMITADA"),
        ("4711302", "COMERCIO VAREJISTA DE MERCADORIAS EM GERAL - SUPERMERCADOS"),
        Decimal("150000.00"),
    ),
    "SERVICOS MODELO EIRELI": (
        "MODELO SERVICOS",
        ("2305", "EMPRESA INDIVIDUAL DE RESPONSABILIDADE LIMITADA"),
        ("8211300", "SERVICOS COMBINADOS DE ESCRITORIO E APOIO ADMINISTRATIVO"),
        Decimal("80000.00"),
    ),
    "INDUSTRIA AMOSTRA S.A.": (
        "AMOSTRA",
        ("2054", "SOCIEDADE ANONIMA FECHADA"),
        ("2599399", "FABRICACAO DE OUTROS PRODUTOS DE METAL"),
        Decimal("2500000.00"),
    ),
    "TECNOLOGIA PADRAO LTDA": (
        "PADRAO TEC",
        ("2062", "SOCIEDADE EMPRESARIA LIMITADA"),
        ("6190601", "PROVEDORES DE ACESSO AS REDES DE COMUNICACOES"),
        Decimal("300000.00"),
    ),
}


def is_valid_document(document: str) -> bool:
    if len(document) == 11:
        return stdnum_cpf.is_valid(document) and len(set(document)) > 1
    if len(document) == 14:
        return stdnum_cnpj.is_valid(document) and len(set(document)) > 1
    return False


def _digest(document: str) -> int:
    return int(hashlib.sha256(document.encode()).hexdigest(), 16)


def scenario_for(document: str) -> Scenario:
    """The scenario a document falls in: a registered one, the table, validity, a stable hash."""
    registered = _registered.get(document)
    if registered is not None:
        return registered[1]
    if document in DOCUMENTS:
        return SCENARIOS[DOCUMENTS[document]]
    if not is_valid_document(document):
        return SCENARIOS["invalid_document"]
    key = GENERIC_SCENARIOS[_digest(document) % len(GENERIC_SCENARIOS)]
    return SCENARIOS[key]


@dataclass(frozen=True)
class SubjectCompany:
    """What the Receita Federal says of a company, as the bureaus relay it."""

    trade_name: str
    legal_nature: tuple[str, str]  # (code, description)
    main_activity: tuple[str, str]  # CNAE (code, description)
    capital: Decimal
    situation_on: dt.date


@dataclass(frozen=True)
class Subject:
    """Who a document belongs to in the sandbox world."""

    document: str
    person_type: str  # "F" | "J"
    name: str
    birth_date: dt.date  # birth (CPF) or foundation (CNPJ)
    mother_name: str
    receita_situation: str
    company: SubjectCompany | None = None  # CNPJ only


@dataclass(frozen=True)
class RecordIdentity:
    """Who a document is in a shop's own record (the demo's customer), where the sandbox's
    bureau identity of it is deliberately another."""

    name: str
    birth_date: dt.date | None = None
    mother_name: str = ""


# The documents of the identity_divergence scenario: what the platforms answer of them...
FIXED_SUBJECTS: dict[str, Subject] = {
    IDENTITY_DIVERGENCE_CPF: Subject(
        document=IDENTITY_DIVERGENCE_CPF,
        person_type="F",
        name="ROBERTO CARLOS DE OLIVEIRA",
        birth_date=dt.date(1979, 6, 2),
        mother_name="HELENA MARIA DE OLIVEIRA",
        receita_situation="REGULAR",
    ),
    IDENTITY_DIVERGENCE_CNPJ: Subject(
        document=IDENTITY_DIVERGENCE_CNPJ,
        person_type="J",
        name="ALFA COMERCIO DE ALIMENTOS LTDA",
        birth_date=dt.date(2008, 3, 17),
        mother_name="",
        receita_situation="ATIVA",
        company=SubjectCompany(
            "ALFA ALIMENTOS",
            ("2062", "SOCIEDADE EMPRESARIA LIMITADA"),
            ("4639701", "COMERCIO ATACADISTA DE PRODUTOS ALIMENTICIOS EM GERAL"),
            Decimal("120000.00"),
            dt.date(2008, 3, 17),
        ),
    ),
}
# ...and what the shop's record of them says instead (the mother's name abbreviated, which is
# no divergence).
IDENTITY_RECORDS: dict[str, RecordIdentity] = {
    IDENTITY_DIVERGENCE_CPF: RecordIdentity(
        "Roberta Carla de Oliveira", dt.date(1979, 2, 6), "Helena M. de Oliveira"
    ),
    IDENTITY_DIVERGENCE_CNPJ: RecordIdentity(
        "Beta Distribuidora de Bebidas Ltda", dt.date(2008, 3, 17)
    ),
}


def subject_for(document: str) -> Subject:
    registered = _registered.get(document)
    if registered is not None:
        return registered[0]
    return FIXED_SUBJECTS.get(document) or _generated_subject(document)


def _generated_subject(document: str) -> Subject:
    digest = _digest(document)
    if len(document) == 11:
        return Subject(
            document=document,
            person_type="F",
            name=PERSON_NAMES[digest % len(PERSON_NAMES)],
            birth_date=dt.date(1960 + digest % 40, 1 + digest % 12, 1 + digest % 28),
            mother_name=MOTHER_NAMES[(digest // 7) % len(MOTHER_NAMES)],
            receita_situation="REGULAR",
        )
    name = COMPANY_NAMES[digest % len(COMPANY_NAMES)]
    trade_name, nature, activity, capital = COMPANY_DATA[name]
    return Subject(
        document=document,
        person_type="J",
        name=name,
        birth_date=dt.date(1990 + digest % 30, 1 + digest % 12, 1 + digest % 28),
        mother_name="",
        receita_situation="ATIVA",
        company=SubjectCompany(
            trade_name, nature, activity, capital, dt.date(2021, 1 + digest % 12, 1 + digest % 28)
        ),
    )


def scenarios_listing() -> list[dict[str, object]]:
    """The scenario table as served by GET /sandbox/scenarios."""
    listing = []
    for scenario in SCENARIOS.values():
        documents = [doc for doc, key in DOCUMENTS.items() if key == scenario.key]
        kinds: dict[str, int] = {}
        for r in scenario.restrictions:
            kinds[r.kind.value] = kinds.get(r.kind.value, 0) + 1
        listing.append(
            {
                "key": scenario.key,
                "title": scenario.title,
                "description": scenario.description,
                "documents": documents,
                "error": scenario.error,
                "has_restrictions": scenario.has_restrictions,
                "score": scenario.score,
                "restriction_counts": kinds,
                "restriction_total": str(
                    sum((r.amount or Decimal("0") for r in scenario.restrictions), Decimal("0"))
                ),
            }
        )
    return listing


# --- Scenarios registered at run time (POST /sandbox/scenarios) -------------------------------
# A test or a demo gives one document a person and a report of its own: a hostile name, an
# unusual creditor. Process-wide like SCENARIOS (the platform modules look scenarios up by
# document alone); SandboxState.reset() forgets them.

_registered: dict[str, tuple[Subject, Scenario]] = {}
_registered_lock = threading.Lock()


def _text(data: Mapping[str, Any], name: str, default: str = "") -> str:
    value = data.get(name, default)
    if not isinstance(value, str):
        raise ValueError(f"{name} deve ser texto")
    return value


def _items(data: Mapping[str, Any], name: str) -> list[Mapping[str, Any]] | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(item, Mapping) for item in value):
        raise ValueError(f"{name} deve ser uma lista de objetos")
    return value


def _decimal(item: Mapping[str, Any], name: str) -> Decimal:
    try:
        return Decimal(str(item.get(name, "0")))
    except InvalidOperation as exc:
        raise ValueError(f"{name} deve ser um número") from exc


def _cheque(data: Any) -> ScenarioCheque | None:
    if data is None:
        return None
    if not isinstance(data, Mapping):
        raise ValueError("cheque deve ser um objeto")
    return ScenarioCheque(
        bank_code=_text(data, "bank_code"),
        bank_name=_text(data, "bank_name"),
        agency=_text(data, "agency"),
        number=_text(data, "number"),
        alinea=_text(data, "alinea"),
        store=data.get("store") is True,
    )


def register_scenario(data: Mapping[str, Any]) -> Scenario:
    """Register the scenario a JSON body describes; ValueError (pt-BR) when it is malformed.

    `document` (valid CPF/CNPJ) is required; `base` names the scenario to start from (default
    "clean"); `name` and `mother_name` replace the subject's; `restrictions` (each with an
    optional `notary_office`, `court` and `cheque` {bank_code, bank_name, agency, number,
    alinea, store}; `amount` null for none), `inquiries` and `partners`, when given, replace
    the base's lists.
    """
    document = _text(data, "document")
    if not is_valid_document(document):
        raise ValueError("document deve ser um CPF ou CNPJ válido, sem máscara")
    base = SCENARIOS.get(_text(data, "base", "clean"))
    if base is None or base.error:
        raise ValueError(f"base desconhecida; use uma de {', '.join(GENERIC_SCENARIOS)}")
    changes: dict[str, Any] = {"key": f"registered:{document}", "title": "Cenário registrado"}
    try:
        if (restrictions := _items(data, "restrictions")) is not None:
            changes["restrictions"] = tuple(
                ScenarioRestriction(
                    kind=RestrictionKind(_text(item, "kind", "pefin")),
                    creditor=_text(item, "creditor"),
                    amount=None if item.get("amount", "0") is None else _decimal(item, "amount"),
                    days_ago=int(item.get("days_ago", 30)),
                    contract=_text(item, "contract"),
                    city=_text(item, "city"),
                    state=_text(item, "state"),
                    description=_text(item, "description"),
                    notary_office=_text(item, "notary_office"),
                    court=_text(item, "court"),
                    cheque=_cheque(item.get("cheque")),
                )
                for item in restrictions
            )
        if (inquiries := _items(data, "inquiries")) is not None:
            changes["inquiries"] = tuple(
                ScenarioInquiry(
                    _text(item, "inquirer"), int(item.get("days_ago", 10)), _text(item, "city")
                )
                for item in inquiries
            )
        if (partners := _items(data, "partners")) is not None:
            changes["partners"] = tuple(
                ScenarioPartner(
                    _text(item, "name"),
                    _text(item, "document"),
                    _text(item, "role"),
                    _decimal(item, "share"),
                )
                for item in partners
            )
    except TypeError as exc:
        raise ValueError("days_ago deve ser um número inteiro") from exc
    scenario = dataclasses.replace(base, **changes)
    generated = _generated_subject(document)
    subject = dataclasses.replace(
        generated,
        name=_text(data, "name", generated.name),
        mother_name=_text(data, "mother_name", generated.mother_name),
    )
    with _registered_lock:
        _registered[document] = (subject, scenario)
    return scenario


def registered_documents() -> list[str]:
    with _registered_lock:
        return sorted(_registered)


def forget_registered_scenarios() -> None:
    with _registered_lock:
        _registered.clear()
