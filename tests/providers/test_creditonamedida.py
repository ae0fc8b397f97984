"""Crédito na Medida adapter against its sandbox, over real HTTP on loopback.

The platform publishes no spec and no sample payloads (shared/fixtures has none for it), so the
sandbox is the only counterpart; both implement the same ASSUMED protocol.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
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
    ConsultRequest,
    Debtor,
    InclusionRequest,
    InclusionState,
    InsufficientBalance,
    InvalidDocument,
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
from providers.creditonamedida import Adapter
from providers.registry import build_adapter
from providers.sandbox.scenarios import (
    CLEAN_CPF,
    DOCUMENTS,
    LARGE_RESTRICTIONS_CPF,
    SCENARIOS,
    subject_for,
)
from providers.sandbox.server import RunningSandbox
from tests.providers.scenario_reports import core, promised, promised_totals
from tests.sandbox_client import advance_clock, billed_calls, inject_fault, ledger

PLATFORM = "creditonamedida"
CREDENTIALS = {"client_id": "sandbox-client", "client_secret": "sandbox-secret"}


def make_adapter(
    sandbox: RunningSandbox,
    credentials: dict[str, str] | None = None,
    *,
    environment: str = "production",
    read_timeout: float = 10.0,
) -> Adapter:
    config = ProviderConfig(
        base_url=f"{sandbox.url}/{PLATFORM}",
        credentials=CREDENTIALS if credentials is None else credentials,
        environment=environment,
        read_timeout=read_timeout,
    )
    adapter = build_adapter(PLATFORM, config)
    assert isinstance(adapter, Adapter)
    return adapter


def person(document: str, product: str = "") -> ConsultRequest:
    return ConsultRequest(document=document, person_type=PersonType.PERSON, product=product)


def company(document: str, product: str = "") -> ConsultRequest:
    return ConsultRequest(document=document, person_type=PersonType.COMPANY, product=product)


def inclusion(
    document: str = CLEAN_CPF,
    *,
    uf: str = "MG",
    contract: str = "CT-2024-0007",
    due_date: dt.date = dt.date(2026, 1, 10),
    amount: Decimal = Decimal("149.90"),
    reason_code: str = "",
) -> InclusionRequest:
    person_type = PersonType.PERSON if len(document) == 11 else PersonType.COMPANY
    return InclusionRequest(
        debtor=Debtor(
            document=document,
            person_type=person_type,
            name="DEVEDOR DE TESTE",
            address=Address(
                cep="30110000",
                street="Rua dos Testes",
                number="100",
                district="Centro",
                city="BELO HORIZONTE" if uf == "MG" else "SAO PAULO",
                state=uf,
            ),
        ),
        contract_number=contract,
        our_number="000123",
        purchase_date=dt.date(2024, 3, 1),
        due_date=due_date,
        amount=amount,
        reason_code=reason_code,
    )


def operations(sandbox: RunningSandbox) -> list[str]:
    return [str(entry["operation"]) for entry in ledger(sandbox, platform=PLATFORM)]


def docs_of(person_type_length: int) -> list[str]:
    return [
        doc
        for doc, key in DOCUMENTS.items()
        if len(doc) == person_type_length and not SCENARIOS[key].error
    ]


def docs_with_error(error: str) -> list[str]:
    return [doc for doc, key in DOCUMENTS.items() if SCENARIOS[key].error == error]


# --------------------------------------------------------------------------------------------
# Consults: every scenario document


@pytest.mark.parametrize("document", docs_of(11) + docs_of(14))
def test_consult_scenario_document_gives_the_promised_report(
    sandbox: RunningSandbox, document: str
) -> None:
    scenario = SCENARIOS[DOCUMENTS[document]]
    is_person = len(document) == 11
    product = "CNM_COMPLETO" if is_person else "CNM_EMPRESARIAL"
    request = person(document, product) if is_person else company(document, product)

    report = make_adapter(sandbox).consult(request)

    subject = subject_for(document)
    assert (report.platform, report.product, report.billed) == (PLATFORM, product, Billed.YES)
    assert report.identity.name == subject.name
    assert report.identity.document == document
    assert report.identity.person_type is request.person_type
    assert report.identity.birth_date == subject.birth_date
    assert report.identity.receita_situation == subject.receita_situation
    assert report.has_restrictions is scenario.has_restrictions
    assert report.score is not None and report.score.value == scenario.score
    assert report.score.band == scenario.score_band
    assert report.score.default_probability == scenario.default_probability
    assert report.totals == promised_totals(scenario)
    today = sandbox.state.today()
    assert [core(r) for r in report.restrictions] == [
        promised(r, today) for r in scenario.restrictions
    ]
    if not is_person:
        assert report.company is not None and subject.company is not None
        assert report.company.trade_name == subject.company.trade_name
    assert [i.inquirer for i in report.inquiries] == [i.inquirer for i in scenario.inquiries]
    expected_history = (
        PaymentHistory(scenario.on_time_payments, scenario.late_payments, scenario.commitments)
        if scenario.on_time_payments is not None
        else None
    )
    assert report.payment_history == expected_history
    expected_partners = (
        ()
        if is_person
        else tuple(Partner(p.name, p.document, p.role, p.share) for p in scenario.partners)
    )
    assert report.partners == expected_partners
    assert report.protocol.startswith("CNM")
    if scenario.has_restrictions:
        assert report.document is not None
        assert report.document.media_type == "application/pdf"
        assert report.document.content.startswith(b"%PDF-")
    else:
        assert report.document is None
    assert billed_calls(sandbox, platform=PLATFORM) == 1


def test_consult_default_product_is_basic_without_score_or_history(
    sandbox: RunningSandbox,
) -> None:
    report = make_adapter(sandbox).consult(person("12345678909"))  # small_restriction

    assert report.product == "CNM_BASICO"
    assert report.score is None
    assert report.payment_history is None
    assert report.restrictions == (
        Restriction(
            kind=RestrictionKind.PEFIN,
            creditor="NET RAPIDA TELECOM LTDA",
            amount=Decimal("189.90"),
            occurred_on=sandbox.state.today() - dt.timedelta(days=120),
            contract="CT-88120",
            city="SAO PAULO",
            state="SP",
        ),
    )


def test_consult_raw_is_the_platform_json_and_report_holds_no_vendor_names(
    sandbox: RunningSandbox,
) -> None:
    report = make_adapter(sandbox).consult(person(CLEAN_CPF, "CNM_COMPLETO"))

    assert '"possui_restricoes": false' in report.raw
    assert report.identity.name == subject_for(CLEAN_CPF).name


@pytest.mark.parametrize("document", docs_with_error("invalid_document"))
def test_consult_invalid_document_raises_invalid_document_unbilled(
    sandbox: RunningSandbox, document: str
) -> None:
    request = person(document) if len(document) == 11 else company(document)

    with pytest.raises(InvalidDocument) as caught:
        make_adapter(sandbox).consult(request)

    assert (caught.value.code, caught.value.billed) == ("DOCUMENTO_INVALIDO", Billed.NO)
    assert caught.value.message == "CPF/CNPJ inválido."
    assert billed_calls(sandbox, platform=PLATFORM) == 0


def test_consult_person_type_not_matching_document_raises_invalid_document(
    sandbox: RunningSandbox,
) -> None:
    with pytest.raises(InvalidDocument):
        make_adapter(sandbox).consult(company(CLEAN_CPF))


@pytest.mark.parametrize("document", docs_with_error("platform_error"))
def test_consult_platform_error_raises_unavailable_unbilled(
    sandbox: RunningSandbox, document: str
) -> None:
    request = person(document) if len(document) == 11 else company(document)

    with pytest.raises(ProviderUnavailable) as caught:
        make_adapter(sandbox).consult(request)

    assert (caught.value.code, caught.value.billed) == ("ERRO_INTERNO", Billed.NO)
    assert caught.value.retryable is True
    assert billed_calls(sandbox, platform=PLATFORM) == 0


def test_consult_unknown_product_raises_product_not_allowed(sandbox: RunningSandbox) -> None:
    with pytest.raises(ProductNotAllowed) as caught:
        make_adapter(sandbox).consult(person(CLEAN_CPF, "CNM_INEXISTENTE"))

    assert (caught.value.code, caught.value.billed) == ("PRODUTO_NAO_CONTRATADO", Billed.NO)
    assert billed_calls(sandbox, platform=PLATFORM) == 0


def test_consult_company_product_for_a_person_raises_product_not_allowed(
    sandbox: RunningSandbox,
) -> None:
    with pytest.raises(ProductNotAllowed) as caught:
        make_adapter(sandbox).consult(person(CLEAN_CPF, "CNM_EMPRESARIAL"))

    assert caught.value.code == "TIPO_PESSOA_INCOMPATIVEL"
    assert "tipo de pessoa" in caught.value.user_message
    assert billed_calls(sandbox, platform=PLATFORM) == 0


def test_consult_without_balance_raises_insufficient_balance(sandbox: RunningSandbox) -> None:
    adapter = make_adapter(sandbox)
    for _ in range(30):  # 30 x R$ 9,90 = R$ 297,00 of the R$ 300,00
        adapter.consult(person(CLEAN_CPF))
    assert adapter.balance() == Balance(Decimal("3.00"))

    with pytest.raises(InsufficientBalance) as caught:
        adapter.consult(person(CLEAN_CPF))
    with pytest.raises(InsufficientBalance):
        adapter.include(inclusion())  # R$ 3,50

    assert (caught.value.code, caught.value.billed) == ("SALDO_INSUFICIENTE", Billed.NO)
    assert billed_calls(sandbox, platform=PLATFORM) == 30


# --------------------------------------------------------------------------------------------
# The platform's PDF


def test_consult_with_restrictions_attaches_a_readable_pdf(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    report = make_adapter(sandbox).consult(person(LARGE_RESTRICTIONS_CPF, "CNM_COMPLETO"))

    assert report.document is not None
    pdf = report.document.content
    assert pdf.startswith(b"%PDF-1.4")
    assert pdf.endswith(b"%%EOF\n")
    assert operations(sandbox) == ["token", "consult", "consult_pdf"]
    assert [e["billed"] for e in ledger(sandbox, platform=PLATFORM)] == [False, True, False]
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) not installed: text extraction not checked")
    path = tmp_path / "consulta.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        [pdftotext, "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Crédito na Medida — Relatório de consulta" in text
    assert subject_for(LARGE_RESTRICTIONS_CPF).name in text
    assert report.protocol in text
    assert "BANCO EXEMPLO S.A." in text
    assert "R$ 25.400,00" in text


def test_consult_pdf_failure_keeps_the_billed_report_with_a_message(
    sandbox: RunningSandbox,
) -> None:
    adapter = make_adapter(sandbox)
    adapter.balance()  # token cached: the faults below hit the consult and the PDF download
    inject_fault(sandbox, PLATFORM, "latency", count=1, latency_ms=0)  # the consult: untouched
    inject_fault(sandbox, PLATFORM, "http500", count=1)  # the PDF download

    report = adapter.consult(person(LARGE_RESTRICTIONS_CPF))

    assert report.billed is Billed.YES
    assert report.has_restrictions is True
    assert report.document is None
    assert report.messages == (
        "Não foi possível obter o PDF da Crédito na Medida (HTTP 500, text/html).",
    )
    assert billed_calls(sandbox, platform=PLATFORM) == 1


# --------------------------------------------------------------------------------------------
# Token handling and credentials


def test_token_is_cached_across_calls(sandbox: RunningSandbox) -> None:
    adapter = make_adapter(sandbox)

    adapter.products()
    adapter.consult(person(CLEAN_CPF))
    adapter.balance()

    assert operations(sandbox) == ["token", "products", "consult", "balance"]


def test_check_credentials_fetches_a_fresh_token_and_reads_the_balance_free(
    sandbox: RunningSandbox,
) -> None:
    adapter = make_adapter(sandbox)
    adapter.products()

    adapter.check_credentials()

    assert operations(sandbox) == ["token", "products", "token", "balance"]
    assert billed_calls(sandbox, platform=PLATFORM) == 0


def test_check_credentials_works_when_configured_as_homologation(
    sandbox: RunningSandbox,
) -> None:
    # The platform has no homologation environment; the setting must not break the integration.
    make_adapter(sandbox, environment="homologation").check_credentials()

    assert operations(sandbox) == ["token", "balance"]


def test_check_credentials_wrong_secret_raises_authentication_failed(
    sandbox: RunningSandbox,
) -> None:
    adapter = make_adapter(sandbox, {"client_id": "sandbox-client", "client_secret": "errado"})

    with pytest.raises(AuthenticationFailed) as caught:
        adapter.check_credentials()

    assert caught.value.code == "invalid_client"
    assert caught.value.message == "Client ID ou Client Secret inválidos."
    assert caught.value.user_message == AuthenticationFailed.default_user_message
    assert ledger(sandbox, platform=PLATFORM)[0]["credential"] == "sandbox-client"


def test_check_credentials_missing_raises_without_calling_the_platform(
    sandbox: RunningSandbox,
) -> None:
    with pytest.raises(AuthenticationFailed) as caught:
        make_adapter(sandbox, {"client_id": "sandbox-client"}).check_credentials()

    assert caught.value.code == "missing_credentials"
    assert operations(sandbox) == []


def test_sandbox_token_accepts_client_credentials_as_form_fields(
    sandbox: RunningSandbox,
) -> None:
    response = requests.post(
        f"{sandbox.url}/{PLATFORM}/oauth/token",
        data={"grant_type": "client_credentials", **CREDENTIALS},
        timeout=5,
    )

    body = response.json()
    assert (response.status_code, body["token_type"], body["expires_in"]) == (200, "Bearer", 3600)
    saldo = requests.get(
        f"{sandbox.url}/{PLATFORM}/api/v1/saldo",
        headers={"Authorization": f"Bearer {body['access_token']}"},
        timeout=5,
    )
    assert saldo.json() == {"saldo": "300.00"}


def test_sandbox_token_refuses_other_grant_types(sandbox: RunningSandbox) -> None:
    response = requests.post(
        f"{sandbox.url}/{PLATFORM}/oauth/token",
        data={"grant_type": "password"},
        auth=("sandbox-client", "sandbox-secret"),
        timeout=5,
    )

    assert (response.status_code, response.json()["error"]) == (400, "unsupported_grant_type")


def test_sandbox_api_refuses_a_forged_token(sandbox: RunningSandbox) -> None:
    response = requests.get(
        f"{sandbox.url}/{PLATFORM}/api/v1/saldo",
        headers={"Authorization": "Bearer c2FuZGJveC1jbGllbnR8OTk5OTk5OTk5OQ.0000"},
        timeout=5,
    )

    assert (response.status_code, response.json()["error"]) == (401, "invalid_token")


def test_rejected_token_on_a_free_call_is_renewed_and_the_call_repeated(
    sandbox: RunningSandbox,
) -> None:
    adapter = make_adapter(sandbox)
    adapter.balance()
    inject_fault(sandbox, PLATFORM, "auth", count=1)

    products = adapter.products()

    assert [p.code for p in products] == ["CNM_BASICO", "CNM_COMPLETO", "CNM_EMPRESARIAL"]
    assert operations(sandbox) == ["token", "balance", "token", "products"]


def test_rejected_token_on_a_billed_consult_is_not_retried(sandbox: RunningSandbox) -> None:
    adapter = make_adapter(sandbox)
    adapter.balance()
    inject_fault(sandbox, PLATFORM, "auth", count=1)

    with pytest.raises(AuthenticationFailed) as caught:
        adapter.consult(person(CLEAN_CPF))

    assert (caught.value.code, caught.value.billed) == ("invalid_token", Billed.NO)
    assert "Tente novamente" in caught.value.user_message
    assert operations(sandbox) == ["token", "balance"]
    # The next consult gets a new token first and goes through, billed once.
    report = adapter.consult(person(CLEAN_CPF))
    assert report.billed is Billed.YES
    assert operations(sandbox) == ["token", "balance", "token", "consult"]
    assert billed_calls(sandbox, platform=PLATFORM) == 1


def test_auth_fault_on_token_request_raises_authentication_failed(
    sandbox: RunningSandbox,
) -> None:
    inject_fault(sandbox, PLATFORM, "auth", count=1)

    with pytest.raises(AuthenticationFailed) as caught:
        make_adapter(sandbox).consult(person(CLEAN_CPF))

    assert caught.value.code == "invalid_client"
    assert billed_calls(sandbox, platform=PLATFORM) == 0


# --------------------------------------------------------------------------------------------
# Faults


def test_http500_fault_on_consult_raises_unavailable_unbilled(sandbox: RunningSandbox) -> None:
    adapter = make_adapter(sandbox)
    adapter.balance()
    inject_fault(sandbox, PLATFORM, "http500", count=1)

    with pytest.raises(ProviderUnavailable) as caught:
        adapter.consult(person(CLEAN_CPF))

    assert (caught.value.code, caught.value.billed) == ("http_500", Billed.NO)
    assert billed_calls(sandbox, platform=PLATFORM) == 0


def test_malformed_fault_on_consult_raises_protocol_error_billed(
    sandbox: RunningSandbox,
) -> None:
    adapter = make_adapter(sandbox)
    adapter.balance()
    inject_fault(sandbox, PLATFORM, "malformed", count=1)

    with pytest.raises(ProviderProtocolError) as caught:
        adapter.consult(person(CLEAN_CPF))

    assert (caught.value.code, caught.value.billed) == ("malformed_json", Billed.YES)
    assert billed_calls(sandbox, platform=PLATFORM) == 1


def test_malformed_fault_on_free_call_raises_protocol_error_unbilled(
    sandbox: RunningSandbox,
) -> None:
    adapter = make_adapter(sandbox)
    adapter.balance()
    inject_fault(sandbox, PLATFORM, "malformed", count=1)

    with pytest.raises(ProviderProtocolError) as caught:
        adapter.products()

    assert caught.value.billed is Billed.NO


def test_timeout_fault_on_consult_is_billed_unknown_and_sent_once(
    sandbox: RunningSandbox,
) -> None:
    adapter = make_adapter(sandbox, read_timeout=0.5)
    adapter.balance()
    inject_fault(sandbox, PLATFORM, "timeout", count=1, latency_ms=1500)

    with pytest.raises(ProviderUnavailable) as caught:
        adapter.consult(person(CLEAN_CPF))

    assert (caught.value.code, caught.value.billed) == ("timeout", Billed.UNKNOWN)
    assert billed_calls(sandbox, platform=PLATFORM) == 1
    assert operations(sandbox).count("consult") == 1


def test_latency_fault_delays_but_completes_the_consult(sandbox: RunningSandbox) -> None:
    adapter = make_adapter(sandbox)
    adapter.balance()
    inject_fault(sandbox, PLATFORM, "latency", count=1, latency_ms=300)

    started = time.perf_counter()
    report = adapter.consult(person(CLEAN_CPF))

    assert time.perf_counter() - started >= 0.3
    assert report.identity.name == subject_for(CLEAN_CPF).name


# --------------------------------------------------------------------------------------------
# Products, reasons, balance


def test_products_lists_the_catalogue_with_person_types(sandbox: RunningSandbox) -> None:
    products = make_adapter(sandbox).products()

    assert [(p.code, p.person_types) for p in products] == [
        ("CNM_BASICO", (PersonType.PERSON, PersonType.COMPANY)),
        ("CNM_COMPLETO", (PersonType.PERSON, PersonType.COMPANY)),
        ("CNM_EMPRESARIAL", (PersonType.COMPANY,)),
    ]
    assert products[0].name == "Consulta Básica"


def test_reason_lists_come_from_the_platform(sandbox: RunningSandbox) -> None:
    adapter = make_adapter(sandbox)

    inclusion_codes = [r.code for r in adapter.inclusion_reasons()]
    removal = adapter.removal_reasons()

    assert inclusion_codes == ["01", "02", "03"]
    assert [r.code for r in removal] == ["01", "02", "03", "04"]
    assert removal[0].description == "Pagamento da dívida"
    assert billed_calls(sandbox, platform=PLATFORM) == 0


def test_balance_drops_by_the_price_of_each_billed_call(sandbox: RunningSandbox) -> None:
    adapter = make_adapter(sandbox)
    assert adapter.balance() == Balance(Decimal("300.00"), "BRL")

    adapter.consult(person(CLEAN_CPF))
    adapter.include(inclusion())

    assert adapter.balance() == Balance(Decimal("286.60"), "BRL")


# --------------------------------------------------------------------------------------------
# Negativações


def test_include_returns_pending_receipt_billed(sandbox: RunningSandbox) -> None:
    receipt = make_adapter(sandbox).include(inclusion())

    assert (receipt.state, receipt.billed, receipt.duplicate) == (
        InclusionState.PENDING,
        Billed.YES,
        False,
    )
    assert receipt.platform_id == sandbox.state.inclusions[0].id
    assert receipt.messages == (
        "Negativação recebida; o devedor será notificado por carta comunicado.",
    )
    assert [(e["operation"], e["billed"]) for e in ledger(sandbox, platform=PLATFORM)] == [
        ("token", False),
        ("include", True),
    ]


def test_include_duplicate_returns_same_id_unbilled(sandbox: RunningSandbox) -> None:
    adapter = make_adapter(sandbox)
    first = adapter.include(inclusion())

    second = adapter.include(inclusion())

    assert (second.platform_id, second.duplicate, second.billed) == (
        first.platform_id,
        True,
        Billed.NO,
    )
    assert second.state is InclusionState.PENDING
    assert billed_calls(sandbox, platform=PLATFORM) == 1


def test_include_invalid_document_raises_invalid_document(sandbox: RunningSandbox) -> None:
    with pytest.raises(InvalidDocument):
        make_adapter(sandbox).include(inclusion("52998224700"))

    assert billed_calls(sandbox, platform=PLATFORM) == 0


def test_include_platform_error_raises_unavailable(sandbox: RunningSandbox) -> None:
    with pytest.raises(ProviderUnavailable) as caught:
        make_adapter(sandbox).include(inclusion("32165498791"))

    assert caught.value.billed is Billed.NO


def test_include_unknown_reason_raises_provider_error_with_platform_message(
    sandbox: RunningSandbox,
) -> None:
    with pytest.raises(ProviderError) as caught:
        make_adapter(sandbox).include(inclusion(reason_code="99"))

    assert type(caught.value) is ProviderError
    assert caught.value.code == "MOTIVO_INVALIDO"
    assert caught.value.user_message == (
        "A plataforma recusou os dados enviados: Motivo de inclusão desconhecido."
    )


@pytest.mark.parametrize(("uf", "notice_days"), [("SP", 20), ("MG", 10)])
def test_inclusion_shows_in_consult_only_after_notice_period(
    sandbox: RunningSandbox, uf: str, notice_days: int
) -> None:
    adapter = make_adapter(sandbox)
    request = inclusion(uf=uf)
    receipt = adapter.include(request)

    advance_clock(sandbox, notice_days - 1)
    before = adapter.consult(person(CLEAN_CPF))
    pending = adapter.inclusion_status(receipt.platform_id, request)
    advance_clock(sandbox, 1.01)
    after = adapter.consult(person(CLEAN_CPF))
    active = adapter.inclusion_status(receipt.platform_id, request)

    assert (before.has_restrictions, pending.state) == (False, InclusionState.PENDING)
    assert active.state is InclusionState.ACTIVE
    assert after.restrictions == (
        Restriction(
            kind=RestrictionKind.OTHER,
            creditor="PROVEDOR SANDBOX LTDA",
            amount=Decimal("149.90"),
            occurred_on=dt.date(2026, 1, 10),
            contract="CT-2024-0007",
            city=request.debtor.address.city,
            state=uf,
            description="Negativação registrada via Crédito na Medida",
        ),
    )
    assert after.document is not None


def test_remove_marks_the_record_removed_free(sandbox: RunningSandbox) -> None:
    adapter = make_adapter(sandbox)
    request = inclusion()
    receipt = adapter.include(request)
    advance_clock(sandbox, 11)

    removal = adapter.remove(RemovalRequest(platform_id=receipt.platform_id, inclusion=request))

    assert removal.platform_id == receipt.platform_id
    assert removal.removed_at is not None
    assert abs(removal.removed_at - sandbox.state.now()) < dt.timedelta(seconds=5)
    assert removal.messages == ("Negativação baixada.",)
    stored = sandbox.state.inclusions[0]
    assert (stored.removal_reason, stored.removed_at) == ("01", removal.removed_at)
    status = adapter.inclusion_status(receipt.platform_id, request)
    assert status.state is InclusionState.REMOVED
    assert adapter.consult(person(CLEAN_CPF)).has_restrictions is False
    assert [e["billed"] for e in ledger(sandbox, operation="remove")] == [False]


def test_remove_twice_keeps_the_first_removal(sandbox: RunningSandbox) -> None:
    adapter = make_adapter(sandbox)
    request = inclusion()
    receipt = adapter.include(request)
    first = adapter.remove(RemovalRequest(receipt.platform_id, request))
    advance_clock(sandbox, 1)

    second = adapter.remove(RemovalRequest(receipt.platform_id, request, reason_code="02"))

    assert second.removed_at == first.removed_at
    assert sandbox.state.inclusions[0].removal_reason == "01"


def test_remove_unknown_record_raises_record_not_found(sandbox: RunningSandbox) -> None:
    with pytest.raises(RecordNotFound) as caught:
        make_adapter(sandbox).remove(RemovalRequest("CRE99999999", inclusion()))

    assert (caught.value.code, caught.value.message) == (
        "NEGATIVACAO_NAO_ENCONTRADA",
        "Negativação não encontrada.",
    )


def test_inclusion_status_unknown_record_raises_record_not_found(
    sandbox: RunningSandbox,
) -> None:
    with pytest.raises(RecordNotFound):
        make_adapter(sandbox).inclusion_status("CRE99999999", inclusion())

    assert operations(sandbox) == ["token", "inclusion_status"]


def test_inclusion_status_id_cannot_escape_its_path(sandbox: RunningSandbox) -> None:
    with pytest.raises(RecordNotFound):
        make_adapter(sandbox).inclusion_status("../saldo", inclusion())

    assert "balance" not in operations(sandbox)
