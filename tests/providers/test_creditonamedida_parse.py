"""Pure parsing, request building and token caching of the Crédito na Medida adapter.

No public sample payloads exist for this platform (shared/fixtures has no folder for it), so the
payloads below are written to the ASSUMED format, with the drift a vendor is likely to show.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from providers.base import (
    Address,
    AuthenticationFailed,
    Balance,
    Billed,
    ConsultRequest,
    Debtor,
    DuplicateRecord,
    InclusionRequest,
    InclusionState,
    InsufficientBalance,
    InvalidDocument,
    KindTotal,
    PersonType,
    ProductNotAllowed,
    ProviderError,
    ProviderProtocolError,
    ProviderUnavailable,
    RecordNotFound,
    RemovalRequest,
    RestrictionKind,
)
from providers.creditonamedida import parse, wire
from providers.creditonamedida.token import TokenCache

CAMEL_CASE_CONSULT: dict[str, Any] = {
    "Id": "  abc123  ",
    "Protocolo": " CNM2026010100000042 ",
    "Produto": "CNM_COMPLETO",
    "Documento": "12abc34501de35",
    "TipoPessoa": "J",
    "Nome": "  EMPRESA EXEMPLO LTDA ",
    "DataFundacao": "2001-02-03T00:00:00",
    "SituacaoReceita": "ATIVA ",
    "Score": {"Pontuacao": "705", "Faixa": "B", "ProbabilidadeInadimplencia": "7,80"},
    "Restricoes": [
        {
            "Tipo": "pefin",
            "Credor": " LOJA A ",
            "Valor": "1.234,56",
            "DataOcorrencia": "05/03/2025",
        },
        {"Tipo": "CCF", "Credor": "BANCO B", "Valor": 0, "DataOcorrencia": ""},
        {"Tipo": "NEGATIVACAO_CNM", "Credor": "PROVEDOR", "Valor": 99.9, "Uf": "sp"},
    ],
    "ConsultasAnteriores": None,
    "Socios": [{"Nome": "SOCIO", "Documento": "52998224725", "Participacao": 100}],
    "HistoricoPagamentos": {},
    "PossuiRestricoes": True,
}


def consult(payload: Any) -> Any:
    return parse.parse_consult(
        payload,
        raw=json.dumps(payload),
        product="CNM_BASICO",
        document="12ABC34501DE35",
        person_type=PersonType.COMPANY,
        billed=Billed.YES,
    )


def test_parse_consult_tolerates_camel_case_padding_and_number_formats() -> None:
    report = consult(CAMEL_CASE_CONSULT)

    assert (report.protocol, report.product) == ("CNM2026010100000042", "CNM_COMPLETO")
    assert report.identity.name == "EMPRESA EXEMPLO LTDA"
    assert report.identity.document == "12ABC34501DE35"
    assert report.identity.birth_date == dt.date(2001, 2, 3)
    assert report.identity.receita_situation == "ATIVA"
    assert report.score is not None
    assert (report.score.value, report.score.band) == (705, "B")
    assert report.score.default_probability == Decimal("7.80")
    assert [
        (r.kind, r.creditor, r.amount, r.occurred_on, r.state) for r in report.restrictions
    ] == [
        (RestrictionKind.PEFIN, "LOJA A", Decimal("1234.56"), dt.date(2025, 3, 5), ""),
        (RestrictionKind.CHEQUE, "BANCO B", Decimal("0"), None, ""),
        (RestrictionKind.OTHER, "PROVEDOR", Decimal("99.9"), None, "SP"),
    ]
    assert report.totals == (
        KindTotal(RestrictionKind.PEFIN, 1, Decimal("1234.56")),
        KindTotal(RestrictionKind.CHEQUE, 1, Decimal("0")),
        KindTotal(RestrictionKind.OTHER, 1, Decimal("99.9")),
    )
    assert report.inquiries == ()
    assert report.partners[0].share == Decimal("100")
    assert report.payment_history is None
    assert parse.consult_pdf_wanted(CAMEL_CASE_CONSULT) == ("abc123", True)


def test_parse_consult_falls_back_to_request_data_when_fields_are_absent() -> None:
    report = consult({"id": "x1"})

    assert report.protocol == "x1"
    assert report.product == "CNM_BASICO"
    assert report.identity.document == "12ABC34501DE35"
    assert report.identity.person_type is PersonType.COMPANY
    assert (report.score, report.restrictions, report.has_restrictions) == (None, (), False)


@pytest.mark.parametrize(
    ("payload", "problem"),
    [
        ([], "consulta não é um objeto"),
        ({"nome": "X"}, "consulta sem protocolo"),
        ({"protocolo": "1", "score": {"pontuacao": 1200}}, "score fora da faixa 0-1000: 1200"),
        ({"protocolo": "1", "score": {"pontuacao": "alto"}}, "número inteiro inválido: 'alto'"),
        ({"protocolo": "1", "restricoes": {"tipo": "PEFIN"}}, "restricoes não é uma lista"),
        ({"protocolo": "1", "restricoes": [{"valor": "abc"}]}, "valor monetário inválido: 'abc'"),
        ({"protocolo": "1", "restricoes": [{"valor": "NaN"}]}, "valor monetário não finito"),
        (
            {"protocolo": "1", "restricoes": [{"data_ocorrencia": "31/02/2025"}]},
            "data inválida: '31/02/2025'",
        ),
        ({"protocolo": "1", "nome": {"a": 1}}, "valor textual inválido: dict"),
    ],
)
def test_parse_consult_unexpected_shapes_raise_protocol_error(payload: Any, problem: str) -> None:
    with pytest.raises(ProviderProtocolError) as caught:
        consult(payload)

    assert caught.value.message == f"resposta inesperada da plataforma: {problem}"
    assert caught.value.code == "unexpected_payload"


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "id",
                    "protocolo",
                    "nome",
                    "score",
                    "pontuacao",
                    "restricoes",
                    "valor",
                    "tipo",
                    "data_ocorrencia",
                    "socios",
                    "historico_pagamentos",
                    "consultas_anteriores",
                    "situacao",
                    "data_baixa",
                    "saldo",
                    "codigo",
                    "tipos_pessoa",
                    "access_token",
                    "expires_in",
                    "participacao",
                    "pagamentos_em_dia",
                ]
            ),
            children,
            max_size=6,
        )
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(JSON_VALUES)
def test_parsers_raise_only_protocol_errors_on_arbitrary_json(payload: Any) -> None:
    readers = (
        consult,
        parse.parse_products,
        parse.parse_reasons,
        parse.parse_balance,
        parse.parse_inclusion,
        parse.parse_token,
        lambda p: parse.parse_status(p, raw=""),
        lambda p: parse.parse_removal(p, raw=""),
        parse.consult_pdf_wanted,
    )
    for read in readers:
        with contextlib.suppress(ProviderProtocolError):
            read(payload)


@pytest.mark.parametrize(
    ("status", "body", "error_class", "code"),
    [
        (
            401,
            {"error": "invalid_client", "error_description": "x"},
            AuthenticationFailed,
            "invalid_client",
        ),
        (401, {"error": "invalid_token"}, AuthenticationFailed, "invalid_token"),
        (402, {"codigo": "SALDO_INSUFICIENTE"}, InsufficientBalance, "SALDO_INSUFICIENTE"),
        (403, {"codigo": "PRODUTO_NAO_CONTRATADO"}, ProductNotAllowed, "PRODUTO_NAO_CONTRATADO"),
        (
            404,
            {"codigo": "NEGATIVACAO_NAO_ENCONTRADA"},
            RecordNotFound,
            "NEGATIVACAO_NAO_ENCONTRADA",
        ),
        (409, {"codigo": "NEGATIVACAO_DUPLICADA"}, DuplicateRecord, "NEGATIVACAO_DUPLICADA"),
        (422, {"codigo": "DOCUMENTO_INVALIDO"}, InvalidDocument, "DOCUMENTO_INVALIDO"),
        (
            422,
            {"codigo": "TIPO_PESSOA_INCOMPATIVEL"},
            ProductNotAllowed,
            "TIPO_PESSOA_INCOMPATIVEL",
        ),
        (422, {"codigo": "MOTIVO_INVALIDO"}, ProviderError, "MOTIVO_INVALIDO"),
        (400, {"codigo": "REQUISICAO_INVALIDA"}, ProviderProtocolError, "REQUISICAO_INVALIDA"),
        (500, {"codigo": "ERRO_INTERNO"}, ProviderUnavailable, "ERRO_INTERNO"),
        (502, {}, ProviderUnavailable, "http_502"),
        (503, {}, ProviderUnavailable, "http_503"),
    ],
)
def test_error_for_response_maps_each_platform_error(
    status: int, body: dict[str, str], error_class: type[ProviderError], code: str
) -> None:
    error = parse.error_for_response(status, json.dumps({**body, "mensagem": "texto"}).encode())

    assert type(error) is error_class
    assert (error.code, error.billed) == (code, Billed.NO)


def test_error_for_response_unreadable_bodies() -> None:
    html = b"<html>500</html>"

    server_error = parse.error_for_response(500, html)
    client_error = parse.error_for_response(418, html)

    assert (type(server_error), server_error.code) == (ProviderUnavailable, "http_500")
    assert (type(client_error), client_error.code) == (ProviderProtocolError, "http_418")


def test_error_for_response_invalid_token_asks_to_try_again() -> None:
    expired = parse.error_for_response(401, b'{"error": "invalid_token"}')
    refused = parse.error_for_response(401, b'{"error": "invalid_client"}')

    assert expired.user_message.startswith("A plataforma recusou o token de acesso")
    assert refused.user_message == AuthenticationFailed.default_user_message


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({"access_token": "t", "token_type": "Bearer", "expires_in": 3600}, ("t", 3600.0)),
        ({"accessToken": " t ", "tokenType": "bearer", "expiresIn": "120"}, ("t", 120.0)),
        ({"access_token": "t"}, ("t", 300.0)),
        ({"access_token": "t", "expires_in": 0}, ("t", 300.0)),
    ],
)
def test_parse_token_reads_token_and_lifetime(
    payload: dict[str, Any], expected: tuple[str, float]
) -> None:
    assert parse.parse_token(payload) == expected


@pytest.mark.parametrize(
    "payload", [{"token_type": "Bearer"}, {"access_token": "t", "token_type": "MAC"}, []]
)
def test_parse_token_rejects_unusable_answers(payload: Any) -> None:
    with pytest.raises(ProviderProtocolError):
        parse.parse_token(payload)


def test_parse_products_defaults_missing_person_types_to_both() -> None:
    products = parse.parse_products(
        [{"codigo": "A", "nome": "Produto A"}, {"Codigo": "B", "TiposPessoa": ["j", "X"]}]
    )

    assert [(p.code, p.name, p.person_types) for p in products] == [
        ("A", "Produto A", (PersonType.PERSON, PersonType.COMPANY)),
        ("B", "B", (PersonType.COMPANY,)),
    ]


def test_parse_balance_accepts_brazilian_format() -> None:
    assert parse.parse_balance({"saldo": "1.290,10"}) == Balance(Decimal("1290.10"))


@pytest.mark.parametrize(
    ("situacao", "state"),
    [
        ("PENDENTE", InclusionState.PENDING),
        (" ativa ", InclusionState.ACTIVE),
        ("BAIXADA", InclusionState.REMOVED),
        ("REJEITADA", InclusionState.ERROR),
    ],
)
def test_parse_status_maps_situacao(situacao: str, state: InclusionState) -> None:
    status = parse.parse_status({"id": "CRE1", "situacao": situacao}, raw="{}")

    assert (status.platform_id, status.state) == ("CRE1", state)


def test_parse_removal_reads_naive_time_as_sao_paulo() -> None:
    receipt = parse.parse_removal(
        {"id": "CRE1", "situacao": "BAIXADA", "data_baixa": "2026-02-01T10:00:00"}, raw=""
    )

    assert receipt.removed_at == dt.datetime(2026, 2, 1, 13, 0, tzinfo=dt.UTC)


def test_parse_removal_refuses_a_record_that_is_not_removed() -> None:
    with pytest.raises(ProviderProtocolError):
        parse.parse_removal({"id": "CRE1", "situacao": "ATIVA"}, raw="")


# --------------------------------------------------------------------------------------------
# Request building


def _inclusion() -> InclusionRequest:
    return InclusionRequest(
        debtor=Debtor(
            document="52998224725",
            person_type=PersonType.PERSON,
            name="FULANO",
            address=Address("01001000", "Praça da Sé", "1", "Sé", "SAO PAULO", "SP"),
            birth_date=dt.date(1980, 5, 6),
        ),
        contract_number="C-1",
        our_number="N-1",
        purchase_date=dt.date(2025, 1, 1),
        due_date=dt.date(2025, 6, 10),
        amount=Decimal("99.9"),
    )


def test_inclusion_body_uses_platform_names_and_defaults() -> None:
    body = wire.inclusion_body(_inclusion())

    assert body == {
        "documento": "52998224725",
        "tipo_pessoa": "F",
        "nome": "FULANO",
        "endereco": {
            "cep": "01001000",
            "logradouro": "Praça da Sé",
            "numero": "1",
            "complemento": "",
            "bairro": "Sé",
            "cidade": "SAO PAULO",
            "uf": "SP",
        },
        "contrato": "C-1",
        "nosso_numero": "N-1",
        "data_compra": "2025-01-01",
        "data_vencimento": "2025-06-10",
        "valor": "99.90",
        "motivo": "01",
        "data_nascimento": "1980-05-06",
    }


def test_consult_and_removal_bodies() -> None:
    request = ConsultRequest("52998224725", PersonType.PERSON)

    assert wire.consult_body(request, "CNM_BASICO") == {
        "produto": "CNM_BASICO",
        "documento": "52998224725",
        "tipo_pessoa": "F",
    }
    assert wire.removal_body(RemovalRequest("CRE1", _inclusion())) == {"motivo_baixa": "01"}
    assert wire.removal_body(RemovalRequest("CRE1", _inclusion(), "03")) == {"motivo_baixa": "03"}


def test_ids_are_quoted_into_one_path_segment() -> None:
    assert wire.inclusion_path("../saldo") == "/api/v1/negativacoes/..%2Fsaldo"
    assert wire.consult_pdf_path("a/b") == "/api/v1/consultas/a%2Fb/pdf"


# --------------------------------------------------------------------------------------------
# Token cache


def test_token_cache_renews_a_minute_before_expiry() -> None:
    cache = TokenCache()
    cache.store("tok", 3600, now=1000.0)

    assert cache.get(1000.0 + 3600 - 61) == "tok"
    assert cache.get(1000.0 + 3600 - 60) is None


def test_token_cache_keeps_half_of_a_short_lifetime() -> None:
    cache = TokenCache()
    cache.store("tok", 80, now=0.0)

    assert (cache.get(39.9), cache.get(40.0)) == ("tok", None)


def test_token_cache_clear_forgets_the_token() -> None:
    cache = TokenCache()
    cache.store("tok", 3600, now=0.0)

    cache.clear()

    assert cache.get(1.0) is None
