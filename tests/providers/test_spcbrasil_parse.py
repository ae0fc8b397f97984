"""SPC Brasil parsing and request building, against the public samples in shared/fixtures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from providers.base import (
    Address,
    AuthenticationFailed,
    Billed,
    BureauCode,
    Company,
    CreditReport,
    Debtor,
    Detail,
    DuplicateRecord,
    Identity,
    InclusionRequest,
    InvalidDocument,
    KindTotal,
    PersonType,
    Product,
    ProductNotAllowed,
    ProviderError,
    ProviderProtocolError,
    ProviderUnavailable,
    RecordNotFound,
    RemovalRequest,
    Restriction,
    RestrictionKind,
    Score,
)
from providers.spcbrasil import parse, wire

FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "spcbrasil"
needs_fixtures = pytest.mark.skipif(
    not FIXTURES.is_dir(), reason=f"public SPC Brasil samples not found in {FIXTURES}"
)

PF_CLEAN = "consultar-response-pf-limpo-com-score-cadastro-positivo.xml"
PJ_RESTRICTED = "consultar-response-pj-com-protesto-acao-base-inoperante.xml"
INCLUDE_FIXTURES = (
    "incluirSpc-request-pj.xml",
    "incluirSpc-request-pj-variante-espacos-em-valores.xml",
)


def _fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def _report(content: bytes, person_type: PersonType, document: str = "") -> CreditReport:
    payload = parse.read_envelope(200, content, billed=True)
    return parse.parse_report(
        payload,
        document=document,
        person_type=person_type,
        product="257",
        raw=content.decode(),
        billed=Billed.YES,
    )


def _error(status: int, content: bytes, *, billed: bool = True) -> ProviderError:
    with pytest.raises(ProviderError) as caught:
        parse.read_envelope(status, content, billed=billed)
    return caught.value


def _fault(code: str, message: str) -> bytes:
    return (
        '<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body><S:Fault>'
        f"<faultcode>S:Server</faultcode><faultstring>{code} - {message}</faultstring>"
        "</S:Fault></S:Body></S:Envelope>"
    ).encode()


def _resultado(inner: str, restricao: str = "true") -> bytes:
    return (
        '<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body>'
        f'<ns2:resultado restricao="{restricao}" '
        'xmlns:ns2="http://webservice.consulta.spcjava.spcbrasil.org/">'
        f"{inner}</ns2:resultado></S:Body></S:Envelope>"
    ).encode()


# --------------------------------------------------------------------------------------------
# consultar responses (public samples)


@needs_fixtures
def test_parse_pf_clean_fixture_has_no_restrictions_and_score_610_medio() -> None:
    report = _report(_fixture(PF_CLEAN), PersonType.PERSON)

    assert report.has_restrictions is False
    assert report.totals == ()
    assert report.restrictions == ()
    assert report.score == Score(610, "Score Cadastro Positivo", "MEDIO", None)
    assert report.protocol == "14723249770-10"


@needs_fixtures
def test_parse_pf_clean_fixture_identity() -> None:
    report = _report(_fixture(PF_CLEAN), PersonType.PERSON)

    assert report.identity == Identity(
        name="JOAO TESTE DE SOUZA",
        document="52998224806",
        person_type=PersonType.PERSON,
        birth_date=dt.date(1991, 12, 13),
        receita_situation="REGULAR",
    )


@needs_fixtures
def test_parse_pj_fixture_protests_with_cartorio_and_lawsuit_with_vara() -> None:
    report = _report(_fixture(PJ_RESTRICTED), PersonType.COMPANY)

    assert report.restrictions == (
        Restriction(
            RestrictionKind.PROTESTO,
            amount=Decimal("1470.07"),
            occurred_on=dt.date(2022, 8, 2),
            city="CLAUDIO",
            state="MG",
            notary_office="0001",
        ),
        Restriction(
            RestrictionKind.PROTESTO,
            amount=Decimal("66.02"),
            occurred_on=dt.date(2022, 5, 4),
            city="RIO DE JANEIRO",
            state="RJ",
            notary_office="0002",
        ),
        Restriction(
            RestrictionKind.ACAO,
            amount=Decimal("9715.46"),
            occurred_on=dt.date(2023, 9, 29),
            city="CONTAGEM",
            state="MG",
            description="Execução Fiscal Federal",
            court="0006",
        ),
    )


@needs_fixtures
def test_parse_pj_fixture_company_data_and_address() -> None:
    report = _report(_fixture(PJ_RESTRICTED), PersonType.COMPANY)

    assert report.company == Company(
        trade_name="EMPRESA TESTE",
        legal_nature=BureauCode("2062", "SOCIEDADE EMPRESARIA LIMITADA"),
        main_activity=BureauCode("6190601", "PROVEDORES DE ACESSO AS REDES DE COMUNICACOES"),
        situation_on=dt.date(2025, 1, 7),
    )
    assert report.addresses == (
        Address("06455020", "TOCANTINS", "125", "ALPHAVILLE", "BARUERI", "SP"),
    )


@needs_fixtures
def test_parse_pj_fixture_keeps_what_it_cannot_map_with_its_path() -> None:
    report = _report(_fixture(PJ_RESTRICTED), PersonType.COMPANY)

    assert report.other_information == (
        Detail("Data e hora da consulta no SPC", "21/01/2025 19:23", "@data"),
        Detail("Operador do SPC: código", "102494488", "operador/@codigo"),
        Detail("Operador do SPC: nome", "OPERADOR DE TESTE", "operador/@nome"),
        Detail(
            "Consultas anteriores: período (dias)",
            "90",
            "consulta-realizada/@quantidade-dias-consultados",
        ),
    )


@needs_fixtures
def test_parse_pf_fixture_keeps_person_fields_it_has_no_place_for() -> None:
    report = _report(_fixture(PF_CLEAN), PersonType.PERSON)

    assert report.company is None
    assert report.phones == ("(11) 973040000",)
    assert [(d.label, d.value) for d in report.other_information] == [
        ("Data e hora da consulta no SPC", "15/10/2024 10:30"),
        ("Operador do SPC: código", "102494488"),
        ("Operador do SPC: nome", "OPERADOR DE TESTE"),
        ("Idade", "32"),
        ("Pessoa estrangeira", "Não"),
        ("Sexo", "MASCULINO"),
        ("Signo", "SAGITARIO"),
        ("Região de emissão do CPF", "SAO PAULO"),
        ("Data da situação do CPF", "21/06/2024 10:23"),
        ("Consultas anteriores: período (dias)", "90"),
        ("Score Cadastro Positivo: mensagem", "Essa informação é confidencial."),
    ]


# A consultar answer in the layout v4.x shape of the SPC documentation's examples, as public
# clients built from them read it (no captured sample with cheques is public): the store
# cheque's value, number and bank nested in cheque-inicial, its reason in `alinea`; the CCF
# record's reason in `motivo` and its bank in ultimo-cheque.
CHEQUES = b"""<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body>
<ns2:resultado xmlns:ns2="http://webservice.consulta.spcjava.spcbrasil.org/" restricao="true">
 <protocolo numero="1" digito="2"/>
 <cheque-lojista>
  <resumo quantidade-total="1" valor-total="1234.56"/>
  <detalhe-cheque-lojista nome-associado="LOJA EXEMPLO LTDA"
      data-inclusao="2025-03-10T00:00:00-03:00" codigo-entidade="55" informante="LOJA EXEMPLO">
   <alinea codigo="12" descricao="CHEQUE SEM FUNDOS - 2A APRESENTACAO"/>
   <cheque-inicial data-emissao="2025-02-20T00:00:00-03:00" numero="000123" digito="4"
       valor="1234.56">
    <dados-bancarios numero-agencia="0456" numero-conta-corrente="12345" digito-conta-corrente="6">
     <banco codigo="341" nome="ITAU UNIBANCO S.A."/>
    </dados-bancarios>
   </cheque-inicial>
   <cheque-final numero="000125" digito="0"/>
   <cidade-associado nome="CAMPINAS"><estado sigla-uf="SP"/></cidade-associado>
   <telefone-associado numero-ddd="19" numero="32323232"/>
  </detalhe-cheque-lojista>
 </cheque-lojista>
 <ccf>
  <resumo quantidade-total="2"/>
  <detalhe-ccf quantidade="2" data-ultimo-cheque="2024-11-05T00:00:00-03:00" origem="BACEN">
   <motivo codigo="12"/>
   <ultimo-cheque><dados-bancarios numero-agencia="1234">
    <banco codigo="1" nome="BANCO DO BRASIL S.A."/>
   </dados-bancarios></ultimo-cheque>
  </detalhe-ccf>
 </ccf>
</ns2:resultado></S:Body></S:Envelope>"""


def test_parse_store_cheque_maps_nested_value_number_bank_and_alinea() -> None:
    report = _report(CHEQUES, PersonType.PERSON)

    assert report.restrictions[0] == Restriction(
        RestrictionKind.CHEQUE,
        creditor="LOJA EXEMPLO LTDA",
        amount=Decimal("1234.56"),
        occurred_on=dt.date(2025, 3, 10),
        city="CAMPINAS",
        state="SP",
        description="Cheque devolvido ao lojista",
        bank="341 - ITAU UNIBANCO S.A.",
        agency="0456",
        account="12345-6",
        cheque_number="000123-4 a 000125-0",
        alinea=BureauCode("12", "CHEQUE SEM FUNDOS - 2A APRESENTACAO"),
        details=(
            Detail("Informante", "LOJA EXEMPLO"),
            Detail("Emissão do cheque", "20/02/2025"),
            Detail("Código da entidade", "55"),
            Detail("Telefone do credor", "(19) 32323232"),
        ),
    )
    assert report.other_information == ()


def test_parse_ccf_record_without_value_reads_alinea_from_bacen_table() -> None:
    report = _report(CHEQUES, PersonType.PERSON)

    assert report.restrictions[1] == Restriction(
        RestrictionKind.CHEQUE,
        occurred_on=dt.date(2024, 11, 5),
        description="CCF do Banco Central",
        bank="001 - BANCO DO BRASIL S.A.",
        agency="1234",
        alinea=BureauCode("12", "Cheque sem fundos - 2ª apresentação"),
        details=(Detail("Quantidade de cheques", "2"), Detail("Origem", "BACEN")),
    )
    assert report.totals == (KindTotal(RestrictionKind.CHEQUE, 3, Decimal("1234.56"), 2),)


@needs_fixtures
def test_parse_pj_fixture_totals_are_spcs_summary() -> None:
    report = _report(_fixture(PJ_RESTRICTED), PersonType.COMPANY)

    assert report.has_restrictions is True
    assert report.totals == (
        KindTotal(RestrictionKind.PROTESTO, 2, Decimal("1536.09")),
        KindTotal(RestrictionKind.ACAO, 1, Decimal("9715.46")),
    )
    assert report.total_amount == Decimal("11251.55")
    assert report.score is None


@needs_fixtures
def test_parse_pj_fixture_identity_and_unavailable_base_message() -> None:
    report = _report(_fixture(PJ_RESTRICTED), PersonType.COMPANY)

    assert report.identity == Identity(
        name="EMPRESA TESTE LTDA",
        document="02178451000149",
        person_type=PersonType.COMPANY,
        birth_date=dt.date(2018, 1, 2),
        receita_situation="ATIVA",
    )
    assert report.messages == ("Base indisponível no SPC durante a consulta: CHEQUE ONLINE SRS",)
    assert report.protocol == "14803735292-5"


@needs_fixtures
def test_parse_list_products_fixture_gives_257_and_634() -> None:
    payload = parse.read_envelope(
        200, _fixture("listarProdutos-response-257-634.xml"), billed=False
    )

    assert parse.parse_products(payload) == (
        Product("257", "SPC MIX TOP +"),
        Product("634", "SPC SÓ SCORE POSITIVO"),
    )


# --------------------------------------------------------------------------------------------
# Errors


@needs_fixtures
def test_fault_fixture_e4_maps_to_product_not_allowed() -> None:
    error = _error(500, _fixture("consultar-fault-CN_INT005.E4-operador-sem-acesso-ao-produto.xml"))

    assert isinstance(error, ProductNotAllowed)
    assert (error.code, error.message, error.billed) == (
        "CN_INT005.E4",
        "Operador nao possui acesso ao produto",
        Billed.NO,
    )


@needs_fixtures
def test_fault_fixture_e8_2_maps_to_invalid_document() -> None:
    error = _error(500, _fixture("consultar-fault-CN_INT005.E8.2-documento-invalido.xml"))

    assert isinstance(error, InvalidDocument)
    assert (error.code, error.message) == ("CN_INT005.E8.2", "CPF/CNPJ inválido")


@needs_fixtures
def test_fault_fixture_e10_maps_to_record_not_found() -> None:
    error = _error(
        500, _fixture("excluirSpc-fault-IE_SPC005.E10-registro-nao-encontrado.xml"), billed=False
    )

    assert isinstance(error, RecordNotFound)
    assert (error.code, error.message) == (
        "IE_SPC005.E10",
        "Registro não encontrado para a exclusão",
    )


@needs_fixtures
def test_auth_layer_401_fixture_maps_to_authentication_failed() -> None:
    content = _fixture("auth-http401-body-CS_AUT001.E1.2-operador-ou-senha-invalidos.txt")
    error = _error(401, content)

    assert isinstance(error, AuthenticationFailed)
    assert (error.code, error.message, error.billed) == (
        "CS_AUT001.E1.2",
        "Operador ou senha inválidos",
        Billed.NO,
    )


@needs_fixtures
def test_auth_layer_500_locked_operator_fixture_maps_to_authentication_failed() -> None:
    error = _error(500, _fixture("auth-http500-body-CS_AUT001.E1.7-operador-bloqueado.txt"))

    assert isinstance(error, AuthenticationFailed)
    assert (error.code, error.message) == ("CS_AUT001.E1.7", "Operador bloqueado")
    assert "bloqueado" in error.user_message


@pytest.mark.parametrize(
    ("code", "error_class", "retryable"),
    [
        ("CN_INT005.E2.3", AuthenticationFailed, False),
        ("CN_INT005.E3", AuthenticationFailed, False),
        ("CN_INT005.E4", ProductNotAllowed, False),
        ("CN_INT005.E8.2", InvalidDocument, False),
        ("CN_INT005.E8.3", InvalidDocument, False),
        ("CN_INT005.E8.4", InvalidDocument, False),
        ("CN_GER001.E0", ProviderUnavailable, True),
        ("IE_SPC001.E09", DuplicateRecord, False),
        ("IE_SPC005.E10", RecordNotFound, False),
    ],
)
def test_fault_codes_map_onto_contract_errors(
    code: str, error_class: type[ProviderError], retryable: bool
) -> None:
    error = _error(500, _fault(code, "texto do SPC"))

    assert type(error) is error_class
    assert (error.code, error.message, error.retryable, error.billed) == (
        code,
        "texto do SPC",
        retryable,
        Billed.NO,
    )


def test_fault_unknown_code_keeps_code_and_message() -> None:
    error = _error(500, _fault("CN_XYZ009.E7", "Algo novo"))

    assert type(error) is ProviderProtocolError
    assert (error.code, error.message) == ("CN_XYZ009.E7", "Algo novo")
    assert error.user_message == "O SPC Brasil recusou a operação: Algo novo"


def test_fault_without_spc_code_keeps_soap_faultcode() -> None:
    error = _error(500, _fault("", "Cannot find dispatch method").replace(b" - ", b""))

    assert type(error) is ProviderProtocolError
    assert (error.code, error.message) == ("S:Server", "Cannot find dispatch method")


def test_read_envelope_refuses_entity_expansion() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><S:Envelope '
        b'xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body><x>&lol2;</x>'
        b"</S:Body></S:Envelope>"
    )
    error = _error(200, bomb)

    assert (type(error), error.code) == (ProviderProtocolError, "xml_dtd")


def test_read_envelope_malformed_answer_to_billed_call_is_billed_unknown() -> None:
    error = _error(200, b"<S:Envelope xmlns:S='x'><S:Bo\x00<<<", billed=True)

    assert (type(error), error.code, error.billed) == (
        ProviderProtocolError,
        "malformed_xml",
        Billed.UNKNOWN,
    )


def test_read_envelope_malformed_answer_to_free_call_is_not_billed() -> None:
    error = _error(200, b"not xml at all", billed=False)

    assert (type(error), error.billed) == (ProviderProtocolError, Billed.NO)


def test_read_envelope_http_500_page_is_provider_unavailable() -> None:
    error = _error(500, b"<html><body><h1>500 Internal Server Error</h1></body></html>")

    assert (type(error), error.code, error.billed) == (ProviderUnavailable, "http_500", Billed.NO)


# --------------------------------------------------------------------------------------------
# Quirks of the consultar payload


def test_parse_report_pendencia_financeira_splits_pefin_and_refin() -> None:
    content = _resultado(
        '<pendencia-financeira><resumo quantidade-total="2" valor-total="300.00"/>'
        '<detalhe-pendencia-financeira origem="PEFIN" nome-credor="LOJA" valor-pendencia="100.00"'
        ' data-ocorrencia="2025-01-02T00:00:00-03:00"/>'
        '<detalhe-pendencia-financeira origem=" REFIN " nome-credor="BANCO" '
        'valor-pendencia="200.00" data-ocorrencia="2025-02-03T00:00:00-03:00"/>'
        "</pendencia-financeira>"
    )
    report = _report(content, PersonType.PERSON, "52998224725")

    assert [(r.kind, r.creditor, r.amount) for r in report.restrictions] == [
        (RestrictionKind.PEFIN, "LOJA", Decimal("100.00")),
        (RestrictionKind.REFIN, "BANCO", Decimal("200.00")),
    ]
    assert report.totals == (
        KindTotal(RestrictionKind.PEFIN, 1, Decimal("100.00")),
        KindTotal(RestrictionKind.REFIN, 1, Decimal("200.00")),
    )


def test_parse_report_falencia_marker_in_acao_is_falencia() -> None:
    content = _resultado(
        '<acao><resumo quantidade-total="1" valor-total="50.00"/>'
        '<detalhe-acao valor-acao="50.00" data-acao="2024-01-01T00:00:00-02:00">'
        '<tipo-acao descricao="Pedido de FALÊNCIA"/></detalhe-acao></acao>'
    )
    report = _report(content, PersonType.COMPANY, "11222333000181")

    assert report.totals == (KindTotal(RestrictionKind.FALENCIA, 1, Decimal("50.00")),)


def test_parse_report_summary_counts_more_than_details() -> None:
    content = _resultado(
        '<spc><resumo quantidade-total="3" valor-total="90.00"/>'
        '<detalhe-spc nome-associado="LOJA" valor="30.00"/></spc>'
    )
    report = _report(content, PersonType.PERSON, "52998224725")

    assert report.totals == (KindTotal(RestrictionKind.SPC, 3, Decimal("90.00")),)


def test_parse_report_flagged_without_details_reports_undetailed_restriction() -> None:
    content = _resultado(
        '<score-cadastro-positivo><resumo quantidade-total="0"/></score-cadastro-positivo>'
    )
    report = _report(content, PersonType.PERSON, "52998224725")

    assert report.has_restrictions is True
    assert report.restrictions == (
        Restriction(RestrictionKind.OTHER, description=parse.UNDETAILED_RESTRICTION),
    )
    assert report.score is None
    assert report.identity == Identity("", "52998224725", PersonType.PERSON)


def test_parse_report_tolerates_prefixed_elements_padding_and_brazilian_amounts() -> None:
    content = _resultado(
        '<ns2:protocolo numero=" 123 " digito="4"/>'
        '<ns2:protesto><resumo quantidade-total=" 1 " valor-total="1.234,56 "/>'
        '<detalhe-protesto valor=" 1.234,56" data-protesto="02/03/2024" '
        'requerente-credor="  CREDOR  "/></ns2:protesto>'
    )
    report = _report(content, PersonType.PERSON, "52998224725")

    assert report.protocol == "123-4"
    assert report.restrictions == (
        Restriction(RestrictionKind.PROTESTO, "CREDOR", Decimal("1234.56"), dt.date(2024, 3, 2)),
    )
    assert report.totals == (KindTotal(RestrictionKind.PROTESTO, 1, Decimal("1234.56")),)


def test_parse_report_spc_score_preferred_over_cadastro_positivo() -> None:
    content = _resultado(
        '<score-cadastro-positivo><resumo quantidade-total="610"/>'
        '<detalhe-score-cadastro-positivo indice-risco-credito-score="MEDIO"/>'
        "</score-cadastro-positivo>"
        '<spc-score-12-meses><resumo quantidade-total="1"/>'
        '<detalhe-spc-score-12-meses score="455" classe="D" probabilidade="21,5"/>'
        "</spc-score-12-meses>",
        restricao="false",
    )
    report = _report(content, PersonType.PERSON, "52998224725")

    assert report.score == Score(455, "SPC Score 12 meses", "D", Decimal("21.5"))


@pytest.mark.parametrize("value", ["abc", "1e999999", "NaN", "1001", "12.5"])
def test_parse_report_unreadable_score_is_protocol_error(value: str) -> None:
    content = _resultado(
        f'<spc-score-12-meses><detalhe-spc-score-12-meses score="{value}"/></spc-score-12-meses>',
        restricao="false",
    )
    with pytest.raises(ProviderProtocolError):
        _report(content, PersonType.PERSON, "52998224725")


def test_parse_report_rejects_other_payloads() -> None:
    content = _resultado("").replace(b"resultado", b"produtos")
    with pytest.raises(ProviderProtocolError) as caught:
        _report(content, PersonType.PERSON, "52998224725")

    assert caught.value.code == "unexpected_payload"


def test_success_message_read_bare_or_wrapped() -> None:
    bare = etree.fromstring(
        b'<ns2:sucesso xmlns:ns2="x"> Dados inseridos com sucesso! </ns2:sucesso>'
    )
    wrapped = etree.fromstring(b"<r><sucesso>Registro removido com sucesso!</sucesso></r>")

    assert parse.success_message(bare) == "Dados inseridos com sucesso!"
    assert parse.success_message(wrapped) == "Registro removido com sucesso!"


@needs_fixtures
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    attribute=st.sampled_from(
        ["valor", "valor-total", "quantidade-total", "data-protesto", "data-acao", "numero"]
    ),
    value=st.text(max_size=20),
)
def test_parse_report_fuzzed_values_raise_only_provider_errors(attribute: str, value: str) -> None:
    root = etree.fromstring(_fixture(PJ_RESTRICTED))
    for element in root.iter():
        if element.get(attribute) is not None:
            element.set(attribute, "".join(ch for ch in value if ch.isprintable()))
    content = etree.tostring(root)
    try:
        report = _report(content, PersonType.COMPANY)
    except ProviderError:
        return
    assert report.identity.person_type is PersonType.COMPANY


@settings(max_examples=150, deadline=None)
@given(content=st.binary(max_size=300), status=st.sampled_from([200, 401, 500]))
def test_read_envelope_arbitrary_bytes_raise_only_provider_errors(
    content: bytes, status: int
) -> None:
    try:
        parse.read_envelope(status, content, billed=True)
    except ProviderError:
        return


# --------------------------------------------------------------------------------------------
# Requests the adapter builds


def _structure(element: etree._Element) -> tuple[Any, ...]:
    """Tags (namespace-qualified), attribute names and children, ignoring values."""
    return (
        element.tag,
        tuple(sorted(element.attrib)),
        tuple(_structure(c) for c in element if isinstance(c.tag, str)),
    )


def _fixture_inclusion() -> InclusionRequest:
    """The debt of incluirSpc-request-pj.xml, as our callers would describe it."""
    return InclusionRequest(
        debtor=Debtor(
            document="11222333000181",
            person_type=PersonType.COMPANY,
            name="ASSOCIACAO DE CONTRIBUICAO SOCIAL DO BRASIL",
            address=Address("11740-000", "Avenida Condessa", "999", "Centro", "ITANHAEM", "SP"),
        ),
        contract_number="000044270415",
        our_number="1",
        purchase_date=dt.date(2014, 2, 1),
        due_date=dt.date(2022, 8, 22),
        amount=Decimal("100"),
        reason_code="1",
    )


@needs_fixtures
@pytest.mark.parametrize("name", INCLUDE_FIXTURES)
def test_include_request_has_the_element_structure_of_the_captured_requests(name: str) -> None:
    ours = etree.fromstring(wire.include(_fixture_inclusion()))
    captured = etree.fromstring(_fixture(name))

    assert _structure(ours) == _structure(captured)


@needs_fixtures
def test_include_request_values_match_the_captured_request() -> None:
    ours = etree.fromstring(wire.include(_fixture_inclusion()))
    captured = etree.fromstring(_fixture("incluirSpc-request-pj.xml"))

    def values(root: etree._Element) -> dict[str, str]:
        found = {}
        for el in root.iter():
            if not isinstance(el.tag, str) or len(el):
                continue
            key = etree.QName(el).localname
            found[key] = (el.text or el.get("numero") or "").strip()
        found["cep"] = found["cep"].lstrip("-")  # the captured client sent a leading minus
        for key in ("data-compra", "data-vencimento"):
            found[key] = found[key][:10]  # the captured client sent the time of day
        found.pop("nome-comercial")  # we keep one name per customer
        return found

    assert values(ours) == values(captured)


@needs_fixtures
def test_remove_request_has_the_element_structure_of_the_captured_request() -> None:
    inclusion = _fixture_inclusion()
    request = RemovalRequest(platform_id=wire.inclusion_key(inclusion), inclusion=inclusion)
    ours = etree.fromstring(wire.remove(request))
    captured = etree.fromstring(_fixture("excluirSpc-request-pj.xml"))

    assert _structure(ours) == _structure(captured)


def test_consult_request_filter() -> None:
    root = etree.fromstring(
        wire.consult(
            product="634", person_type=PersonType.PERSON, document="52998224725", cep="01310-100"
        )
    )
    filtro = root.find(f"{{{wire.SOAP_ENV}}}Body/{{{wire.CONSULTA_NS}}}consultar/filtro")

    assert filtro is not None
    assert [(c.tag, c.text) for c in filtro] == [
        ("codigo-produto", "634"),
        ("tipo-consumidor", "F"),
        ("documento-consumidor", "52998224725"),
        ("cep-consumidor", "01310100"),
    ]


def test_person_inclusion_request_carries_birth_date_and_phone() -> None:
    base = _fixture_inclusion()
    debtor = Debtor(
        "52998224725",
        PersonType.PERSON,
        "FULANO",
        base.debtor.address,
        dt.date(1980, 5, 6),
        "(11) 98765-4321",
    )
    root = etree.fromstring(wire.include(InclusionRequest(**{**base.__dict__, "debtor": debtor})))
    data = next(el for el in root.iter() if el.tag == "dados-pessoa-fisica")

    assert [(el.tag, el.text, dict(el.attrib)) for el in data] == [
        ("cpf", None, {"numero": "52998224725"}),
        ("nome", "FULANO", {}),
        ("data-nascimento", "1980-05-06T00:00:00", {}),
        ("telefone", None, {"numero-ddd": "11", "numero": "987654321"}),
    ]


def test_request_values_are_escaped_not_interpolated() -> None:
    base = _fixture_inclusion()
    hostile = '</razao-social><injected/>"&\x01'
    debtor = Debtor(base.debtor.document, PersonType.COMPANY, hostile, base.debtor.address)
    request = InclusionRequest(**{**base.__dict__, "debtor": debtor, "contract_number": "]]>"})
    root = etree.fromstring(wire.include(request))

    assert not any(el.tag == "injected" for el in root.iter())
    assert next(el for el in root.iter() if el.tag == "razao-social").text == hostile[:-1]
    assert next(el for el in root.iter() if el.tag == "numero-contrato").text == "]]>"


def test_inclusion_key_is_document_contract_and_due_date() -> None:
    assert wire.inclusion_key(_fixture_inclusion()) == "SPC:11222333000181:000044270415:2022-08-22"
