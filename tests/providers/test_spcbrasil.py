"""The SPC Brasil adapter against its sandbox, over real HTTP on loopback."""

from __future__ import annotations

import datetime as dt
import re
import time
from decimal import Decimal
from pathlib import Path

import pytest
import requests
from lxml import etree

from providers import registry
from providers.base import (
    Address,
    AuthenticationFailed,
    Billed,
    ConsultRequest,
    CreditReport,
    Debtor,
    Detail,
    Identity,
    InclusionRequest,
    InclusionState,
    Inquiry,
    InvalidDocument,
    OperationNotSupported,
    Partner,
    PersonType,
    Product,
    ProductNotAllowed,
    ProviderConfig,
    ProviderProtocolError,
    ProviderUnavailable,
    ReasonCode,
    RecordNotFound,
    RemovalRequest,
    Restriction,
    RestrictionKind,
    Score,
)
from providers.registry import Capability
from providers.sandbox import spcbrasil as spc_sandbox
from providers.sandbox.scenarios import (
    DOCUMENTS,
    SCENARIOS,
    ScenarioRestriction,
    scenario_for,
    subject_for,
)
from providers.sandbox.server import RunningSandbox
from providers.spcbrasil import Adapter, parse
from tests.providers.scenario_reports import core, in_order, promised, promised_totals
from tests.sandbox_client import advance_clock, billed_calls, inject_fault, ledger

FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "spcbrasil"
needs_fixtures = pytest.mark.skipif(
    not FIXTURES.is_dir(), reason=f"public SPC Brasil samples not found in {FIXTURES}"
)
CREDENTIALS = {"operador": "sandbox", "senha": "sandbox123"}
CONSULTA = "/spcbrasil/spc/remoting/ws/consulta/consultaWebService"
INSUMO = "/spcbrasil/spc/remoting/ws/insumo/spc/spcWebService"

REPORT_DOCUMENTS = sorted(d for d, key in DOCUMENTS.items() if not SCENARIOS[key].error)
INVALID_DOCUMENTS = sorted(d for d, key in DOCUMENTS.items() if key == "invalid_document")
ERROR_DOCUMENTS = sorted(d for d, key in DOCUMENTS.items() if key == "platform_error")
CLEAN_CPF = next(d for d, key in DOCUMENTS.items() if key == "clean" and len(d) == 11)
RESTRICTED_CPF = next(
    d for d, key in DOCUMENTS.items() if key == "small_restriction" and len(d) == 11
)


def _adapter(sandbox: RunningSandbox, read_timeout: float = 10.0, **credentials: str) -> Adapter:
    return Adapter(
        ProviderConfig(
            base_url=f"{sandbox.url}/spcbrasil",
            credentials={**CREDENTIALS, **credentials},
            read_timeout=read_timeout,
        )
    )


def _person_type(document: str) -> PersonType:
    return PersonType.PERSON if len(document) == 11 else PersonType.COMPANY


def _consult(sandbox: RunningSandbox, document: str, product: str = "") -> CreditReport:
    return _adapter(sandbox).consult(ConsultRequest(document, _person_type(document), product))


def _inclusion(document: str = CLEAN_CPF, cep: str = "01310-100") -> InclusionRequest:
    return InclusionRequest(
        debtor=Debtor(
            document=document,
            person_type=_person_type(document),
            name="CLIENTE DE TESTE",
            address=Address(cep, "AV PAULISTA", "1000", "BELA VISTA", "SAO PAULO", "SP"),
        ),
        contract_number="CT-2024-0042",
        our_number="FAT-881",
        purchase_date=dt.date(2024, 1, 10),
        due_date=dt.date(2024, 6, 10),
        amount=Decimal("129.90"),
    )


# --------------------------------------------------------------------------------------------
# consult: every scenario document


@pytest.mark.parametrize("document", REPORT_DOCUMENTS)
def test_consult_scenario_document_gives_the_promised_report(
    sandbox: RunningSandbox, document: str
) -> None:
    scenario, subject = scenario_for(document), subject_for(document)
    today = sandbox.state.today()
    adapter = _adapter(sandbox)

    report = adapter.consult(ConsultRequest(document, _person_type(document)))

    assert report.identity == Identity(
        subject.name,
        document,
        _person_type(document),
        subject.birth_date,
        subject.mother_name,
        subject.receita_situation,
    )
    assert report.has_restrictions is scenario.has_restrictions
    assert report.score == Score(
        scenario.score or 0, "SPC Score 12 meses", scenario.score_band, scenario.default_probability
    )
    assert in_order(core(r) for r in report.restrictions) == in_order(
        promised(r, today) for r in scenario.restrictions
    )
    assert sorted(r.description for r in report.restrictions) == sorted(
        _spc_description(r) for r in scenario.restrictions
    )
    assert report.totals == promised_totals(scenario)
    assert report.inquiries == tuple(
        Inquiry(q.inquirer, today - dt.timedelta(days=q.days_ago), q.city)
        for q in scenario.inquiries
    )
    expected_partners = tuple(
        Partner(p.name, p.document, p.role, p.share) for p in scenario.partners
    )
    assert report.partners == (expected_partners if len(document) == 14 else ())
    assert (report.platform, report.product, report.billed) == ("spcbrasil", "257", Billed.YES)
    assert re.fullmatch(r"\d+-\d+", report.protocol)
    assert "<ns2:resultado" in report.raw
    assert billed_calls(sandbox, platform="spcbrasil", operation="consultar") == 1


def _spc_description(r: ScenarioRestriction) -> str:
    """SPC names where a cheque was recorded; other occurrences keep the scenario's words."""
    if r.cheque is None:
        return r.description
    return parse.CHEQUE_SOURCES["cheque-lojista" if r.cheque.store else "ccf"]


@pytest.mark.parametrize("document", INVALID_DOCUMENTS)
def test_consult_invalid_document_raises_invalid_document(
    sandbox: RunningSandbox, document: str
) -> None:
    with pytest.raises(InvalidDocument) as caught:
        _consult(sandbox, document)

    assert (caught.value.code, caught.value.billed) == ("CN_INT005.E8.2", Billed.NO)
    assert billed_calls(sandbox, platform="spcbrasil") == 0


@pytest.mark.parametrize("document", ERROR_DOCUMENTS)
def test_consult_platform_error_raises_retryable_unavailable_not_billed(
    sandbox: RunningSandbox, document: str
) -> None:
    with pytest.raises(ProviderUnavailable) as caught:
        _consult(sandbox, document)

    assert (caught.value.code, caught.value.billed, caught.value.retryable) == (
        "CN_GER001.E0",
        Billed.NO,
        True,
    )
    assert [e["billed"] for e in ledger(sandbox, platform="spcbrasil")] == [False]


def test_consult_unknown_product_raises_product_not_allowed(sandbox: RunningSandbox) -> None:
    with pytest.raises(ProductNotAllowed) as caught:
        _consult(sandbox, CLEAN_CPF, product="999")

    assert (caught.value.code, caught.value.message) == (
        "CN_INT005.E4",
        "Operador nao possui acesso ao produto",
    )
    assert billed_calls(sandbox, platform="spcbrasil") == 0


def test_consult_cpf_as_company_raises_invalid_document_e8_3(sandbox: RunningSandbox) -> None:
    with pytest.raises(InvalidDocument) as caught:
        _adapter(sandbox).consult(ConsultRequest(CLEAN_CPF, PersonType.COMPANY))

    assert caught.value.code == "CN_INT005.E8.3"


def test_consult_score_only_product_gives_positive_score_without_restrictions(
    sandbox: RunningSandbox,
) -> None:
    document = next(d for d, key in DOCUMENTS.items() if key == "high_score")
    scenario = scenario_for(document)

    report = _adapter(sandbox).consult(ConsultRequest(document, PersonType.PERSON, "634"))

    assert report.score == Score(
        scenario.score or 0, "Score Cadastro Positivo", spc_sandbox.risk_index(scenario.score or 0)
    )
    assert (report.product, report.totals, report.has_restrictions) == ("634", (), False)
    assert report.inquiries == ()


def test_consult_score_only_product_of_restricted_document_flags_undetailed_restriction(
    sandbox: RunningSandbox,
) -> None:
    report = _adapter(sandbox).consult(ConsultRequest(RESTRICTED_CPF, PersonType.PERSON, "634"))

    assert report.has_restrictions is True
    assert report.restrictions == (
        Restriction(RestrictionKind.OTHER, description=parse.UNDETAILED_RESTRICTION),
    )


# --------------------------------------------------------------------------------------------
# Credentials, products, lists


def test_consult_wrong_password_raises_authentication_failed(sandbox: RunningSandbox) -> None:
    with pytest.raises(AuthenticationFailed) as caught:
        _adapter(sandbox, senha="errada").consult(ConsultRequest(CLEAN_CPF, PersonType.PERSON))

    assert (caught.value.code, caught.value.billed) == ("CS_AUT001.E1.2", Billed.NO)
    assert ledger(sandbox, platform="spcbrasil")[0]["credential"] == "sandbox"
    assert billed_calls(sandbox, platform="spcbrasil") == 0


def test_blocked_operator_raises_authentication_failed_e1_7(sandbox: RunningSandbox) -> None:
    with pytest.raises(AuthenticationFailed) as caught:
        _adapter(sandbox, operador=spc_sandbox.BLOCKED_OPERATOR).check_credentials()

    assert caught.value.code == "CS_AUT001.E1.7"


def test_check_credentials_accepts_sandbox_operator(sandbox: RunningSandbox) -> None:
    _adapter(sandbox).check_credentials()

    assert [(e["operation"], e["billed"]) for e in ledger(sandbox, platform="spcbrasil")] == [
        ("listarProdutos", False)
    ]


def test_check_credentials_wrong_operator_raises(sandbox: RunningSandbox) -> None:
    with pytest.raises(AuthenticationFailed):
        _adapter(sandbox, operador="outro").check_credentials()


def test_products_lists_257_and_634(sandbox: RunningSandbox) -> None:
    assert _adapter(sandbox).products() == (
        Product("257", "SPC MIX TOP +"),
        Product("634", "SPC SÓ SCORE POSITIVO"),
    )


def test_product_details_known_and_unknown(sandbox: RunningSandbox) -> None:
    adapter = _adapter(sandbox)

    assert adapter.product("634") == Product("634", "SPC SÓ SCORE POSITIVO")
    with pytest.raises(ProductNotAllowed):
        adapter.product("1")


def test_reason_lists(sandbox: RunningSandbox) -> None:
    adapter = _adapter(sandbox)

    assert adapter.inclusion_reasons() == tuple(
        ReasonCode(k, v) for k, v in spc_sandbox.INCLUSION_NATURES.items()
    )
    assert adapter.removal_reasons()[0] == ReasonCode("1", "PAGAMENTO DA DIVIDA")
    assert [r.code for r in adapter.debtor_types()] == ["C", "A", "F"]
    assert billed_calls(sandbox, platform="spcbrasil") == 0


def test_balance_and_inclusion_status_are_not_supported(sandbox: RunningSandbox) -> None:
    adapter = _adapter(sandbox)
    request = _inclusion()

    with pytest.raises(OperationNotSupported):
        adapter.balance()
    with pytest.raises(OperationNotSupported):
        adapter.inclusion_status("SPC:x", request)
    assert not registry.get("spcbrasil").supports(Capability.BALANCE)
    assert ledger(sandbox, platform="spcbrasil") == []


# --------------------------------------------------------------------------------------------
# Negativação


def test_include_returns_derived_key_pending_and_billed(sandbox: RunningSandbox) -> None:
    receipt = _adapter(sandbox).include(_inclusion())

    assert (receipt.platform_id, receipt.state, receipt.billed, receipt.duplicate) == (
        f"SPC:{CLEAN_CPF}:CT-2024-0042:2024-06-10",
        InclusionState.PENDING,
        Billed.YES,
        False,
    )
    assert receipt.messages == ("Dados inseridos com sucesso!",)
    assert billed_calls(sandbox, platform="spcbrasil", operation="incluirSpc") == 1


def test_include_duplicate_returns_duplicate_receipt_with_same_key(
    sandbox: RunningSandbox,
) -> None:
    adapter = _adapter(sandbox)
    first = adapter.include(_inclusion())

    again = adapter.include(_inclusion())

    assert (again.platform_id, again.duplicate, again.billed) == (
        first.platform_id,
        True,
        Billed.NO,
    )
    assert "IE_SPC001.E09" in again.raw
    assert billed_calls(sandbox, platform="spcbrasil", operation="incluirSpc") == 1


def test_include_invalid_document_raises_invalid_document(sandbox: RunningSandbox) -> None:
    with pytest.raises(InvalidDocument):
        _adapter(sandbox).include(_inclusion(INVALID_DOCUMENTS[0]))


def test_include_platform_error_raises_unavailable(sandbox: RunningSandbox) -> None:
    with pytest.raises(ProviderUnavailable) as caught:
        _adapter(sandbox).include(_inclusion(ERROR_DOCUMENTS[0]))

    assert caught.value.code == "CN_GER001.E0"


def _spc_restrictions(sandbox: RunningSandbox, document: str) -> tuple[Restriction, ...]:
    report = _adapter(sandbox).consult(ConsultRequest(document, _person_type(document)))
    return tuple(r for r in report.restrictions if r.kind is RestrictionKind.SPC)


@pytest.mark.parametrize(("cep", "notice_days"), [("01310-100", 20), ("30130-010", 10)])
def test_include_shows_in_consult_only_after_notice_period(
    sandbox: RunningSandbox, cep: str, notice_days: int
) -> None:
    _adapter(sandbox).include(_inclusion(cep=cep))
    included_on = sandbox.state.today()

    advance_clock(sandbox, notice_days - 0.5)
    assert _spc_restrictions(sandbox, CLEAN_CPF) == ()
    advance_clock(sandbox, 0.5)
    assert _spc_restrictions(sandbox, CLEAN_CPF) == (
        Restriction(
            RestrictionKind.SPC,
            spc_sandbox.ASSOCIATE,
            Decimal("129.90"),
            dt.date(2024, 6, 10),
            "CT-2024-0042",
            spc_sandbox.ASSOCIATE_CITY,
            spc_sandbox.ASSOCIATE_UF,
            details=(
                Detail("Data de inclusão", included_on.strftime("%d/%m/%Y")),
                Detail("Papel do consultado", "Comprador"),
                Detail("Registro de instituição financeira", "Não"),
            ),
        ),
    )


def test_remove_registered_debt_leaves_consult_clean(sandbox: RunningSandbox) -> None:
    adapter = _adapter(sandbox)
    inclusion = _inclusion()
    receipt = adapter.include(inclusion)
    advance_clock(sandbox, 21)

    removal = adapter.remove(RemovalRequest(receipt.platform_id, inclusion))

    assert (removal.platform_id, removal.removed_at) == (receipt.platform_id, None)
    assert removal.messages == ("Registro removido com sucesso!",)
    assert _spc_restrictions(sandbox, CLEAN_CPF) == ()
    assert [e["billed"] for e in ledger(sandbox, operation="excluirSpc")] == [False]


def test_remove_then_include_again_is_a_new_record(sandbox: RunningSandbox) -> None:
    adapter = _adapter(sandbox)
    inclusion = _inclusion()
    receipt = adapter.include(inclusion)
    adapter.remove(RemovalRequest(receipt.platform_id, inclusion, reason_code="2"))

    again = adapter.include(inclusion)

    assert (again.duplicate, again.billed) == (False, Billed.YES)


def test_remove_unknown_record_raises_record_not_found(sandbox: RunningSandbox) -> None:
    inclusion = _inclusion()

    with pytest.raises(RecordNotFound) as caught:
        _adapter(sandbox).remove(RemovalRequest("SPC:x", inclusion))

    assert (caught.value.code, caught.value.message) == (
        "IE_SPC005.E10",
        "Registro não encontrado para a exclusão",
    )


def test_ledger_records_every_call_with_billing_flags(sandbox: RunningSandbox) -> None:
    adapter = _adapter(sandbox)
    adapter.products()
    adapter.consult(ConsultRequest(CLEAN_CPF, PersonType.PERSON))
    adapter.inclusion_reasons()
    adapter.removal_reasons()
    inclusion = _inclusion()
    adapter.include(inclusion)
    adapter.remove(RemovalRequest("", inclusion))

    assert [
        (e["operation"], e["document"], e["credential"], e["billed"])
        for e in ledger(sandbox, platform="spcbrasil")
    ] == [
        ("listarProdutos", "", "sandbox", False),
        ("consultar", CLEAN_CPF, "sandbox", True),
        ("listarNaturezaInclusao", "", "sandbox", False),
        ("listarMotivoExclusao", "", "sandbox", False),
        ("incluirSpc", CLEAN_CPF, "sandbox", True),
        ("excluirSpc", CLEAN_CPF, "sandbox", False),
    ]


# --------------------------------------------------------------------------------------------
# Fault injection


def test_fault_http500_raises_unavailable_not_billed(sandbox: RunningSandbox) -> None:
    inject_fault(sandbox, "spcbrasil", "http500")

    with pytest.raises(ProviderUnavailable) as caught:
        _consult(sandbox, CLEAN_CPF)

    assert (caught.value.code, caught.value.billed) == ("http_500", Billed.NO)
    assert ledger(sandbox, platform="spcbrasil") == []


def test_fault_malformed_raises_protocol_error_billed_unknown(sandbox: RunningSandbox) -> None:
    inject_fault(sandbox, "spcbrasil", "malformed")

    with pytest.raises(ProviderProtocolError) as caught:
        _consult(sandbox, CLEAN_CPF)

    assert caught.value.billed is Billed.UNKNOWN
    assert billed_calls(sandbox, platform="spcbrasil") == 1


def test_fault_auth_raises_authentication_failed(sandbox: RunningSandbox) -> None:
    inject_fault(sandbox, "spcbrasil", "auth")

    with pytest.raises(AuthenticationFailed) as caught:
        _consult(sandbox, CLEAN_CPF)

    assert caught.value.code == "CS_AUT001.E1.2"


def test_fault_timeout_on_consult_is_unknown_and_billed_once(sandbox: RunningSandbox) -> None:
    inject_fault(sandbox, "spcbrasil", "timeout", latency_ms=1500)

    with pytest.raises(ProviderUnavailable) as caught:
        _adapter(sandbox, read_timeout=0.5).consult(ConsultRequest(CLEAN_CPF, PersonType.PERSON))

    assert (caught.value.code, caught.value.billed) == ("timeout", Billed.UNKNOWN)
    assert billed_calls(sandbox, platform="spcbrasil") == 1
    assert len(ledger(sandbox, platform="spcbrasil")) == 1


def test_fault_timeout_on_include_is_unknown_and_billed_once(sandbox: RunningSandbox) -> None:
    inject_fault(sandbox, "spcbrasil", "timeout", latency_ms=1500)

    with pytest.raises(ProviderUnavailable) as caught:
        _adapter(sandbox, read_timeout=0.5).include(_inclusion())

    assert caught.value.billed is Billed.UNKNOWN
    assert billed_calls(sandbox, platform="spcbrasil", operation="incluirSpc") == 1


def test_fault_timeout_on_free_call_is_retried(sandbox: RunningSandbox) -> None:
    inject_fault(sandbox, "spcbrasil", "timeout", latency_ms=1500)

    products = _adapter(sandbox, read_timeout=0.5).products()

    assert [p.code for p in products] == ["257", "634"]
    assert [e["operation"] for e in ledger(sandbox, platform="spcbrasil")] == [
        "listarProdutos",
        "listarProdutos",
    ]


def test_fault_latency_still_answers(sandbox: RunningSandbox) -> None:
    inject_fault(sandbox, "spcbrasil", "latency", latency_ms=300)
    started = time.perf_counter()

    report = _adapter(sandbox).consult(ConsultRequest(CLEAN_CPF, PersonType.PERSON))

    assert time.perf_counter() - started >= 0.3
    assert report.billed is Billed.YES


# --------------------------------------------------------------------------------------------
# The sandbox's wire protocol: WSDL and the captured requests, verbatim

WSDL = "{http://schemas.xmlsoap.org/wsdl/}"
XS = "{http://www.w3.org/2001/XMLSchema}"
SOAP_BINDING = "{http://schemas.xmlsoap.org/wsdl/soap/}"


def _references(root: etree._Element, path: str, attribute: str) -> list[str]:
    """Names referred to by `attribute` ("tns:name") of the elements at `path`."""
    return [(el.get(attribute) or "").split(":")[-1] for el in root.findall(path)]


@pytest.mark.parametrize(
    ("path", "namespace", "operations"),
    [
        (
            CONSULTA,
            "http://webservice.consulta.spcjava.spcbrasil.org/",
            {"listarProdutos", "detalharProduto", "consultar"},
        ),
        (
            INSUMO,
            "http://webservice.spc.insumo.spcjava.spcbrasil.org/",
            {
                "incluirSpc",
                "excluirSpc",
                "listarNaturezaInclusao",
                "listarMotivoExclusao",
                "listarTipoDevedor",
            },
        ),
    ],
)
def test_wsdl_describes_the_service_consistently(
    sandbox: RunningSandbox, path: str, namespace: str, operations: set[str]
) -> None:
    response = requests.get(f"{sandbox.url}{path}?wsdl", timeout=5)
    root = etree.fromstring(response.content)

    assert (response.status_code, root.tag, root.get("targetNamespace")) == (
        200,
        f"{WSDL}definitions",
        namespace,
    )
    schema = root.find(f"{WSDL}types/{XS}schema")
    assert schema is not None
    etree.XMLSchema(etree.fromstring(etree.tostring(schema)))  # the embedded XSD compiles
    declared = {el.get("name") for el in schema.findall(f"{XS}element")}
    messages = {m.get("name"): m for m in root.findall(f"{WSDL}message")}
    parts = _references(root, f"{WSDL}message/{WSDL}part", "element")
    assert parts and set(parts) <= declared
    port_ops = root.findall(f"{WSDL}portType/{WSDL}operation")
    assert {op.get("name") for op in port_ops} == operations
    refs = _references(root, f"{WSDL}portType/{WSDL}operation/*", "message")
    assert len(refs) == 2 * len(operations) and set(refs) <= set(messages)
    binding_ops = root.findall(f"{WSDL}binding/{WSDL}operation")
    assert {op.get("name") for op in binding_ops} == operations
    address = root.find(f"{WSDL}service/{WSDL}port/{SOAP_BINDING}address")
    assert address is not None and address.get("location") == f"{sandbox.url}{path}"


def _post(sandbox: RunningSandbox, path: str, body: bytes) -> requests.Response:
    return requests.post(
        f"{sandbox.url}{path}",
        data=body,
        headers={"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '""'},
        auth=("sandbox", "sandbox123"),
        timeout=5,
    )


@needs_fixtures
def test_sandbox_accepts_captured_inclusion_requests_verbatim(sandbox: RunningSandbox) -> None:
    names = ("incluirSpc-request-pj.xml", "incluirSpc-request-pj-variante-espacos-em-valores.xml")
    for name in names:
        response = _post(sandbox, INSUMO, (FIXTURES / name).read_bytes())
        payload = parse.read_envelope(response.status_code, response.content, billed=True)
        assert parse.success_message(payload) == "Dados inseridos com sucesso!"

    stored = requests.get(f"{sandbox.url}/sandbox/inclusions", timeout=5).json()
    assert [(i["document"], i["contract"], i["due_date"], i["amount"]) for i in stored] == [
        ("11222333000181", "000044270415", "2022-08-22", "100.00"),
        ("11222333000181", "11222333000181C939798", "2022-10-12", "1433.98"),
    ]
    notice = [
        round(
            (dt.datetime.fromisoformat(i["visible_at"]) - sandbox.state.now())
            / dt.timedelta(days=1)
        )
        for i in stored
    ]
    assert notice == [20, 10]  # CEP -11740000 is SP, -64000080 is PI
    assert billed_calls(sandbox, platform="spcbrasil", operation="incluirSpc") == 2


@needs_fixtures
def test_sandbox_captured_removal_request_not_found_then_removed(
    sandbox: RunningSandbox,
) -> None:
    body = (FIXTURES / "excluirSpc-request-pj.xml").read_bytes()
    missing = _post(sandbox, INSUMO, body)
    with pytest.raises(RecordNotFound):
        parse.read_envelope(missing.status_code, missing.content, billed=False)
    debt = _inclusion("11222333000181")
    _adapter(sandbox).include(
        InclusionRequest(
            **{**debt.__dict__, "contract_number": "97803", "due_date": dt.date(2022, 11, 1)}
        )
    )

    removed = _post(sandbox, INSUMO, body)

    payload = parse.read_envelope(removed.status_code, removed.content, billed=False)
    assert parse.success_message(payload) == "Registro removido com sucesso!"
    assert missing.status_code == 500


def test_sandbox_refuses_operation_of_the_other_service(sandbox: RunningSandbox) -> None:
    body = (
        b'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
        b'xmlns:web="http://webservice.consulta.spcjava.spcbrasil.org/"><soapenv:Body>'
        b"<web:incluirSpc/></soapenv:Body></soapenv:Envelope>"
    )
    response = _post(sandbox, INSUMO, body)

    with pytest.raises(ProviderProtocolError) as caught:
        parse.read_envelope(response.status_code, response.content, billed=False)
    assert caught.value.code == "S:Client"
