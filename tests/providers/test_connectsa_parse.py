"""Pure parsing of Mercúrio (ConnectSA) payloads: values, the confirmed summary shape, quirks,
error mapping, PEFIN records; plus a fuzz test and the public payloads when any exist."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from providers.base import (
    AuthenticationFailed,
    Billed,
    ConsultRequest,
    CreditReport,
    DuplicateRecord,
    InclusionState,
    InvalidDocument,
    KindTotal,
    Partner,
    PaymentHistory,
    PersonType,
    ProductNotAllowed,
    ProviderError,
    ProviderProtocolError,
    ProviderUnavailable,
    RecordNotFound,
    Restriction,
    RestrictionKind,
    Score,
)
from providers.connectsa import parse
from providers.connectsa.values import BRASILIA, br_date, br_datetime, money, optional_count

FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "connectsa"
REQUEST = ConsultRequest("52998224725", PersonType.PERSON)
K = RestrictionKind


def _registry(quantity: str, total: str, name: str = "") -> dict[str, str]:
    """One registros entry with the eight string fields of the confirmed shape."""
    return {
        "alerta": "",
        "dataMaisAntigo": "",
        "dataMaisRecente": "",
        "nomeMaisRecente": name,
        "nomeRegistro": "",
        "periodo": "",
        "quantidade": quantity,
        "valorTotal": total,
    }


def _payload(result: Any, message: str = "Sucesso", answer: str = "") -> dict[str, Any]:
    return {
        "status": {"mensagem": message, "descricaoCodigoResposta": answer, "protocolo": "123"},
        "entrada": {"nomeConsultado": "FULANO DE TAL   ", "documentoConsultado": "52998224725"},
        "resultado": result,
    }


def _report(payload: Mapping[str, Any]) -> CreditReport:
    return parse.parse_report(
        payload, product="CREDNET_LIGHT", request=REQUEST, billed=Billed.YES, raw="{}"
    )


def test_parse_report_confirmed_summary_shape_gives_totals_per_kind() -> None:
    registries = {
        "CCFBACEN": _registry("2", "R$ 0,00", "BANCO EXEMPLO"),
        "PEFIND": _registry("1", "R$ 1.234,56", "LOJA A"),
        "PEFINV": _registry("2", "R$ 100,00", "LOJA B"),
        "PENDINTERNAS": _registry("1", "R$ 50,00"),
        "PROTESTO": _registry("0", "R$ 0,00"),
    }
    result = {"quadroResumoConsta": {"quantidadeTotalOcorrencias": "6", "registros": registries}}

    report = _report(_payload(result, answer="Constam Restrições"))

    assert report.totals == (
        KindTotal(K.PEFIN, 3, Decimal("1334.56")),
        KindTotal(K.CHEQUE, 2, Decimal("0.00"), unvalued=2),  # neither detailed nor summed
        KindTotal(K.OTHER, 1, Decimal("50.00")),
    )
    assert report.has_restrictions is True
    assert report.restrictions == ()
    assert (report.identity.name, report.identity.document) == ("FULANO DE TAL", "52998224725")
    assert (report.protocol, report.messages) == ("123", ("Constam Restrições",))


def test_parse_report_php_empty_arrays_mean_nothing_found() -> None:
    result = {
        "quadroResumoConsta": {"quantidadeTotalOcorrencias": "0", "registros": []},
        "pefin": [],
        "score": [],
        "socios": [],
    }

    report = _report(_payload(result, answer="Nada Consta"))

    assert (report.totals, report.restrictions, report.score, report.partners) == ((), (), None, ())
    assert report.has_restrictions is False
    assert report.messages == ("Nada Consta",)


def test_parse_report_tolerates_pascal_case_keys_and_padding() -> None:
    payload = {
        "Status": {"Mensagem": " Sucesso ", "Protocolo": " 987 "},
        "Entrada": {"NomeConsultado": " EMPRESA X ", "DocumentoConsultado": "11.222.333/0001-81"},
        "Resultado": {
            "QuadroResumoConsta": {"Registros": {"pefind": _registry(" 1 ", " R$ 10,50 ")}},
            "Pefin": [
                {"Credor": " LOJA A   ", "Valor": "R$ 10,50", "DataOcorrencia": " 02/01/2026 "}
            ],
        },
    }

    report = parse.parse_report(
        payload,
        product="RELATO",
        request=ConsultRequest("11222333000181", PersonType.COMPANY),
        billed=Billed.YES,
        raw="{}",
    )

    assert (report.protocol, report.identity.name, report.identity.document) == (
        "987",
        "EMPRESA X",
        "11222333000181",
    )
    assert report.totals == (KindTotal(K.PEFIN, 1, Decimal("10.50")),)
    assert report.restrictions == (
        Restriction(K.PEFIN, "LOJA A", Decimal("10.50"), dt.date(2026, 1, 2)),
    )


def test_parse_report_reads_details_score_partners_history_and_inquiries() -> None:
    result = {
        "identificacao": {
            "dataNascimento": "03/02/1980",
            "nomeMae": "MAE",
            "situacaoReceita": "REGULAR",
        },
        "protestos": [
            {
                "credor": "1 TABELIAO",
                "valor": "R$ 1.200,00",
                "dataOcorrencia": "01/06/2025",
                "cidade": "CURITIBA",
                "uf": "PR",
            }
        ],
        "chequesSemFundo": [
            {
                "credor": "BANCO",
                "valor": "R$ 0,00",
                "dataOcorrencia": "00/00/0000",
                "natureza": "Cheque sem fundo - motivo 12",
            }
        ],
        "score": {"pontuacao": "0610", "faixa": "C", "probabilidade": "12,5%", "modelo": "HSPN"},
        "socios": [
            {
                "nome": "SOCIO",
                "documento": "529.982.247-25",
                "cargo": "Sócio",
                "participacao": "50,00%",
            }
        ],
        "historicoPagamentos": {
            "pagamentosEmDia": "10",
            "pagamentosEmAtraso": "",
            "compromissosMensais": "R$ 300,00",
        },
        "consultasAnteriores": [{"consultante": "LOJA", "data": "01/03/2026", "cidade": "SP"}],
    }

    report = _report(_payload(result))

    assert report.identity.birth_date == dt.date(1980, 2, 3)
    assert (report.identity.mother_name, report.identity.receita_situation) == ("MAE", "REGULAR")
    assert report.restrictions == (
        Restriction(
            K.PROTESTO, "1 TABELIAO", Decimal("1200.00"), dt.date(2025, 6, 1), "", "CURITIBA", "PR"
        ),
        Restriction(
            K.CHEQUE, "BANCO", Decimal("0.00"), None, description="Cheque sem fundo - motivo 12"
        ),
    )
    # Without a summary block the totals come from the details.
    assert report.totals == (
        KindTotal(K.PROTESTO, 1, Decimal("1200.00")),
        KindTotal(K.CHEQUE, 1, Decimal("0.00")),
    )
    assert report.score == Score(610, "HSPN", "C", Decimal("12.5"))
    assert report.partners == (Partner("SOCIO", "52998224725", "Sócio", Decimal("50.00")),)
    assert report.payment_history == PaymentHistory(10, None, Decimal("300.00"))
    assert [(i.inquirer, i.date, i.city) for i in report.inquiries] == [
        ("LOJA", dt.date(2026, 3, 1), "SP")
    ]


def test_parse_report_score_above_1000_raises_protocol_error() -> None:
    with pytest.raises(ProviderProtocolError):
        _report(_payload({"score": {"pontuacao": "1500"}}))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("R$ 1.234,56", Decimal("1234.56")),
        (" R$ 0,00 ", Decimal("0.00")),
        ("1234,5", Decimal("1234.5")),
        ("1234.56", Decimal("1234.56")),
        ("R$ 1.234", Decimal("1234")),
        ("R$\xa012,00", Decimal("12.00")),
        (42, Decimal("42")),
        ("", None),
        (None, None),
    ],
)
def test_money_reads_brazilian_and_plain_amounts(raw: Any, expected: Decimal | None) -> None:
    assert money(raw) == expected


@pytest.mark.parametrize("raw", ["R$ abc", "1,2,3", True, "NaN", "1e5"])
def test_money_unreadable_raises_protocol_error(raw: Any) -> None:
    with pytest.raises(ProviderProtocolError):
        money(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("05/03/2024", dt.date(2024, 3, 5)),
        (" 05/03/2024 ", dt.date(2024, 3, 5)),
        ("2024-03-05", dt.date(2024, 3, 5)),
        ("00/00/0000", None),
        ("", None),
    ],
)
def test_br_date_reads_dates_and_zeroed_dates(raw: str, expected: dt.date | None) -> None:
    assert br_date(raw) == expected


def test_br_date_impossible_date_raises_protocol_error() -> None:
    with pytest.raises(ProviderProtocolError):
        br_date("31/02/2024")


def test_br_datetime_is_brasilia_time() -> None:
    value = br_datetime("05/03/2024 09:30:00")
    assert value == dt.datetime(2024, 3, 5, 12, 30, tzinfo=dt.UTC)
    assert value is not None and value.tzinfo is BRASILIA


@pytest.mark.parametrize("raw", ["-1", "1.5", "três", -3, 2.0])
def test_optional_count_rejects_non_counts(raw: Any) -> None:
    with pytest.raises(ProviderProtocolError):
        optional_count(raw)


def test_load_non_json_raises_protocol_error_carrying_billed() -> None:
    with pytest.raises(ProviderProtocolError) as caught:
        parse.load(b"<html>Fatal error</html>", billed=Billed.UNKNOWN)
    assert (caught.value.code, caught.value.billed) == ("malformed_json", Billed.UNKNOWN)


def test_read_status_without_message_raises_protocol_error() -> None:
    with pytest.raises(ProviderProtocolError):
        parse.read_status({"resultado": {}})


def _status(message: str, code: str = "") -> parse.Status:
    return parse.read_status({"status": {"codigo": code, "mensagem": message}})


@pytest.mark.parametrize(
    ("code", "message", "expected"),
    [
        ("101", "Usuário ou senha inválidos", AuthenticationFailed),
        ("201", "Documento inválido", InvalidDocument),
        ("202", "Tipo de documento não confere com o documento informado", InvalidDocument),
        ("301", "Consulta não liberada para o cliente", ProductNotAllowed),
        ("302", "Consulta disponível somente para pessoa jurídica", ProductNotAllowed),
        ("402", "Negativação já existente", DuplicateRecord),
        ("404", "Negativação não encontrada", RecordNotFound),
        ("901", "Erro interno, tente novamente", ProviderUnavailable),
    ],
)
def test_error_for_maps_codes(code: str, message: str, expected: type[ProviderError]) -> None:
    error = parse.error_for(_status(message, code))
    assert type(error) is expected
    assert (error.code, error.message, error.billed) == (code, message, Billed.NO)


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("Usuário ou senha inválidos", AuthenticationFailed),
        ("IdClient ou ApiKey inválidos", AuthenticationFailed),
        ("Usuário não encontrado", AuthenticationFailed),
        ("CPF inválido", InvalidDocument),
        ("Documento invalido", InvalidDocument),
        ("Consulta não liberada para o cliente", ProductNotAllowed),
        ("Negativação não encontrada", RecordNotFound),
        ("ERRO INTERNO, TENTE NOVAMENTE", ProviderUnavailable),
        ("Serviço indisponível", ProviderUnavailable),
    ],
)
def test_error_for_maps_texts_without_code(message: str, expected: type[ProviderError]) -> None:
    assert type(parse.error_for(_status(message))) is expected


def test_error_for_unknown_text_is_generic_error_showing_the_platform_text() -> None:
    error = parse.error_for(_status("Limite diário de consultas atingido", "777"))
    assert type(error) is ProviderError
    assert (
        error.user_message == "A ConnectSA recusou a operação: Limite diário de consultas atingido."
    )


def test_error_for_pefin_auth_names_the_pefin_pair() -> None:
    error = parse.error_for(_status("Usuário ou senha inválidos", "101"), pefin=True)
    assert error.user_message == parse.PEFIN_AUTH_MESSAGE


def test_find_negativacao_reads_record_with_removal_time() -> None:
    payload = {
        "negativacao": {
            "idNegativacao": " CON00000007 ",
            "situacao": "baixada",
            "dataBaixa": "10/01/2026 08:00:00",
        }
    }
    assert parse.find_negativacao(payload) == parse.Negativacao(
        "CON00000007",
        InclusionState.REMOVED,
        dt.datetime(2026, 1, 10, 11, 0, tzinfo=dt.UTC),
    )


def test_find_negativacao_without_id_is_none_and_read_raises() -> None:
    assert parse.find_negativacao({"negativacao": []}) is None
    with pytest.raises(ProviderProtocolError):
        parse.read_negativacao({"status": {"mensagem": "Sucesso"}})


def test_find_negativacao_unknown_situation_raises_protocol_error() -> None:
    with pytest.raises(ProviderProtocolError):
        parse.find_negativacao({"negativacao": {"idNegativacao": "1", "situacao": "SUMIDA"}})


def test_parse_products_reads_person_types() -> None:
    payload = {
        "produtos": [
            {"codigo": "RELATO", "descricao": "Relato", "tipoDocumento": "J"},
            {"codigo": "CREDNET_TOP", "descricao": "", "tipoDocumento": "FJ"},
            {"codigo": "", "descricao": "sem código"},
        ]
    }
    products = parse.parse_products(payload)
    assert [(p.code, p.name, p.person_types) for p in products] == [
        ("RELATO", "Relato", (PersonType.COMPANY,)),
        ("CREDNET_TOP", "CREDNET_TOP", (PersonType.PERSON, PersonType.COMPANY)),
    ]


# Fuzzing: whatever the platform sends, the parser returns a report or a ProviderProtocolError.

LEAF = (
    st.none()
    | st.booleans()
    | st.integers(-5, 2000)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(["R$ 1.234,56", "00/00/0000", "12/03/2024", "", " 7 ", "99,9%"])
)
ANY_JSON = st.recursive(
    LEAF,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=12,
)


def _object(keys: list[str]) -> st.SearchStrategy[Any]:
    return st.dictionaries(st.sampled_from(keys), LEAF) | LEAF


RESULT = st.fixed_dictionaries(
    {},
    optional={
        "quadroResumoConsta": st.fixed_dictionaries(
            {
                "registros": st.dictionaries(
                    st.sampled_from(["PEFIND", "PEFINV", "CCFBACEN", "PROTESTO", "OUTRO"]),
                    _object(["quantidade", "valorTotal", "alerta"]),
                )
                | LEAF
            }
        )
        | LEAF,
        "pefin": st.lists(_object(["credor", "valor", "dataOcorrencia", "uf"]), max_size=3) | LEAF,
        "score": _object(["pontuacao", "faixa", "probabilidade"]),
        "socios": st.lists(_object(["nome", "documento", "participacao"]), max_size=2) | LEAF,
        "historicoPagamentos": _object(["pagamentosEmDia", "compromissosMensais"]),
        "identificacao": _object(["dataNascimento", "nomeMae"]),
        "consultasAnteriores": st.lists(_object(["consultante", "data"]), max_size=2) | LEAF,
    },
)
PAYLOAD = st.fixed_dictionaries(
    {
        "status": _object(["mensagem", "protocolo", "codigo"]),
        "entrada": _object(["nomeConsultado", "documentoConsultado"]),
        "resultado": RESULT | ANY_JSON,
    }
)


@settings(max_examples=300, deadline=None)
@given(PAYLOAD)
def test_parse_report_fuzz_returns_report_or_protocol_error(payload: dict[str, Any]) -> None:
    try:
        report = parse.parse_report(
            parse.load(json.dumps(payload).encode(), billed=Billed.NO),
            product="CREDNET_LIGHT",
            request=REQUEST,
            billed=Billed.YES,
            raw="",
        )
    except ProviderProtocolError:
        return
    assert all(total.count > 0 for total in report.totals)
    assert report.score is None or 0 <= report.score.value <= 1000


# No public ConnectSA payload has been collected yet (shared/fixtures/SOURCES.md, section
# connectsa/): the summary shape it records is covered above. Add a test here when one is.
