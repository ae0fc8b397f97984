"""SOAWebService payload parsing: the public sample payloads, both casings, and fuzzing."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from providers.base import (
    Address,
    AuthenticationFailed,
    Billed,
    BureauCode,
    Company,
    CreditReport,
    Detail,
    DuplicateRecord,
    Identity,
    InclusionState,
    InsufficientBalance,
    InvalidDocument,
    KindTotal,
    Partner,
    PersonType,
    ProviderError,
    ProviderProtocolError,
    ProviderUnavailable,
    RecordNotFound,
    RemovalReceipt,
    Restriction,
    RestrictionKind,
    Score,
)
from providers.soawebservice import parse
from providers.soawebservice.codes import transaction_error

FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "soawebservices"
K = RestrictionKind


def _fixture(name: str) -> tuple[dict[str, Any], str]:
    path = FIXTURES / name
    if not FIXTURES.is_dir():
        pytest.skip(f"public fixtures not found at {FIXTURES}")
    text = path.read_text(encoding="utf-8")
    return json.loads(text, parse_float=Decimal), text


def _report(payload: dict[str, Any], document: str = "52998224725", **kw: Any) -> CreditReport:
    person_type = PersonType.PERSON if len(document) == 11 else PersonType.COMPANY
    options: dict[str, Any] = {
        "platform": "soawebservice",
        "product": "CREDNET",
        "document": document,
        "person_type": person_type,
        "billed": Billed.YES,
        "raw": "",
    }
    return parse.parse_report(payload, **{**options, **kw})


def _pascal(value: Any) -> Any:
    """The .ashx casing of a v2 payload: every key with its first letter upper-cased."""
    if isinstance(value, dict):
        return {key[:1].upper() + key[1:]: _pascal(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_pascal(item) for item in value]
    return value


# --------------------------------------------------------------------------------------------
# The .ashx fixtures: every status code maps through the same envelope function

ASHX_RESPONSES: dict[str, tuple[type[ProviderError] | None, str]] = {
    "ashx-cdc-pessoafisicaestendida-test-drive-success.json": (None, ""),
    "ashx-cdc-pessoafisicanfe-success.json": (None, ""),
    "ashx-cdc-pessoajuridicanfe-success.json": (None, ""),
    "ashx-cdc-pessoafisicanfe-invalid-cpf-G000M003.json": (InvalidDocument, "G000M003"),
    "ashx-cdc-pessoajuridicanfe-invalid-cnpj-G000M003.json": (InvalidDocument, "G000M003"),
    "ashx-cdc-pessoafisicanfe-invalid-data-nascimento-P009M002.json": (InvalidDocument, "P009M002"),
    "ashx-cdc-pessoafisicanfe-required-data-nascimento-P009M001.json": (
        InvalidDocument,
        "P009M001",
    ),
    "ashx-cdc-pessoafisicanfe-wrong-credentials-G000M000.json": (AuthenticationFailed, "G000M000"),
    "ashx-cdc-pessoajuridicanfe-wrong-credentials-G000M000.json": (
        AuthenticationFailed,
        "G000M000",
    ),
}


def test_every_ashx_response_fixture_has_a_mapping_case() -> None:
    if not FIXTURES.is_dir():
        pytest.skip(f"public fixtures not found at {FIXTURES}")
    responses = {p.name for p in FIXTURES.glob("ashx-*.json") if "-request-" not in p.name}

    assert responses == set(ASHX_RESPONSES)


@pytest.mark.parametrize("name", sorted(ASHX_RESPONSES))
def test_ashx_fixture_status_code_maps_to_error(name: str) -> None:
    payload, _ = _fixture(name)
    expected_class, expected_code = ASHX_RESPONSES[name]

    error = transaction_error(payload)

    if expected_class is None:
        assert error is None
        return
    assert type(error) is expected_class
    assert error.code == expected_code
    assert error.message == payload["Transacao"]["CodigoStatusDescricao"]
    assert error.billed is Billed.NO


def test_ashx_birth_date_codes_say_so_in_portuguese() -> None:
    required, _ = _fixture("ashx-cdc-pessoafisicanfe-required-data-nascimento-P009M001.json")
    invalid, _ = _fixture("ashx-cdc-pessoafisicanfe-invalid-data-nascimento-P009M002.json")

    required_error, invalid_error = transaction_error(required), transaction_error(invalid)

    assert required_error is not None and invalid_error is not None
    assert required_error.user_message == (
        "A SOAWebService exige a data de nascimento para consultar este CPF."
    )
    assert invalid_error.user_message == (
        "A SOAWebService recusou a data de nascimento informada para este CPF."
    )


def test_ashx_company_success_parses_identity_and_qsa() -> None:
    payload, _ = _fixture("ashx-cdc-pessoajuridicanfe-success.json")

    report = _report(payload, "99999999999962")

    assert report.identity == Identity(
        name="DOCUMENTO CNPJ DE TESTES",
        document="99999999999962",
        person_type=PersonType.COMPANY,
        birth_date=dt.date(2007, 5, 2),
        receita_situation="ATIVA",
    )
    assert report.partners == (
        Partner("NOME DO SOCIO", "99999999999", "Sócio"),
        Partner("NOME DO PRESIDENTE", "99999999999", "PRESIDENTE"),
    )
    assert report.has_restrictions is False


def test_ashx_company_success_parses_company_data_and_contacts() -> None:
    payload, _ = _fixture("ashx-cdc-pessoajuridicanfe-success.json")

    report = _report(payload, "99999999999962")

    assert report.company == Company(
        trade_name="EMPRESA DE TESTES",
        legal_nature=BureauCode("206-2", "SOCIEDADE EMPRESARIA LIMITADA"),
        main_activity=BureauCode("82.91-1-00", "Atividades de cobranças e informações cadastrais"),
        capital=Decimal("10000.00"),
        situation_on=dt.date(2021, 12, 6),
        headquarters="MATRIZ",
    )
    assert report.addresses == (
        Address(
            "99999999",
            "RUA DE TESTES",
            "99999",
            "BAIRRO DE TESTES",
            "CIDADE DE TESTES",
            "XX",
            "APTO 99",
        ),
    )
    assert (report.phones, report.emails) == (("1199999999",), ("email@email.com",))


def test_ashx_company_success_keeps_unmapped_fields_with_their_paths() -> None:
    payload, _ = _fixture("ashx-cdc-pessoajuridicanfe-success.json")

    report = _report(payload, "99999999999962")

    assert report.other_information == (
        Detail("Data da consulta à Receita Federal", "06/12/2021 18:55:19", "DataConsultaRFB"),
        Detail(
            "Data do motivo especial da situação",
            "06/12/2021",
            "DataMotivoEspecialSituacaoRFB",
        ),
        Detail("Endereços › Tipo", "2", "Enderecos[0].Tipo"),
        Detail("Geo localização › Latitude", "0.0", "Enderecos[0].GeoLocalizacao.Latitude"),
        Detail("Geo localização › Longitude", "0.0", "Enderecos[0].GeoLocalizacao.Longitude"),
        Detail("Endereços › Data atualização", "06/12/2021 18:55", "Enderecos[0].DataAtualizacao"),
        Detail("Endereços › Código IBGE", "99999", "Enderecos[0].CodigoIBGE"),
        Detail("Socios › Pessoa", "1", "QSA.Socios[0].Pessoa"),
        Detail("Administradores › Pessoa", "1", "QSA.Administradores[0].Pessoa"),
    )


def test_ashx_person_extended_success_ignores_min_value_date() -> None:
    payload, _ = _fixture("ashx-cdc-pessoafisicaestendida-test-drive-success.json")

    report = _report(payload, "52998224725")

    assert (report.identity.name, report.identity.birth_date) == (
        "ISSO È UM TESTE",
        dt.date(1996, 4, 4),
    )
    assert report.messages == ("Transacao teste realizada com sucesso!",)
    assert (report.phones, report.emails) == (("11999999999",), ("fulano.de.tal@example.com",))
    assert [(d.label, d.value) for d in report.other_information] == [
        ("Sexo", "Masculino"),
        ("Telefones › Tipo telefone", "1"),
        ("Telefones › Data atualização", "31/10/2019 10:59"),
        ("Renda presumida", "0"),
    ]


# --------------------------------------------------------------------------------------------
# The v2 fixtures (homologation echoes)


def test_v2_crednet_homologation_echo_parses_dummy_values() -> None:
    payload, text = _fixture("v2-serasa-consultas-crednet-homologacao-response.json")
    assert transaction_error(payload) is None

    report = _report(payload, raw=text, billed=Billed.NO)

    echo_day = dt.date(2026, 9, 18)
    assert report.identity == Identity("", "52998224725", PersonType.PERSON, echo_day)
    flags = (Detail("Devedor principal", "Sim"), Detail("Em disputa judicial", "Sim"))
    assert report.restrictions == (
        Restriction(K.PEFIN, amount=Decimal(1), occurred_on=echo_day, details=flags),
        Restriction(K.REFIN, amount=Decimal(1), occurred_on=echo_day, details=flags),
    )
    assert report.totals == (KindTotal(K.PEFIN, 1, Decimal(1)), KindTotal(K.REFIN, 1, Decimal(1)))
    # The echo's overall summary (1 occurrence, R$ 1) does not add up with its blocks (2): kept.
    assert report.other_information == (
        Detail("Resumo › Total ocorrências", "1", "dadosNegativos.resumo.totalOcorrencias"),
        Detail("Resumo › Valor total", "1", "dadosNegativos.resumo.valorTotal"),
        Detail("Código da mensagem", "1", "informacoesAdicionais.score.codigoMensagem"),
    )
    assert report.score == Score(value=1, default_probability=Decimal(1))
    assert (report.protocol, report.inquiries, report.partners) == ("", (), ())
    assert (report.raw, report.billed) == (text, Billed.NO)


def test_v2_excluir_homologation_parses_removal_receipt() -> None:
    payload, text = _fixture("v2-serasa-negativacoes-excluir-homologacao-response.json")
    assert transaction_error(payload) is None

    receipt = parse.parse_removal(payload, raw=text)

    assert receipt == RemovalReceipt(
        platform_id="123e4567-e89b-12d3-a456-426614174000",
        removed_at=dt.datetime(2026, 9, 18, tzinfo=parse.BRAZIL),
        raw=text,
    )


def test_v2_payload_in_pascal_case_parses_the_same() -> None:
    payload, _ = _fixture("v2-serasa-consultas-crednet-homologacao-response.json")

    pascal, camel = _report(_pascal(payload)), _report(payload)

    assert replace(pascal, other_information=()) == replace(camel, other_information=())
    assert [(d.label, d.value, d.path.lower()) for d in pascal.other_information] == [
        (d.label, d.value, d.path.lower()) for d in camel.other_information
    ]
    assert transaction_error(_pascal(payload)) is None


# --------------------------------------------------------------------------------------------
# Envelope codes that no fixture shows


def _failed(code: Any, description: str = "descrição") -> dict[str, Any]:
    return {
        "transacao": {"status": False, "codigoStatus": code, "codigoStatusDescricao": description}
    }


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("G000M005", InsufficientBalance),
        ("G000M099", ProviderUnavailable),
        ("N000M001", DuplicateRecord),
        ("N000M002", RecordNotFound),
        ("N000M003", ProviderError),
    ],
)
def test_transaction_error_maps_assumed_codes_not_billed(
    code: str, expected: type[ProviderError]
) -> None:
    error = transaction_error(_failed(code), unsure=Billed.UNKNOWN)

    assert type(error) is expected
    assert (error.code, error.message, error.billed) == (code, "descrição", Billed.NO)


def test_transaction_error_unknown_code_is_protocol_error_billed_unsure() -> None:
    error = transaction_error(_failed("XXXXXXXXX"), unsure=Billed.UNKNOWN)

    assert type(error) is ProviderProtocolError
    assert (error.code, error.message, error.billed) == ("XXXXXXXXX", "descrição", Billed.UNKNOWN)
    assert error.user_message == "A SOAWebService respondeu com um código desconhecido (XXXXXXXXX)."


def test_transaction_error_without_code_is_protocol_error() -> None:
    error = transaction_error(_failed(None, ""))

    assert type(error) is ProviderProtocolError
    assert error.code == "unknown_status"


@pytest.mark.parametrize("payload", [{}, {"transacao": None}, {"transacao": {"status": "talvez"}}])
def test_transaction_error_without_envelope_is_protocol_error(payload: dict[str, Any]) -> None:
    error = transaction_error(payload, unsure=Billed.UNKNOWN)

    assert type(error) is ProviderProtocolError
    assert (error.code, error.billed) == ("missing_transacao", Billed.UNKNOWN)


def test_transaction_status_as_text_is_understood() -> None:
    assert transaction_error({"Transacao": {"Status": "true"}}) is None
    error = transaction_error({"TRANSACAO": {"STATUS": " False ", "CODIGOSTATUS": "G000M000"}})
    assert type(error) is AuthenticationFailed


# --------------------------------------------------------------------------------------------
# Tolerance of vendor quirks


def test_report_strips_padding_and_reads_brazilian_amounts() -> None:
    payload = {
        "sinteseCadastral": {
            "pessoaFisica": {"nome": "  FULANO   DE TAL ", "dataNascimento": "03/02/1980"}
        },
        "dadosNegativos": {
            "pendenciasFinanceiras": {
                "detalhes": [
                    {
                        "credor": " LOJA X ",
                        "valor": "R$ 1.234,56",
                        "dataOcorrencia": "2025-01-31T00:00:00",
                    }
                ],
            },
            "protestos": {"detalhes": [], "resumo": {"totalOcorrencias": 0, "valorTotal": 0}},
        },
    }

    report = _report(payload)

    assert (report.identity.name, report.identity.birth_date) == (
        "FULANO DE TAL",
        dt.date(1980, 2, 3),
    )
    assert report.restrictions == (
        Restriction(K.PEFIN, "LOJA X", Decimal("1234.56"), dt.date(2025, 1, 31)),
    )
    assert report.totals == (KindTotal(K.PEFIN, 1, Decimal("1234.56")),)  # from the details


def test_inclusion_answer_without_unique_id_is_protocol_error() -> None:
    with pytest.raises(ProviderProtocolError) as caught:
        parse.parse_inclusion({"situacao": "Pendente"}, billed=Billed.YES, raw="")

    assert caught.value.code == "missing_unique_id"


def test_status_situations_map_to_states() -> None:
    states = [
        parse.parse_status({"uniqueID": "u", "situacao": name}, raw="").state
        for name in ("Pendente", "ATIVA", " baixada ", "Erro", "Indisponível")
    ]

    assert states == [
        InclusionState.PENDING,
        InclusionState.ACTIVE,
        InclusionState.REMOVED,
        InclusionState.ERROR,
        InclusionState.ERROR,
    ]


def test_status_unknown_situation_is_protocol_error() -> None:
    with pytest.raises(ProviderProtocolError):
        parse.parse_status({"uniqueID": "u", "situacao": "Suspensa"}, raw="")


@pytest.mark.parametrize("content", [b"", b"<html>", b"[1, 2]", b'"texto"', b"\x00<<<"])
def test_decode_rejects_non_object_bodies(content: bytes) -> None:
    with pytest.raises(ProviderProtocolError) as caught:
        parse.decode(content, billed=Billed.UNKNOWN)

    assert (caught.value.code, caught.value.billed) == ("malformed_json", Billed.UNKNOWN)


# --------------------------------------------------------------------------------------------
# Fuzzing: whatever JSON comes back, parsing ends in a report or a ProviderProtocolError

NAMES = (
    "sinteseCadastral",
    "pessoaFisica",
    "pessoaJuridica",
    "nome",
    "razaoSocial",
    "documento",
    "dataNascimento",
    "dadosNegativos",
    "resumo",
    "totalOcorrencias",
    "valorTotal",
    "pendenciasFinanceiras",
    "restricoesFinanceiras",
    "protestos",
    "chequesSemFundo",
    "detalhes",
    "valor",
    "dataOcorrencia",
    "credor",
    "informacoesAdicionais",
    "score",
    "pontuacao",
    "probabilidadeInadimplencia",
    "outrasInformacoes",
    "registroConsultas",
    "qsa",
    "socios",
    "participacao",
    "protocolo",
    "transacao",
    "status",
    "codigoStatus",
    "uniqueID",
    "situacao",
    "saldo",
    "codigos",
    "codigo",
    "negativacoes",
    "dataHoraExclusao",
)
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.decimals(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(["2026-09-18", "31/12/2025", "0001-01-01T00:00:00", "1.234,56", "true"]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(NAMES) | st.text(max_size=5), inner, max_size=5)
    ),
    max_leaves=30,
)
PAYLOADS = st.dictionaries(st.sampled_from(NAMES), JSON, max_size=6)


@settings(max_examples=300, deadline=None)
@given(PAYLOADS)
def test_fuzz_report_parsing_never_crashes(payload: dict[str, Any]) -> None:
    try:
        report = _report(payload)
    except ProviderProtocolError:
        return
    assert all(total.count > 0 for total in report.totals)
    assert report.score is None or 0 <= report.score.value <= 1000


@settings(max_examples=300, deadline=None)
@given(PAYLOADS)
def test_fuzz_other_parsers_raise_only_protocol_errors(payload: dict[str, Any]) -> None:
    error = transaction_error(payload)
    assert error is None or isinstance(error, ProviderError)
    for run in (
        lambda: parse.parse_inclusion(payload, billed=Billed.YES, raw=""),
        lambda: parse.parse_removal(payload, raw=""),
        lambda: parse.parse_status(payload, raw=""),
        lambda: parse.parse_list(payload),
        lambda: parse.parse_reasons(payload),
        lambda: parse.parse_balance(payload),
    ):
        with contextlib.suppress(ProviderProtocolError):
            run()
