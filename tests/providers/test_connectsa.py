"""ConnectSA (Mercúrio) adapter against its sandbox, over real HTTP on loopback."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal

import pytest

from providers import registry
from providers.base import (
    Address,
    AuthenticationFailed,
    Billed,
    ConsultRequest,
    Debtor,
    Identity,
    InclusionRequest,
    InclusionState,
    Inquiry,
    InvalidDocument,
    OperationNotSupported,
    Partner,
    PaymentHistory,
    PersonType,
    ProductNotAllowed,
    ProviderConfig,
    ProviderError,
    ProviderProtocolError,
    ProviderUnavailable,
    RecordNotFound,
    RemovalRequest,
    Restriction,
    RestrictionKind,
)
from providers.connectsa import Adapter
from providers.connectsa.adapter import HTML_UNAVAILABLE
from providers.connectsa.parse import CONSULT_AUTH_MESSAGE, PEFIN_AUTH_MESSAGE
from providers.parsing import totals_from_restrictions
from providers.registry import Capability
from providers.sandbox import connectsa as mercurio
from providers.sandbox.scenarios import (
    CLEAN_CPF,
    DOCUMENTS,
    LARGE_RESTRICTIONS_CPF,
    SCENARIOS,
    scenario_for,
    subject_for,
)
from providers.sandbox.server import RunningSandbox
from tests.providers.scenario_reports import core, in_order, promised, promised_totals
from tests.sandbox_client import advance_clock, billed_calls, inject_fault, ledger

PLATFORM = "connectsa"
CREDENTIALS = {
    "login": "sandbox",
    "password": "sandbox123",
    "idclient": "1001",
    "apikey": "sandbox-key",
    "login_pefin": "sandbox-pefin",
    "senha_pefin": "pefin123",
}
SCENARIO_DOCUMENTS = sorted(doc for doc, key in DOCUMENTS.items() if not SCENARIOS[key].error)
KIND_ORDER = list(RestrictionKind)


def _adapter(
    sandbox: RunningSandbox,
    overrides: dict[str, str] | None = None,
    *,
    environment: str = "sandbox",
    read_timeout: float = 5.0,
) -> Adapter:
    """An adapter on the sandbox; `overrides` replaces some of the test credentials."""
    config = ProviderConfig(
        base_url=f"{sandbox.url}/{PLATFORM}",
        credentials={**CREDENTIALS, **(overrides or {})},
        environment=environment,
        read_timeout=read_timeout,
    )
    return Adapter(config)


def _person_type(document: str) -> PersonType:
    return PersonType.PERSON if len(document) == 11 else PersonType.COMPANY


def _consult(document: str, product: str = "") -> ConsultRequest:
    return ConsultRequest(document=document, person_type=_person_type(document), product=product)


def _operations(sandbox: RunningSandbox) -> list[tuple[object, object]]:
    return [(e["operation"], e["billed"]) for e in ledger(sandbox, platform=PLATFORM)]


def _debt(
    document: str = CLEAN_CPF, state: str = "SP", contract: str = "CT-1001"
) -> InclusionRequest:
    return InclusionRequest(
        debtor=Debtor(
            document=document,
            person_type=_person_type(document),
            name="CLIENTE DEVEDOR",
            address=Address("01310100", "AV PAULISTA", "1000", "BELA VISTA", "SAO PAULO", state),
        ),
        contract_number=contract,
        our_number="NN-77",
        purchase_date=dt.date(2025, 10, 1),
        due_date=dt.date(2025, 12, 10),
        amount=Decimal("189.90"),
    )


# Consults: every scenario document ------------------------------------------------------------


@pytest.mark.parametrize("document", SCENARIO_DOCUMENTS)
def test_consult_scenario_document_gives_the_promised_report(
    sandbox: RunningSandbox, document: str
) -> None:
    scenario, subject = scenario_for(document), subject_for(document)
    today = sandbox.state.today()
    person_type = _person_type(document)

    report = _adapter(sandbox).consult(_consult(document, "CREDNET_TOP"))

    assert report.identity == Identity(
        subject.name,
        document,
        person_type,
        subject.birth_date,
        subject.mother_name,
        subject.receita_situation,
    )
    assert [r.kind for r in report.restrictions] == sorted(
        (r.kind for r in report.restrictions), key=KIND_ORDER.index
    )
    assert in_order(core(r) for r in report.restrictions) == in_order(
        promised(r, today) for r in scenario.restrictions
    )
    assert sorted(r.description for r in report.restrictions) == sorted(
        r.description for r in scenario.restrictions
    )
    assert report.totals == promised_totals(scenario)
    assert report.has_restrictions is scenario.has_restrictions
    assert report.score is not None
    assert (report.score.value, report.score.band, report.score.default_probability) == (
        scenario.score,
        scenario.score_band,
        scenario.default_probability,
    )
    assert report.inquiries == tuple(
        Inquiry(i.inquirer, today - dt.timedelta(days=i.days_ago), i.city)
        for i in scenario.inquiries
    )
    expected_partners = tuple(
        Partner(p.name, p.document, p.role, p.share) for p in scenario.partners
    )
    assert report.partners == (expected_partners if person_type is PersonType.COMPANY else ())
    expected_history = (
        PaymentHistory(scenario.on_time_payments, scenario.late_payments, scenario.commitments)
        if scenario.on_time_payments is not None
        else None
    )
    assert report.payment_history == expected_history
    assert (report.platform, report.product, report.billed) == (PLATFORM, "CREDNET_TOP", Billed.YES)
    assert len(report.protocol) == 16 and report.protocol.isdigit()
    assert (report.document is not None) is scenario.has_restrictions


def test_consult_default_product_is_light_without_score_or_partners(
    sandbox: RunningSandbox,
) -> None:
    report = _adapter(sandbox).consult(_consult("12ABC34501DE35"))
    assert (report.product, report.score, report.partners, report.payment_history) == (
        "CREDNET_LIGHT",
        None,
        (),
        None,
    )
    assert report.totals == totals_from_restrictions(report.restrictions)
    assert [t.count for t in report.totals] == [1]


def test_consult_relato_of_company_has_score_and_partners(sandbox: RunningSandbox) -> None:
    report = _adapter(sandbox).consult(_consult("ABCDEFGH000195", "RELATO"))
    assert report.score is not None and report.score.value == 700
    assert [p.name for p in report.partners] == ["MARIA EXEMPLO DA SILVA", "JOAO MODELO SOUZA"]


def test_consult_restricted_fetches_html_report_billed_once(sandbox: RunningSandbox) -> None:
    report = _adapter(sandbox).consult(_consult(LARGE_RESTRICTIONS_CPF))

    assert report.document is not None
    assert report.document.media_type == "text/html"
    page = report.document.content.decode("utf-8")
    assert f"Protocolo: {report.protocol}" in page
    assert subject_for(LARGE_RESTRICTIONS_CPF).name in page
    assert _operations(sandbox) == [("consulta", True), ("relatorio_html", False)]
    assert billed_calls(sandbox, platform=PLATFORM) == 1


def test_consult_clean_has_no_document_and_one_call(sandbox: RunningSandbox) -> None:
    report = _adapter(sandbox).consult(_consult(CLEAN_CPF))
    assert (report.has_restrictions, report.document, report.messages) == (
        False,
        None,
        ("Nada Consta",),
    )
    assert _operations(sandbox) == [("consulta", True)]


def test_consult_html_report_failure_keeps_the_billed_report(sandbox: RunningSandbox) -> None:
    inject_fault(sandbox, PLATFORM, "latency", count=1, latency_ms=0)  # the consult itself
    inject_fault(sandbox, PLATFORM, "http500", count=1)  # the HTML report

    report = _adapter(sandbox).consult(_consult(LARGE_RESTRICTIONS_CPF))

    assert (report.billed, report.document) == (Billed.YES, None)
    assert report.messages == ("Constam Restrições", HTML_UNAVAILABLE)
    assert billed_calls(sandbox, platform=PLATFORM) == 1


def test_consult_homologation_uses_free_static_mode(sandbox: RunningSandbox) -> None:
    report = _adapter(sandbox, environment="homologation").consult(_consult(LARGE_RESTRICTIONS_CPF))

    assert report.billed is Billed.NO
    assert report.identity.name == "CONSULTA ESTATICA DE TESTE"
    assert [(t.kind, t.count, t.amount) for t in report.totals] == [
        (RestrictionKind.PEFIN, 1, Decimal("100.00"))
    ]
    assert report.document is not None
    assert _operations(sandbox) == [("consulta_estatica", False), ("relatorio_html", False)]
    assert billed_calls(sandbox, platform=PLATFORM) == 0


# Consults: errors ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("login", "Usuário ou senha inválidos"),
        ("password", "Usuário ou senha inválidos"),
        ("idclient", "IdClient ou ApiKey inválidos"),
        ("apikey", "IdClient ou ApiKey inválidos"),
    ],
)
def test_consult_wrong_credential_raises_authentication_failed(
    sandbox: RunningSandbox, field: str, message: str
) -> None:
    with pytest.raises(AuthenticationFailed) as caught:
        _adapter(sandbox, {field: "errado"}).consult(_consult(CLEAN_CPF))
    assert (caught.value.code, caught.value.message) == ("101", message)
    assert caught.value.user_message == CONSULT_AUTH_MESSAGE
    assert _operations(sandbox) == [("consulta", False)]


@pytest.mark.parametrize("document", ["52998224700", "11222333000100"])
def test_consult_invalid_document_raises_invalid_document(
    sandbox: RunningSandbox, document: str
) -> None:
    with pytest.raises(InvalidDocument) as caught:
        _adapter(sandbox).consult(_consult(document))
    assert (caught.value.code, caught.value.message, caught.value.billed) == (
        "201",
        "Documento inválido",
        Billed.NO,
    )
    assert billed_calls(sandbox, platform=PLATFORM) == 0


def test_consult_person_type_mismatch_raises_invalid_document(sandbox: RunningSandbox) -> None:
    request = ConsultRequest(CLEAN_CPF, PersonType.COMPANY)
    with pytest.raises(InvalidDocument) as caught:
        _adapter(sandbox).consult(request)
    assert caught.value.code == "202"


def test_consult_unknown_product_raises_product_not_allowed(sandbox: RunningSandbox) -> None:
    with pytest.raises(ProductNotAllowed) as caught:
        _adapter(sandbox).consult(_consult(CLEAN_CPF, "CONCENTRE"))
    assert (caught.value.code, caught.value.message) == (
        "301",
        "Consulta não liberada para o cliente",
    )
    assert billed_calls(sandbox, platform=PLATFORM) == 0


def test_consult_relato_of_person_raises_product_not_allowed(sandbox: RunningSandbox) -> None:
    with pytest.raises(ProductNotAllowed) as caught:
        _adapter(sandbox).consult(_consult(CLEAN_CPF, "RELATO"))
    assert caught.value.code == "302"


@pytest.mark.parametrize("document", ["32165498791", "Z1X2C3V4000102"])
def test_consult_platform_error_raises_unavailable_not_billed(
    sandbox: RunningSandbox, document: str
) -> None:
    with pytest.raises(ProviderUnavailable) as caught:
        _adapter(sandbox).consult(_consult(document))
    assert (caught.value.code, caught.value.message, caught.value.billed) == (
        "901",
        "Erro interno, tente novamente",
        Billed.NO,
    )
    assert _operations(sandbox) == [("consulta", False)]


# Faults injected by the sandbox ---------------------------------------------------------------


def test_consult_read_timeout_is_billed_unknown_and_never_retried(sandbox: RunningSandbox) -> None:
    inject_fault(sandbox, PLATFORM, "timeout", latency_ms=1500)
    with pytest.raises(ProviderUnavailable) as caught:
        _adapter(sandbox, read_timeout=0.5).consult(_consult(CLEAN_CPF))
    assert (caught.value.code, caught.value.billed) == ("timeout", Billed.UNKNOWN)
    assert billed_calls(sandbox, platform=PLATFORM) == 1
    assert len(ledger(sandbox, platform=PLATFORM)) == 1


def test_consult_http500_raises_unavailable_billed_unknown(sandbox: RunningSandbox) -> None:
    inject_fault(sandbox, PLATFORM, "http500")
    with pytest.raises(ProviderUnavailable) as caught:
        _adapter(sandbox).consult(_consult(CLEAN_CPF))
    assert (caught.value.code, caught.value.billed) == ("http_500", Billed.UNKNOWN)
    assert ledger(sandbox, platform=PLATFORM) == []


def test_consult_malformed_body_raises_protocol_error_billed_unknown(
    sandbox: RunningSandbox,
) -> None:
    inject_fault(sandbox, PLATFORM, "malformed")
    with pytest.raises(ProviderProtocolError) as caught:
        _adapter(sandbox).consult(_consult(CLEAN_CPF))
    assert (caught.value.code, caught.value.billed) == ("malformed_json", Billed.UNKNOWN)
    assert billed_calls(sandbox, platform=PLATFORM) == 1


def test_consult_auth_fault_raises_authentication_failed(sandbox: RunningSandbox) -> None:
    inject_fault(sandbox, PLATFORM, "auth")
    with pytest.raises(AuthenticationFailed) as caught:
        _adapter(sandbox).consult(_consult(CLEAN_CPF))
    assert caught.value.code == "101"


def test_consult_latency_fault_still_answers(sandbox: RunningSandbox) -> None:
    inject_fault(sandbox, PLATFORM, "latency", latency_ms=300)
    started = time.perf_counter()
    report = _adapter(sandbox).consult(_consult(CLEAN_CPF))
    assert time.perf_counter() - started >= 0.3
    assert report.identity.name == subject_for(CLEAN_CPF).name


def test_products_timeout_is_retried_because_free(sandbox: RunningSandbox) -> None:
    inject_fault(sandbox, PLATFORM, "timeout", latency_ms=1500)
    products = _adapter(sandbox, read_timeout=0.5).products()
    assert [p.code for p in products] == ["CREDNET_LIGHT", "CREDNET_TOP", "RELATO"]
    assert _operations(sandbox) == [("produtos", False), ("produtos", False)]


# Products, reasons, credentials, balance ------------------------------------------------------


def test_products_lists_catalogue_free(sandbox: RunningSandbox) -> None:
    products = _adapter(sandbox).products()
    assert [(p.code, p.person_types) for p in products] == [
        ("CREDNET_LIGHT", (PersonType.PERSON, PersonType.COMPANY)),
        ("CREDNET_TOP", (PersonType.PERSON, PersonType.COMPANY)),
        ("RELATO", (PersonType.COMPANY,)),
    ]
    assert _operations(sandbox) == [("produtos", False)]


def test_products_wrong_password_raises_authentication_failed(sandbox: RunningSandbox) -> None:
    with pytest.raises(AuthenticationFailed):
        _adapter(sandbox, {"password": "errada"}).products()


def test_reason_lists_come_from_pefin_api(sandbox: RunningSandbox) -> None:
    adapter = _adapter(sandbox)
    inclusion = adapter.inclusion_reasons()
    removal = adapter.removal_reasons()
    assert [(r.code, r.description) for r in inclusion] == list(mercurio.INCLUSION_REASONS.items())
    assert [(r.code, r.description) for r in removal] == list(mercurio.REMOVAL_REASONS.items())
    assert _operations(sandbox) == [
        ("pefin_motivos_inclusao", False),
        ("pefin_motivos_baixa", False),
    ]


def test_check_credentials_uses_free_calls_for_both_pairs(sandbox: RunningSandbox) -> None:
    _adapter(sandbox).check_credentials()
    assert _operations(sandbox) == [("consulta_estatica", False), ("pefin_motivos_inclusao", False)]
    assert [e["credential"] for e in ledger(sandbox, platform=PLATFORM)] == [
        "sandbox",
        "sandbox-pefin",
    ]


def test_check_credentials_wrong_consult_password_raises(sandbox: RunningSandbox) -> None:
    with pytest.raises(AuthenticationFailed) as caught:
        _adapter(sandbox, {"password": "errada"}).check_credentials()
    assert caught.value.user_message == CONSULT_AUTH_MESSAGE


def test_check_credentials_wrong_pefin_password_names_pefin(sandbox: RunningSandbox) -> None:
    with pytest.raises(AuthenticationFailed) as caught:
        _adapter(sandbox, {"senha_pefin": "errada"}).check_credentials()
    assert (caught.value.code, caught.value.user_message) == ("101", PEFIN_AUTH_MESSAGE)


def test_check_credentials_without_pefin_pair_checks_consult_only(
    sandbox: RunningSandbox,
) -> None:
    _adapter(sandbox, {"login_pefin": "", "senha_pefin": ""}).check_credentials()
    assert _operations(sandbox) == [("consulta_estatica", False)]


def test_balance_is_not_supported() -> None:
    adapter = Adapter(ProviderConfig(base_url="http://127.0.0.1:9", credentials=CREDENTIALS))
    assert not registry.get("connectsa").supports(Capability.BALANCE)
    with pytest.raises(OperationNotSupported):
        adapter.balance()


def test_credential_fields_include_both_pairs() -> None:
    fields = registry.get("connectsa").credential_fields
    assert [f.name for f in fields] == list(CREDENTIALS)
    assert [f.name for f in fields if f.secret] == [
        "password",
        "apikey",
        "senha_pefin",
    ]


# Negativação (PEFIN) --------------------------------------------------------------------------


def test_include_returns_pending_receipt_billed(sandbox: RunningSandbox) -> None:
    receipt = _adapter(sandbox).include(_debt())

    stored = sandbox.state.inclusion_by_id(PLATFORM, receipt.platform_id)
    assert stored is not None
    assert (stored.document, stored.contract, stored.amount) == (
        CLEAN_CPF,
        "CT-1001",
        Decimal("189.90"),
    )
    assert (receipt.state, receipt.billed, receipt.duplicate) == (
        InclusionState.PENDING,
        Billed.YES,
        False,
    )
    assert [
        (e["operation"], e["document"], e["credential"], e["billed"])
        for e in ledger(sandbox, platform=PLATFORM)
    ] == [("pefin_incluir", CLEAN_CPF, "sandbox-pefin", True)]


def test_include_duplicate_returns_same_id_not_billed(sandbox: RunningSandbox) -> None:
    adapter = _adapter(sandbox)
    first = adapter.include(_debt())
    again = adapter.include(_debt())
    assert (again.platform_id, again.duplicate, again.billed, again.state) == (
        first.platform_id,
        True,
        Billed.NO,
        InclusionState.PENDING,
    )
    assert again.messages == (mercurio.DUPLICATE,)
    assert billed_calls(sandbox, platform=PLATFORM) == 1


@pytest.mark.parametrize(("state", "notice_days"), [("SP", 20), ("MG", 10)])
def test_inclusion_shows_in_consult_only_after_notice_period(
    sandbox: RunningSandbox, state: str, notice_days: int
) -> None:
    adapter = _adapter(sandbox)
    debt = _debt(state=state)
    receipt = adapter.include(debt)

    advance_clock(sandbox, notice_days - 0.5)
    before = adapter.consult(_consult(CLEAN_CPF))
    pending = adapter.inclusion_status(receipt.platform_id, debt)
    advance_clock(sandbox, 1)
    after = adapter.consult(_consult(CLEAN_CPF))
    active = adapter.inclusion_status(receipt.platform_id, debt)

    assert (before.has_restrictions, pending.state) == (False, InclusionState.PENDING)
    assert after.restrictions == (
        Restriction(
            RestrictionKind.PEFIN,
            mercurio.CLIENT_NAME,
            Decimal("189.90"),
            debt.due_date,
            "CT-1001",
            "SAO PAULO",
            state,
            "Negativação PEFIN",
        ),
    )
    assert [(t.kind, t.count, t.amount) for t in after.totals] == [
        (RestrictionKind.PEFIN, 1, Decimal("189.90"))
    ]
    assert after.document is not None
    assert active.state is InclusionState.ACTIVE


def test_remove_sets_removed_and_clears_the_consult(sandbox: RunningSandbox) -> None:
    adapter = _adapter(sandbox)
    debt = _debt(state="MG")
    receipt = adapter.include(debt)
    advance_clock(sandbox, 11)

    removal = adapter.remove(RemovalRequest(receipt.platform_id, debt))

    stored = sandbox.state.inclusion_by_id(PLATFORM, receipt.platform_id)
    assert stored is not None and stored.removed_at is not None
    assert (removal.platform_id, removal.removed_at, stored.removal_reason) == (
        receipt.platform_id,
        stored.removed_at,
        "01",
    )
    assert adapter.inclusion_status(receipt.platform_id, debt).state is InclusionState.REMOVED
    assert adapter.consult(_consult(CLEAN_CPF)).has_restrictions is False
    assert ("pefin_excluir", False) in _operations(sandbox)
    assert billed_calls(sandbox, platform=PLATFORM) == 2  # the inclusion and the consult


def test_remove_twice_reports_the_first_removal(sandbox: RunningSandbox) -> None:
    adapter = _adapter(sandbox)
    debt = _debt()
    receipt = adapter.include(debt)
    first = adapter.remove(RemovalRequest(receipt.platform_id, debt, reason_code="02"))
    second = adapter.remove(RemovalRequest(receipt.platform_id, debt))
    assert (second.removed_at, second.messages) == (first.removed_at, (mercurio.ALREADY_REMOVED,))


def test_remove_unknown_record_raises_record_not_found(sandbox: RunningSandbox) -> None:
    with pytest.raises(RecordNotFound) as caught:
        _adapter(sandbox).remove(RemovalRequest("CON99999999", _debt()))
    assert (caught.value.code, caught.value.message) == ("404", mercurio.NOT_FOUND)


def test_inclusion_status_unknown_record_raises_record_not_found(
    sandbox: RunningSandbox,
) -> None:
    with pytest.raises(RecordNotFound):
        _adapter(sandbox).inclusion_status("CON99999999", _debt())


def test_include_invalid_document_raises_not_billed(sandbox: RunningSandbox) -> None:
    with pytest.raises(InvalidDocument) as caught:
        _adapter(sandbox).include(_debt(document="52998224700"))
    assert (caught.value.code, caught.value.billed) == ("201", Billed.NO)
    assert _operations(sandbox) == [("pefin_incluir", False)]


def test_include_platform_error_raises_unavailable(sandbox: RunningSandbox) -> None:
    with pytest.raises(ProviderUnavailable) as caught:
        _adapter(sandbox).include(_debt(document="32165498791"))
    assert (caught.value.code, caught.value.billed) == ("901", Billed.NO)


def test_include_wrong_pefin_password_names_pefin(sandbox: RunningSandbox) -> None:
    with pytest.raises(AuthenticationFailed) as caught:
        _adapter(sandbox, {"senha_pefin": "errada"}).include(_debt())
    assert caught.value.user_message == PEFIN_AUTH_MESSAGE
    assert sandbox.state.inclusions == []


def test_include_unknown_reason_is_refused(sandbox: RunningSandbox) -> None:
    debt = _debt()
    with pytest.raises(ProviderError) as caught:
        _adapter(sandbox).include(
            InclusionRequest(
                debt.debtor,
                debt.contract_number,
                debt.our_number,
                debt.purchase_date,
                debt.due_date,
                debt.amount,
                reason_code="ZZ",
            )
        )
    assert type(caught.value) is ProviderError
    assert (caught.value.code, caught.value.message) == ("401", "Campo inválido: codigonatureza")
    assert caught.value.user_message == (
        "A ConnectSA recusou a operação: Campo inválido: codigonatureza."
    )


def test_include_timeout_is_billed_unknown_once(sandbox: RunningSandbox) -> None:
    inject_fault(sandbox, PLATFORM, "timeout", latency_ms=1500)
    with pytest.raises(ProviderUnavailable) as caught:
        _adapter(sandbox, read_timeout=0.5).include(_debt())
    assert caught.value.billed is Billed.UNKNOWN
    assert billed_calls(sandbox, platform=PLATFORM) == 1
    assert len(sandbox.state.inclusions) == 1
