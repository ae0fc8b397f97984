"""SOAWebService adapter against its sandbox over real HTTP on loopback."""

from __future__ import annotations

import datetime as dt
import json
import time
from decimal import Decimal
from pathlib import Path

import pytest
import requests

from providers.base import (
    Address,
    AuthenticationFailed,
    Balance,
    Billed,
    BureauCode,
    Company,
    ConsultRequest,
    CreditReport,
    Debtor,
    Detail,
    InclusionRequest,
    InclusionState,
    Inquiry,
    InsufficientBalance,
    InvalidDocument,
    KindTotal,
    Partner,
    PersonType,
    Product,
    ProductNotAllowed,
    ProviderConfig,
    ProviderError,
    ProviderProtocolError,
    ProviderUnavailable,
    ReasonCode,
    RecordNotFound,
    RemovalRequest,
    RestrictionKind,
)
from providers.registry import build_adapter
from providers.sandbox import soawebservice as soa_sandbox
from providers.sandbox.scenarios import DOCUMENTS, SCENARIOS, subject_for
from providers.sandbox.server import RunningSandbox
from providers.soawebservice import Adapter
from tests.providers.scenario_reports import core, in_order, promised, promised_totals
from tests.sandbox_client import advance_clock, billed_calls, inject_fault, ledger

KEY = "soawebservice"
CREDENTIALS = {"email": "sandbox@creditcheck.local", "senha": "sandbox123"}
HOMOLOGATION = {"email": "homologacao@creditcheck.local", "senha": "homologacao"}
FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "soawebservices"
K = RestrictionKind

# Serasa holds no SPC records: the Serasa platforms render the scenarios' SPC debts as PEFIN.
SERASA_KIND = {K.SPC: K.PEFIN}
ALINEA_12 = BureauCode("12", "Cheque sem fundos - 2ª apresentação")


def _adapter(
    sandbox: RunningSandbox, credentials: dict[str, str] = CREDENTIALS, **options: object
) -> Adapter:
    config = ProviderConfig(
        base_url=f"{sandbox.url}/{KEY}",
        credentials=credentials,
        **options,  # type: ignore[arg-type]  # environment / timeouts only
    )
    adapter = build_adapter(KEY, config)
    assert isinstance(adapter, Adapter)
    return adapter


def _docs(length: int) -> list[str]:
    return [d for d, key in DOCUMENTS.items() if len(d) == length and not SCENARIOS[key].error]


def _person_type(document: str) -> PersonType:
    return PersonType.PERSON if len(document) == 11 else PersonType.COMPANY


def _consult(adapter: Adapter, document: str, product: str = "") -> CreditReport:
    return adapter.consult(ConsultRequest(document, _person_type(document), product=product))


def _inclusion(
    document: str = "52998224725",
    *,
    uf: str = "SP",
    cep: str = "01001000",
    contract: str = "CT-2024-001",
    reason: str = "",
) -> InclusionRequest:
    address = Address(cep, "RUA DAS FLORES", "100", "CENTRO", "CIDADE EXEMPLO", uf)
    debtor = Debtor(document, _person_type(document), "FULANO DE TAL", address)
    return InclusionRequest(
        debtor=debtor,
        contract_number=contract,
        our_number="NN-778",
        purchase_date=dt.date(2024, 1, 10),
        due_date=dt.date(2024, 3, 10),
        amount=Decimal("149.90"),
        reason_code=reason,
    )


# --------------------------------------------------------------------------------------------
# Consults: every scenario document gives what the scenario table promises


@pytest.mark.parametrize("product", ["CREDNET", "CONCENTRE"])
@pytest.mark.parametrize("document", _docs(11) + _docs(14))
def test_consult_scenario_document_gives_promised_report(
    sandbox: RunningSandbox, document: str, product: str
) -> None:
    scenario, subject = SCENARIOS[DOCUMENTS[document]], subject_for(document)
    today = sandbox.state.today()

    report = _consult(_adapter(sandbox), document, product)

    assert (report.platform, report.product, report.billed) == (KEY, product, Billed.YES)
    assert report.identity.name == subject.name
    assert report.identity.document == document
    assert report.identity.person_type is _person_type(document)
    assert report.identity.birth_date == subject.birth_date
    assert report.has_restrictions is scenario.has_restrictions
    assert report.score is not None and report.score.value == scenario.score
    assert report.score.band == scenario.score_band
    assert report.score.default_probability == scenario.default_probability
    assert report.totals == promised_totals(scenario, SERASA_KIND)
    assert in_order(core(r) for r in report.restrictions) == in_order(
        promised(r, today, SERASA_KIND) for r in scenario.restrictions
    )
    assert report.inquiries == tuple(
        Inquiry(i.inquirer, today - dt.timedelta(days=i.days_ago), i.city)
        for i in scenario.inquiries
    )
    partners = tuple(Partner(p.name, p.document, p.role, p.share) for p in scenario.partners)
    with_partners = product == "CONCENTRE" and len(document) == 14
    assert report.partners == (partners if with_partners else ())
    assert report.protocol.isdigit()
    assert json.loads(report.raw)["documento"] == document


def test_consult_large_restrictions_renders_spc_debts_as_pefin(sandbox: RunningSandbox) -> None:
    report = _consult(_adapter(sandbox), "98765432100")

    assert report.totals == (
        KindTotal(K.PEFIN, 3, Decimal("29980.00")),  # 25400 + SPC 3890 + SPC 690
        KindTotal(K.REFIN, 1, Decimal("18750.00")),
    )
    assert K.SPC not in {r.kind for r in report.restrictions}


def test_consult_protests_and_cheques_maps_each_block(sandbox: RunningSandbox) -> None:
    report = _consult(_adapter(sandbox), "11144477735")

    assert report.totals == (
        KindTotal(K.PROTESTO, 2, Decimal("2045.50")),
        KindTotal(K.CHEQUE, 3, Decimal("0"), unvalued=3),
    )
    cheques = [r for r in report.restrictions if r.kind is K.CHEQUE]
    assert [(c.bank, c.agency, c.amount, c.alinea) for c in cheques] == [
        ("001 - BANCO EXEMPLO S.A.", "1234", None, ALINEA_12),
        ("001 - BANCO EXEMPLO S.A.", "1234", None, ALINEA_12),
        ("237 - BANCO MODELO S.A.", "0456", None, BureauCode("13", "Conta encerrada")),
    ]
    protests = [r for r in report.restrictions if r.kind is K.PROTESTO]
    assert [(p.creditor, p.notary_office) for p in protests] == [
        ("DISTRIBUIDORA ALFA LTDA", "1º TABELIONATO DE PROTESTO DE CURITIBA"),
        ("CONSTRUTORA BETA LTDA", "2º TABELIONATO DE PROTESTO DE CURITIBA"),
    ]


def test_consult_pending_item_modality_gets_its_portuguese_description(
    sandbox: RunningSandbox,
) -> None:
    report = _consult(_adapter(sandbox), "12345678909")  # small_restriction

    assert [r.nature for r in report.restrictions] == [
        BureauCode("OUTRAS OPER", "Outras operações")
    ]
    assert report.restrictions[0].details == (
        Detail("Devedor principal", "Sim"),
        Detail("Em disputa judicial", "Não"),
    )


def test_consult_company_gives_company_data(sandbox: RunningSandbox) -> None:
    subject = subject_for("12ABC34501DE35")
    assert subject.company is not None

    report = _consult(_adapter(sandbox), "12ABC34501DE35", "CONCENTRE")

    assert report.company == Company(
        trade_name=subject.company.trade_name,
        legal_nature=BureauCode(*subject.company.legal_nature),
        main_activity=BureauCode(*subject.company.main_activity),
        capital=subject.company.capital,
        situation_on=subject.company.situation_on,
    )
    assert report.identity.mother_name == ""


def test_consult_default_product_is_crednet(sandbox: RunningSandbox) -> None:
    report = _consult(_adapter(sandbox), "52998224725")

    assert report.product == "CREDNET"
    assert [e["operation"] for e in ledger(sandbox, platform=KEY)] == ["CredNet"]


def test_consult_unknown_product_raises_product_not_allowed_without_call(
    sandbox: RunningSandbox,
) -> None:
    with pytest.raises(ProductNotAllowed) as caught:
        _consult(_adapter(sandbox), "52998224725", "PEFIN")

    assert (caught.value.code, caught.value.billed) == ("product", Billed.NO)
    assert ledger(sandbox, platform=KEY) == []


@pytest.mark.parametrize("document", ["52998224700", "11222333000100", "123"])
def test_consult_invalid_document_raises_invalid_document(
    sandbox: RunningSandbox, document: str
) -> None:
    with pytest.raises(InvalidDocument) as caught:
        _consult(_adapter(sandbox), document)

    assert (caught.value.code, caught.value.billed) == ("G000M003", Billed.NO)
    assert caught.value.message == "Documento invalido para consulta"
    assert billed_calls(sandbox, platform=KEY) == 0


@pytest.mark.parametrize("document", ["32165498791", "Z1X2C3V4000102"])
def test_consult_platform_error_raises_unavailable_not_billed(
    sandbox: RunningSandbox, document: str
) -> None:
    with pytest.raises(ProviderUnavailable) as caught:
        _consult(_adapter(sandbox), document)

    assert (caught.value.code, caught.value.billed) == ("G000M099", Billed.NO)
    assert caught.value.retryable is True
    assert [e["billed"] for e in ledger(sandbox, platform=KEY)] == [False]


def test_consult_wrong_password_raises_authentication_failed(sandbox: RunningSandbox) -> None:
    adapter = _adapter(sandbox, {"email": CREDENTIALS["email"], "senha": "errada"})

    with pytest.raises(AuthenticationFailed) as caught:
        _consult(adapter, "52998224725")

    assert caught.value.code == "G000M000"
    assert caught.value.message == "Credenciais de Acesso (Usuario e/ou Senha) Invalidos"
    assert "e-mail e a senha" in caught.value.user_message
    assert [(e["credential"], e["billed"]) for e in ledger(sandbox, platform=KEY)] == [
        (CREDENTIALS["email"], False)
    ]


# --------------------------------------------------------------------------------------------
# Billing and balance


def test_ledger_bills_consults_and_inclusions_only(sandbox: RunningSandbox) -> None:
    adapter = _adapter(sandbox)
    _consult(adapter, "12345678909")
    _consult(adapter, "45212669000185", "CONCENTRE")
    receipt = adapter.include(_inclusion())
    adapter.inclusion_status(receipt.platform_id, _inclusion())
    adapter.list_inclusions(InclusionState.PENDING)
    adapter.inclusion_reasons()
    adapter.removal_reasons()
    adapter.remove(RemovalRequest(receipt.platform_id, _inclusion()))
    adapter.check_credentials()

    assert [(e["operation"], e["document"], e["billed"]) for e in ledger(sandbox)] == [
        ("CredNet", "12345678909", True),
        ("Concentre", "45212669000185", True),
        ("Inserir", "52998224725", True),
        ("Consulta", "52998224725", False),
        ("Lista", "", False),
        ("CodigosRestricoes", "", False),
        ("CodigosBaixa", "", False),
        ("Excluir", "52998224725", False),
        ("Saldo", "", False),
    ]
    assert {e["credential"] for e in ledger(sandbox)} == {CREDENTIALS["email"]}


def test_balance_starts_at_500_and_drops_by_each_billed_call(sandbox: RunningSandbox) -> None:
    adapter = _adapter(sandbox)
    assert adapter.balance() == Balance(Decimal("500.00"), "BRL")

    _consult(adapter, "52998224725")
    assert adapter.balance().amount == Decimal("484.00")
    _consult(adapter, "52998224725", "CONCENTRE")
    assert adapter.balance().amount == Decimal("462.00")
    adapter.include(_inclusion())
    assert adapter.balance().amount == Decimal("457.50")


def test_consult_without_credit_raises_insufficient_balance(sandbox: RunningSandbox) -> None:
    adapter = _adapter(sandbox)
    for _ in range(31):  # 31 x R$ 16,00 = R$ 496,00 of the R$ 500,00
        _consult(adapter, "52998224725")
    assert adapter.balance().amount == Decimal("4.00")

    with pytest.raises(InsufficientBalance) as consult_error:
        _consult(adapter, "52998224725")
    with pytest.raises(InsufficientBalance) as include_error:
        adapter.include(_inclusion())

    assert (consult_error.value.code, consult_error.value.billed) == ("G000M005", Billed.NO)
    assert include_error.value.code == "G000M005"
    assert billed_calls(sandbox, platform=KEY) == 31
    assert adapter.balance().amount == Decimal("4.00")


def test_check_credentials_passes_and_is_free(sandbox: RunningSandbox) -> None:
    _adapter(sandbox).check_credentials()

    assert [(e["operation"], e["billed"]) for e in ledger(sandbox)] == [("Saldo", False)]


def test_check_credentials_wrong_email_raises_authentication_failed(
    sandbox: RunningSandbox,
) -> None:
    adapter = _adapter(sandbox, {"email": "outro@creditcheck.local", "senha": "sandbox123"})

    with pytest.raises(AuthenticationFailed) as caught:
        adapter.check_credentials()

    assert caught.value.code == "G000M000"


# --------------------------------------------------------------------------------------------
# Homologation account: fixed echo payload, never billed


def test_homologation_consult_returns_echo_report_not_billed(sandbox: RunningSandbox) -> None:
    adapter = _adapter(sandbox, HOMOLOGATION, environment="homologation")
    today = sandbox.state.today()

    report = _consult(adapter, "98765432100")

    assert report.billed is Billed.NO
    assert (report.identity.name, report.identity.document) == ("", "98765432100")
    assert report.identity.birth_date == today
    assert report.totals == (KindTotal(K.PEFIN, 1, Decimal("1")), KindTotal(K.REFIN, 1, Decimal(1)))
    assert [(r.kind, r.amount, r.occurred_on) for r in report.restrictions] == [
        (K.PEFIN, Decimal("1"), today),
        (K.REFIN, Decimal("1"), today),
    ]
    assert report.score is not None
    assert (report.score.value, report.score.default_probability) == (1, Decimal("1"))
    assert [(e["operation"], e["billed"]) for e in ledger(sandbox)] == [("CredNet", False)]
    assert _adapter(sandbox).balance().amount == Decimal("500.00")


def test_homologation_inclusion_and_removal_echo_not_billed(sandbox: RunningSandbox) -> None:
    adapter = _adapter(sandbox, HOMOLOGATION, environment="homologation")

    receipt = adapter.include(_inclusion())
    removal = adapter.remove(RemovalRequest(receipt.platform_id, _inclusion()))

    assert (receipt.platform_id, receipt.state, receipt.billed) == (
        soa_sandbox.HOMOLOGATION_ID,
        InclusionState.PENDING,
        Billed.NO,
    )
    assert removal.platform_id == soa_sandbox.HOMOLOGATION_ID
    assert removal.removed_at is not None
    assert removal.removed_at.date() == sandbox.state.today()
    assert billed_calls(sandbox) == 0
    assert sandbox.state.inclusions == []


# --------------------------------------------------------------------------------------------
# Negativações


def test_include_returns_pending_receipt_billed(sandbox: RunningSandbox) -> None:
    receipt = _adapter(sandbox).include(_inclusion())

    assert (receipt.state, receipt.billed, receipt.duplicate) == (
        InclusionState.PENDING,
        Billed.YES,
        False,
    )
    stored = sandbox.state.inclusion_by_id(KEY, receipt.platform_id)
    assert stored is not None
    assert (stored.document, stored.contract, stored.amount, stored.state) == (
        "52998224725",
        "CT-2024-001",
        Decimal("149.90"),
        "SP",
    )
    assert (stored.due_date, stored.our_number, stored.reason_code) == (
        dt.date(2024, 3, 10),
        "NN-778",
        "1",
    )


@pytest.mark.parametrize(("uf", "notice_days"), [("SP", 20), ("MG", 10)])
def test_inclusion_shows_in_consult_only_after_notice_period(
    sandbox: RunningSandbox, uf: str, notice_days: int
) -> None:
    adapter = _adapter(sandbox)
    request = _inclusion("52998224725", uf=uf)
    receipt = adapter.include(request)

    advance_clock(sandbox, notice_days - 1)
    assert _consult(adapter, "52998224725").restrictions == ()
    assert adapter.inclusion_status(receipt.platform_id, request).state is InclusionState.PENDING

    advance_clock(sandbox, 2)
    report = _consult(adapter, "52998224725")
    assert report.totals == (KindTotal(K.PEFIN, 1, Decimal("149.90")),)
    assert [(r.creditor, r.contract, r.occurred_on, r.state) for r in report.restrictions] == [
        ("PROVEDOR SANDBOX LTDA", "CT-2024-001", dt.date(2024, 3, 10), uf)
    ]
    assert adapter.inclusion_status(receipt.platform_id, request).state is InclusionState.ACTIVE


def test_inclusion_adds_to_scenario_restrictions(sandbox: RunningSandbox) -> None:
    adapter = _adapter(sandbox)
    adapter.include(_inclusion("12345678909", uf="MG"))
    advance_clock(sandbox, 11)

    report = _consult(adapter, "12345678909")

    assert report.totals == (KindTotal(K.PEFIN, 2, Decimal("339.80")),)  # 189.90 + 149.90


def test_include_duplicate_returns_existing_id_not_billed(sandbox: RunningSandbox) -> None:
    adapter = _adapter(sandbox)
    first = adapter.include(_inclusion())

    again = adapter.include(_inclusion())

    assert (again.platform_id, again.duplicate, again.billed) == (
        first.platform_id,
        True,
        Billed.NO,
    )
    assert again.state is InclusionState.PENDING
    assert [e["billed"] for e in ledger(sandbox, operation="Inserir")] == [True, False]
    assert len(sandbox.state.inclusions) == 1


def test_include_after_removal_is_a_new_record(sandbox: RunningSandbox) -> None:
    adapter = _adapter(sandbox)
    first = adapter.include(_inclusion())
    adapter.remove(RemovalRequest(first.platform_id, _inclusion()))

    second = adapter.include(_inclusion())

    assert second.duplicate is False
    assert second.platform_id != first.platform_id


def test_include_invalid_debtor_document_raises_invalid_document(
    sandbox: RunningSandbox,
) -> None:
    with pytest.raises(InvalidDocument) as caught:
        _adapter(sandbox).include(_inclusion("52998224700"))

    assert caught.value.code == "G000M003"
    assert billed_calls(sandbox) == 0


def test_include_unknown_restriction_code_raises_provider_error(
    sandbox: RunningSandbox,
) -> None:
    with pytest.raises(ProviderError) as caught:
        _adapter(sandbox).include(_inclusion(reason="99"))

    assert type(caught.value) is ProviderError
    assert caught.value.code == "N000M003"
    assert caught.value.message == "Dados da negativacao invalidos: codigoRestricao"
    assert billed_calls(sandbox) == 0


def test_include_undeliverable_address_ends_in_error(sandbox: RunningSandbox) -> None:
    adapter = _adapter(sandbox)
    request = _inclusion(uf="MG", cep="00000000")
    receipt = adapter.include(request)
    assert receipt.state is InclusionState.PENDING

    advance_clock(sandbox, 11)
    status = adapter.inclusion_status(receipt.platform_id, request)

    assert status.state is InclusionState.ERROR
    assert status.messages == ("Endereco do devedor nao localizado para envio do comunicado (FAC)",)
    assert _consult(adapter, "52998224725").restrictions == ()


def test_remove_returns_receipt_and_record_disappears(sandbox: RunningSandbox) -> None:
    adapter = _adapter(sandbox)
    request = _inclusion(uf="MG")
    receipt = adapter.include(request)
    advance_clock(sandbox, 11)
    assert _consult(adapter, "52998224725").has_restrictions is True

    removal = adapter.remove(RemovalRequest(receipt.platform_id, request, reason_code="2"))

    assert removal.platform_id == receipt.platform_id
    assert removal.removed_at is not None
    assert abs(removal.removed_at - sandbox.state.now()) <= dt.timedelta(seconds=2)
    assert removal.messages == ("Renegociação / acordo",)
    status = adapter.inclusion_status(receipt.platform_id, request)
    assert status.state is InclusionState.REMOVED
    assert _consult(adapter, "52998224725").has_restrictions is False
    stored = sandbox.state.inclusion_by_id(KEY, receipt.platform_id)
    assert stored is not None and stored.removal_reason == "2"


def test_remove_unknown_record_raises_record_not_found(sandbox: RunningSandbox) -> None:
    request = RemovalRequest("00000000-0000-4000-8000-000000000000", _inclusion())

    with pytest.raises(RecordNotFound) as caught:
        _adapter(sandbox).remove(request)

    assert (caught.value.code, caught.value.message) == ("N000M002", "Negativacao nao encontrada")


def test_remove_twice_raises_record_not_found(sandbox: RunningSandbox) -> None:
    adapter = _adapter(sandbox)
    receipt = adapter.include(_inclusion())
    adapter.remove(RemovalRequest(receipt.platform_id, _inclusion()))

    with pytest.raises(RecordNotFound):
        adapter.remove(RemovalRequest(receipt.platform_id, _inclusion()))


def test_inclusion_status_unknown_id_raises_record_not_found(sandbox: RunningSandbox) -> None:
    with pytest.raises(RecordNotFound):
        _adapter(sandbox).inclusion_status("nao-existe", _inclusion())


def test_list_inclusions_by_state(sandbox: RunningSandbox) -> None:
    adapter = _adapter(sandbox)
    in_sp = adapter.include(_inclusion(uf="SP", contract="CT-SP"))
    in_mg = adapter.include(_inclusion(uf="MG", contract="CT-MG"))
    advance_clock(sandbox, 11)

    assert [s.platform_id for s in adapter.list_inclusions(InclusionState.PENDING)] == [
        in_sp.platform_id
    ]
    assert [s.platform_id for s in adapter.list_inclusions(InclusionState.ACTIVE)] == [
        in_mg.platform_id
    ]
    adapter.remove(RemovalRequest(in_mg.platform_id, _inclusion(uf="MG", contract="CT-MG")))
    removed = adapter.list_inclusions(InclusionState.REMOVED)
    assert [(s.platform_id, s.state) for s in removed] == [
        (in_mg.platform_id, InclusionState.REMOVED)
    ]
    assert adapter.list_inclusions(InclusionState.ERROR) == ()


def test_list_inclusions_hides_other_accounts_records(sandbox: RunningSandbox) -> None:
    _adapter(sandbox).include(_inclusion())

    homologation = _adapter(sandbox, HOMOLOGATION, environment="homologation")

    assert homologation.list_inclusions(InclusionState.PENDING) == ()


# --------------------------------------------------------------------------------------------
# Catalogue and lookup tables


def test_products_are_the_static_catalogue(sandbox: RunningSandbox) -> None:
    both = (PersonType.PERSON, PersonType.COMPANY)

    assert _adapter(sandbox).products() == (
        Product("CREDNET", "Serasa Crednet", both),
        Product("CONCENTRE", "Serasa Concentre (quadro societário e score)", both),
    )
    assert ledger(sandbox) == []


def test_inclusion_reasons_come_from_codigos_restricoes(sandbox: RunningSandbox) -> None:
    reasons = _adapter(sandbox).inclusion_reasons()

    assert reasons == tuple(
        ReasonCode(str(code), text) for code, text in soa_sandbox.RESTRICTION_CODES.items()
    )
    assert reasons[0] == ReasonCode("1", "Prestação de serviços")


def test_removal_reasons_come_from_codigos_baixa(sandbox: RunningSandbox) -> None:
    reasons = _adapter(sandbox).removal_reasons()

    assert reasons == tuple(
        ReasonCode(str(code), text) for code, text in soa_sandbox.REMOVAL_CODES.items()
    )
    assert reasons[0] == ReasonCode("1", "Pagamento da dívida")


# --------------------------------------------------------------------------------------------
# Sandbox faults


def test_fault_http500_on_consult_raises_unavailable_billed_unknown(
    sandbox: RunningSandbox,
) -> None:
    inject_fault(sandbox, KEY, "http500")

    with pytest.raises(ProviderUnavailable) as caught:
        _consult(_adapter(sandbox), "52998224725")

    assert (caught.value.code, caught.value.billed) == ("http_500", Billed.UNKNOWN)
    assert ledger(sandbox) == []


def test_fault_http500_on_free_call_is_not_billed(sandbox: RunningSandbox) -> None:
    inject_fault(sandbox, KEY, "http500")

    with pytest.raises(ProviderUnavailable) as caught:
        _adapter(sandbox).balance()

    assert caught.value.billed is Billed.NO


def test_fault_malformed_consult_raises_protocol_error_billed_unknown(
    sandbox: RunningSandbox,
) -> None:
    inject_fault(sandbox, KEY, "malformed")

    with pytest.raises(ProviderProtocolError) as caught:
        _consult(_adapter(sandbox), "52998224725")

    assert (caught.value.code, caught.value.billed) == ("malformed_json", Billed.UNKNOWN)
    assert billed_calls(sandbox, platform=KEY) == 1


def test_fault_auth_raises_authentication_failed(sandbox: RunningSandbox) -> None:
    inject_fault(sandbox, KEY, "auth")

    with pytest.raises(AuthenticationFailed) as caught:
        _consult(_adapter(sandbox), "52998224725")

    assert (caught.value.code, caught.value.billed) == ("G000M000", Billed.NO)
    assert ledger(sandbox) == []


def test_fault_timeout_on_consult_bills_once_and_reports_unknown(
    sandbox: RunningSandbox,
) -> None:
    inject_fault(sandbox, KEY, "timeout", latency_ms=1500)
    adapter = _adapter(sandbox, read_timeout=0.5)

    with pytest.raises(ProviderUnavailable) as caught:
        _consult(adapter, "52998224725")

    assert (caught.value.code, caught.value.billed) == ("timeout", Billed.UNKNOWN)
    assert [(e["operation"], e["billed"]) for e in ledger(sandbox)] == [("CredNet", True)]


def test_fault_latency_delays_but_succeeds(sandbox: RunningSandbox) -> None:
    inject_fault(sandbox, KEY, "latency", latency_ms=300)
    adapter = _adapter(sandbox)

    started = time.perf_counter()
    report = _consult(adapter, "52998224725")

    assert time.perf_counter() - started >= 0.3
    assert report.identity.name == subject_for("52998224725").name
    assert billed_calls(sandbox, platform=KEY) == 1


# --------------------------------------------------------------------------------------------
# The sandbox's wire protocol, seen from a raw HTTP client


def _post(sandbox: RunningSandbox, path: str, body: object) -> requests.Response:
    return requests.post(f"{sandbox.url}/{KEY}{path}", json=body, timeout=5)


def test_sandbox_answers_business_errors_with_http_200(sandbox: RunningSandbox) -> None:
    body = {"credenciais": {"email": "x@y.z", "senha": "?"}, "documento": "52998224725"}

    response = _post(sandbox, "/api/v2/Serasa/Consultas/CredNet", body)

    assert response.status_code == 200
    assert response.json() == {
        "documento": "52998224725",
        "mensagem": "Credenciais de Acesso (Usuario e/ou Senha) Invalidos",
        "status": False,
        "transacao": {
            "status": False,
            "codigoStatus": "G000M000",
            "codigoStatusDescricao": "Credenciais de Acesso (Usuario e/ou Senha) Invalidos",
        },
    }


def test_sandbox_unknown_path_is_404_and_get_is_405(sandbox: RunningSandbox) -> None:
    assert _post(sandbox, "/api/v2/Serasa/Consultas/Nada", {}).status_code == 404
    response = requests.get(f"{sandbox.url}/{KEY}/api/v2/Administracao/Saldo", timeout=5)
    assert response.status_code == 405


def test_sandbox_routes_and_fields_ignore_case(sandbox: RunningSandbox) -> None:
    body = {"Credenciais": {"Email": CREDENTIALS["email"], "Senha": CREDENTIALS["senha"]}}

    response = _post(sandbox, "/API/V2/ADMINISTRACAO/SALDO", body)

    assert response.json()["saldo"] == 500.0


def test_sandbox_accepts_published_ashx_concentre_request(sandbox: RunningSandbox) -> None:
    path = FIXTURES / "ashx-serasa-concentre-request-test-drive-pj.json"
    if not path.is_file():
        pytest.skip(f"public fixtures not found at {FIXTURES}")
    body = json.loads(path.read_text(encoding="utf-8"))

    refused = _post(sandbox, "/api/v2/Serasa/Consultas/Concentre", body).json()
    body["Credenciais"] = {"Email": CREDENTIALS["email"], "Senha": CREDENTIALS["senha"]}
    answered = _post(sandbox, "/api/v2/Serasa/Consultas/Concentre", body).json()

    assert refused["transacao"]["codigoStatus"] == "G000M000"
    assert answered["transacao"] == {
        "status": True,
        "codigoStatus": "G000M001",
        "codigoStatusDescricao": "Transacao realizada com sucesso",
    }
    assert answered["documento"] == "99999999999962"  # formatted "99.999.999/9999-62 "
    assert "qsa" in answered


def test_sandbox_lists_its_test_credentials(sandbox: RunningSandbox) -> None:
    listing = requests.get(f"{sandbox.url}/sandbox/scenarios", timeout=5).json()

    assert listing["credentials"][KEY] == {
        "email": CREDENTIALS["email"],
        "senha": CREDENTIALS["senha"],
        "email_homologacao": HOMOLOGATION["email"],
        "senha_homologacao": HOMOLOGATION["senha"],
    }
