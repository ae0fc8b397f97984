"""Nothing the platform sent is lost: every amount of a consult answer reaches the report.

The raw answers are walked generically, with no knowledge of their layout: every attribute or
key whose name says money (valor, capital, renda, limite, saldo, compromisso, preço) and every
text written "R$ ..." is an amount. Each one must appear in the normalized report: as a field
(an occurrence's amount, a total, the capital social...), as a labelled detail, in "Outras
informações", or as the sum of per-kind totals (a block SPC sums over kinds it mixes). An
amount a parser skips, or reads and drops, fails here, on the public samples in
shared/fixtures and on what every sandbox answers for every scenario document and product.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from providers import base
from providers.base import (
    Billed,
    ConsultRequest,
    CreditReport,
    PersonType,
    ProviderConfig,
    ProviderError,
)
from providers.codec import report_from_dict, report_to_dict
from providers.http import parse_xml
from providers.registry import all_keys, build_adapter
from providers.sandbox.scenarios import DOCUMENTS, SCENARIOS
from providers.sandbox.server import RunningSandbox
from providers.soawebservice import codes as soa_codes
from providers.soawebservice import parse as soa
from providers.spcbrasil import parse as spc
from tests.credit_setup import sandbox_credentials
from tests.providers.test_creditonamedida import inclusion
from tests.sandbox_client import advance_clock

FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures"
PLATFORMS = sorted(all_keys())
MONEY_NAME = re.compile(r"valor|capital|renda|limite|saldo|compromisso|preco|mediana")
BRL_TEXT = re.compile(r"R\$\s*-?[\d.]+(?:,\d+)?")

# What each public sample is. Only consult answers become reports; the others are refused as
# errors, are requests we send, or are answers of other operations.
CONSULT, ERROR, REQUEST, OTHER = "consult", "error", "request", "other"
FIXTURE_ROLES: dict[str, dict[str, str]] = {
    "spcbrasil": {
        "consultar-response-pf-limpo-com-score-cadastro-positivo.xml": CONSULT,
        "consultar-response-pj-com-protesto-acao-base-inoperante.xml": CONSULT,
        "consultar-fault-CN_INT005.E4-operador-sem-acesso-ao-produto.xml": ERROR,
        "consultar-fault-CN_INT005.E8.2-documento-invalido.xml": ERROR,
        "excluirSpc-fault-IE_SPC005.E10-registro-nao-encontrado.xml": ERROR,
        "auth-http401-body-CS_AUT001.E1.2-operador-ou-senha-invalidos.txt": ERROR,
        "auth-http500-body-CS_AUT001.E1.7-operador-bloqueado.txt": ERROR,
        "excluirSpc-request-pj.xml": REQUEST,
        "incluirSpc-request-pj.xml": REQUEST,
        "incluirSpc-request-pj-variante-espacos-em-valores.xml": REQUEST,
        "listarProdutos-response-257-634.xml": OTHER,  # the product catalogue: no amounts
    },
    "soawebservices": {
        "ashx-cdc-pessoafisicaestendida-test-drive-success.json": CONSULT,
        "ashx-cdc-pessoafisicanfe-success.json": CONSULT,
        "ashx-cdc-pessoajuridicanfe-success.json": CONSULT,
        "v2-serasa-consultas-crednet-homologacao-response.json": CONSULT,
        "ashx-cdc-pessoafisicanfe-invalid-cpf-G000M003.json": ERROR,
        "ashx-cdc-pessoafisicanfe-invalid-data-nascimento-P009M002.json": ERROR,
        "ashx-cdc-pessoafisicanfe-required-data-nascimento-P009M001.json": ERROR,
        "ashx-cdc-pessoafisicanfe-wrong-credentials-G000M000.json": ERROR,
        "ashx-cdc-pessoajuridicanfe-invalid-cnpj-G000M003.json": ERROR,
        "ashx-cdc-pessoajuridicanfe-wrong-credentials-G000M000.json": ERROR,
        "ashx-serasa-concentre-request-test-drive-pj.json": REQUEST,
        # The removal receipt echoes the amount of the debt we registered ourselves.
        "v2-serasa-negativacoes-excluir-homologacao-response.json": OTHER,
        # CEP lookups: addresses, no amounts.
        "asmx-cep-consultacepestendida-success.xml": OTHER,
        "asmx-cep-invalid-cep-P016M001.xml": OTHER,
        "asmx-cep-not-found-P016M002.xml": OTHER,
        "asmx-cep-service-unavailable-P016M010.xml": OTHER,
        "asmx-cep-unknown-status-code.xml": OTHER,
        "asmx-cep-wrong-credentials-G000M000.xml": OTHER,
    },
}
needs_fixtures = pytest.mark.skipif(
    not FIXTURES.is_dir(), reason=f"public platform samples not found in {FIXTURES}"
)


def amount_of(value: Any) -> Decimal | None:
    """An amount however an answer writes it: 1234.56, "1234.56", "1.234,56", "R$ 1.234,56"."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    text = re.sub(r"\s", "", str(value).replace("R$", ""))
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    if not re.fullmatch(r"-?\d+(\.\d+)?", text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _money_name(name: str) -> bool:
    return bool(MONEY_NAME.search(re.sub(r"[-_]", "", name.lower())))


def _texts_in_brl(text: str) -> Iterator[Decimal]:
    for found in BRL_TEXT.findall(text):
        amount = amount_of(found)
        if amount is not None:
            yield amount


def xml_amounts(raw: bytes) -> Iterator[tuple[str, Decimal]]:
    """(where, amount) of every money-named attribute or element and every "R$" text."""
    root = parse_xml(raw)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        name = etree.QName(element).localname
        for key, value in element.attrib.items():
            key_name = etree.QName(key).localname
            amount = amount_of(value) if _money_name(key_name) else None
            if amount is not None:
                yield f"{name}/@{key_name}", amount
            for found in _texts_in_brl(str(value)):
                yield f"{name}/@{key_name}", found
        own = (element.text or "").strip()
        amount = amount_of(own) if own and _money_name(name) else None
        if amount is not None:
            yield name, amount
        for found in _texts_in_brl(own):
            yield name, found


def json_amounts(value: Any, path: str = "") -> Iterator[tuple[str, Decimal]]:
    """(path, amount) of every money-named key's value and every "R$" text."""
    if isinstance(value, dict):
        for key, item in value.items():
            step = f"{path}.{key}" if path else str(key)
            if isinstance(item, dict | list):
                yield from json_amounts(item, step)
                continue
            amount = amount_of(item) if _money_name(str(key)) else None
            if amount is not None:
                yield step, amount
            elif isinstance(item, str):
                for found in _texts_in_brl(item):
                    yield step, found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from json_amounts(item, f"{path}[{index}]")
    elif isinstance(value, str):
        for found in _texts_in_brl(value):
            yield path, found


def raw_amounts(raw: str | bytes) -> list[tuple[str, Decimal]]:
    """The non-zero amounts of a raw answer (zeros are what empty blocks say of themselves)."""
    content = raw.encode("utf-8") if isinstance(raw, str) else raw
    if content.lstrip()[:1] == b"<":
        found = list(xml_amounts(content))
    else:
        found = list(json_amounts(json.loads(content, parse_float=Decimal)))
    return [(where, amount) for where, amount in found if amount != 0]


def _decimals(value: Any) -> Iterator[Decimal]:
    if isinstance(value, Decimal):
        yield value
    elif isinstance(value, base.Detail):
        amount = amount_of(value.value)
        if amount is not None:
            yield amount
    elif isinstance(value, tuple):
        for item in value:
            yield from _decimals(item)
    elif hasattr(value, "__dataclass_fields__"):
        for name in value.__dataclass_fields__:
            if name not in ("raw", "document"):
                yield from _decimals(getattr(value, name))


def report_amounts(report: CreditReport) -> set[Decimal]:
    """Every amount the report holds, and every sum of its per-kind totals."""
    found = set(_decimals(report))
    totals = [total.amount for total in report.totals]
    for size in range(2, len(totals) + 1):
        for group in itertools.combinations(totals, size):
            found.add(sum(group, Decimal("0")))
    return {amount.quantize(Decimal("0.01")) for amount in found}


def missing_amounts(raw: str | bytes, report: CreditReport) -> list[tuple[str, Decimal]]:
    """The raw answer's amounts the report does not hold, where the answer carries them."""
    kept = report_amounts(report)
    return [
        (where, amount)
        for where, amount in raw_amounts(raw)
        if amount.quantize(Decimal("0.01")) not in kept
    ]


def _person_type(document: str) -> PersonType:
    return PersonType.PERSON if len(document) == 11 else PersonType.COMPANY


# --------------------------------------------------------------------------------------------
# The public samples


@needs_fixtures
@pytest.mark.parametrize("folder", sorted(FIXTURE_ROLES))
def test_every_public_sample_has_a_role(folder: str) -> None:
    files = {path.name for path in (FIXTURES / folder).iterdir()}

    assert files == set(FIXTURE_ROLES[folder])


def _sample_report(folder: str, name: str) -> CreditReport:
    content = (FIXTURES / folder / name).read_bytes()
    if folder == "spcbrasil":
        document = "02178451000149" if "-pj-" in name else "52998224806"
        payload = spc.read_envelope(200, content, billed=True)
        return spc.parse_report(
            payload,
            document=document,
            person_type=_person_type(document),
            product="257",
            raw=content.decode("utf-8"),
            billed=Billed.YES,
        )
    document = "99999999999962" if "juridica" in name else "52998224725"
    return soa.parse_report(
        json.loads(content, parse_float=Decimal),
        platform="soawebservice",
        product="CREDNET",
        document=document,
        person_type=_person_type(document),
        billed=Billed.YES,
        raw=content.decode("utf-8"),
    )


SAMPLES = [
    (folder, name) for folder, roles in FIXTURE_ROLES.items() for name, role in roles.items()
]


@needs_fixtures
@pytest.mark.parametrize(("folder", "name"), SAMPLES)
def test_public_sample_keeps_every_amount_or_is_no_consult(folder: str, name: str) -> None:
    role = FIXTURE_ROLES[folder][name]
    content = (FIXTURES / folder / name).read_bytes()

    if role == CONSULT:
        report = _sample_report(folder, name)
        assert missing_amounts(content, report) == []
        stored = report_from_dict(report_to_dict(report), raw=report.raw)
        assert missing_amounts(content, stored) == []  # and as the app stores it
    elif role == ERROR and folder == "spcbrasil":
        status = 401 if "http401" in name else 500
        with pytest.raises(ProviderError):
            spc.read_envelope(status, content, billed=True)
    elif role == ERROR:
        assert soa_codes.transaction_error(json.loads(content)) is not None
    elif name.startswith("asmx-cep") or name.startswith("listarProdutos"):
        assert raw_amounts(content) == []  # nothing a report would have to keep


@needs_fixtures
def test_public_samples_with_amounts_are_checked() -> None:
    """The walk finds what it looks for: the samples' amounts, counted."""
    found = {
        name: len(raw_amounts((FIXTURES / folder / name).read_bytes()))
        for folder, name in SAMPLES
        if FIXTURE_ROLES[folder][name] == CONSULT
    }

    assert found == {
        "consultar-response-pf-limpo-com-score-cadastro-positivo.xml": 0,
        "consultar-response-pj-com-protesto-acao-base-inoperante.xml": 5,
        "ashx-cdc-pessoafisicaestendida-test-drive-success.json": 0,  # RendaPresumida "0"
        "ashx-cdc-pessoafisicanfe-success.json": 0,
        "ashx-cdc-pessoajuridicanfe-success.json": 1,  # Capital
        "v2-serasa-consultas-crednet-homologacao-response.json": 5,
    }


# --------------------------------------------------------------------------------------------
# What every sandbox answers


def _adapter(sandbox: RunningSandbox, platform: str) -> Any:
    return build_adapter(
        platform,
        ProviderConfig(
            base_url=f"{sandbox.url}/{platform}",
            credentials=sandbox_credentials(platform),
            environment="sandbox",
        ),
    )


REPORT_DOCUMENTS = [d for d, key in DOCUMENTS.items() if not SCENARIOS[key].error]


@pytest.mark.parametrize("platform", PLATFORMS)
def test_sandbox_consults_keep_every_amount(sandbox: RunningSandbox, platform: str) -> None:
    adapter = _adapter(sandbox, platform)
    products = adapter.products()
    # A debt registered through the platform shows in later consults too.
    receipt = adapter.include(inclusion())
    assert receipt.platform_id
    advance_clock(sandbox, 30)
    checked, missing = 0, []
    for document in [*REPORT_DOCUMENTS, inclusion().debtor.document]:
        for product in products:
            if _person_type(document) not in product.person_types:
                continue
            sandbox.state.balances.clear()  # prepaid platforms start full again
            report = adapter.consult(ConsultRequest(document, _person_type(document), product.code))
            checked += len(raw_amounts(report.raw))
            missing += [
                (document, product.code, *gap) for gap in missing_amounts(report.raw, report)
            ]

    assert missing == []
    assert checked > 40  # the scenarios' amounts were all looked at


def test_store_cheque_amounts_are_found_in_the_spc_answer(sandbox: RunningSandbox) -> None:
    """The walk sees the nested values of SPC's store cheques (cheque-inicial/@valor)."""
    report = _adapter(sandbox, "spcbrasil").consult(
        ConsultRequest("26051974334", PersonType.PERSON)  # returned_cheques
    )

    found = [(where, amount) for where, amount in raw_amounts(report.raw)]

    assert ("cheque-inicial/@valor", Decimal("1234.56")) in found
    assert ("cheque-inicial/@valor", Decimal("380.00")) in found
    assert missing_amounts(report.raw, report) == []
