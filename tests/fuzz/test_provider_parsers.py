"""The four platforms' parsers against damaged real payloads.

Complements the fuzz tests of tests/providers/*_parse.py, which build payloads from scratch
(JSON shapes from key names, attribute values of one SPC sample, arbitrary bytes). Here the
seeds are real answers: the public samples in shared/fixtures (where that folder exists) and
what each sandbox answers over HTTP to consults of every scenario, an inclusion, its status
query and its removal. tests/fuzz/mutations.py damages them: truncated, flipped or re-encoded
bytes; JSON keys lost, repeated or renamed, values of another type, huge or deeply nested; XML
elements lost, repeated or renamed, odd attributes and texts.

Each payload goes through the platform's readers in the adapter's order (envelope, then status,
then the payload parsers). The only exceptions allowed are the contract's ProviderError types
(providers/base.py); a report that comes out must be storable as the app stores it.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from providers.base import (
    Billed,
    ConsultRequest,
    CreditReport,
    OperationNotSupported,
    PersonType,
    ProviderConfig,
    ProviderError,
    RemovalRequest,
)
from providers.codec import report_to_dict
from providers.connectsa import parse as connectsa
from providers.creditonamedida import parse as creditonamedida
from providers.http import HttpResponse
from providers.parsing import plausible_amount
from providers.registry import build_adapter
from providers.sandbox.scenarios import DOCUMENTS
from providers.sandbox.server import RunningSandbox
from providers.soawebservice import codes as soawebservice_codes
from providers.soawebservice import parse as soawebservice
from providers.spcbrasil import parse as spcbrasil
from tests.credit_setup import sandbox_credentials
from tests.fuzz.mutations import damaged_bytes, damaged_structure
from tests.providers.test_creditonamedida import inclusion

FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures"
# The public samples per platform (shared/fixtures has none for ConnectSA and Crédito na Medida).
FIXTURE_FOLDERS = {"spcbrasil": "spcbrasil", "soawebservice": "soawebservices"}
PLATFORMS = ("spcbrasil", "soawebservice", "connectsa", "creditonamedida")
SANDBOX_DOCUMENTS = [
    document
    for document, scenario in DOCUMENTS.items()
    if scenario not in ("invalid_document", "platform_error")
]
EXAMPLES = 500


def _person_type(document: str) -> PersonType:
    return PersonType.PERSON if len(document) == 11 else PersonType.COMPANY


def _sandbox_answers(sandbox: RunningSandbox, platform: str) -> Iterator[str]:
    """The raw answers of the platform's sandbox to every scenario's consult and to one
    inclusion's status query and removal."""
    adapter = build_adapter(
        platform,
        ProviderConfig(
            base_url=f"{sandbox.url}/{platform}",
            credentials=sandbox_credentials(platform),
            environment="sandbox",
        ),
    )
    for document in SANDBOX_DOCUMENTS:
        yield adapter.consult(ConsultRequest(document, _person_type(document))).raw
    debt = inclusion()
    receipt = adapter.include(debt)
    yield receipt.raw
    with contextlib.suppress(OperationNotSupported):  # SPC Brasil has no status query
        yield adapter.inclusion_status(receipt.platform_id, debt).raw
    yield adapter.remove(RemovalRequest(receipt.platform_id, debt, "")).raw


@pytest.fixture(scope="module")
def seeds(sandbox_server: RunningSandbox) -> dict[str, list[bytes]]:
    sandbox_server.state.reset()
    found = {}
    for platform in PLATFORMS:
        answers = [text.encode("utf-8") for text in _sandbox_answers(sandbox_server, platform)]
        folder = FIXTURES / FIXTURE_FOLDERS.get(platform, "-")
        samples = (
            [path.read_bytes() for path in sorted(folder.glob("*"))] if folder.is_dir() else []
        )
        found[platform] = answers + samples
        assert len(answers) >= len(SANDBOX_DOCUMENTS) + 2, platform
    return found


# --------------------------------------------------------------------------------------------
# Each platform's readers, in the adapter's order; every one that applies gets the payload.

# What a consult answer is read for (the document asked about, the product, the billing).
PERSON: dict[str, Any] = {"document": "52998224725", "person_type": PersonType.PERSON}
REPORT: dict[str, Any] = {**PERSON, "billed": Billed.YES, "raw": ""}


def _each(payload: Any, *readers: Callable[[Any], Any]) -> list[Any]:
    """What each reader makes of the payload; the readers that refuse it are left out."""
    results = []
    for read in readers:
        try:
            results.append(read(payload))
        except ProviderError:
            continue
    return results


def read_spcbrasil(content: bytes) -> list[Any]:
    return _each(
        spcbrasil.read_envelope(200, content, billed=True),
        partial(spcbrasil.parse_report, product="", **REPORT),
        spcbrasil.parse_products,
        spcbrasil.parse_reasons,
        spcbrasil.success_message,
    )


def read_soawebservice(content: bytes) -> list[Any]:
    payload = soawebservice.decode(content, billed=Billed.UNKNOWN)
    return [
        soawebservice_codes.transaction_error(payload, unsure=Billed.UNKNOWN),
        *_each(
            payload,
            partial(soawebservice.parse_report, platform="soawebservice", product="", **REPORT),
            partial(soawebservice.parse_inclusion, billed=Billed.YES, raw=""),
            partial(soawebservice.parse_removal, raw=""),
            partial(soawebservice.parse_status, raw=""),
            soawebservice.parse_list,
            soawebservice.parse_reasons,
            soawebservice.parse_balance,
        ),
    ]


def read_connectsa(content: bytes) -> list[Any]:
    payload = connectsa.load(content, billed=Billed.UNKNOWN)
    return [
        connectsa.error_for(connectsa.read_status(payload)),
        *_each(
            payload,
            partial(
                connectsa.parse_report,
                product="",
                request=ConsultRequest(**PERSON),
                billed=Billed.YES,
                raw="",
            ),
            connectsa.parse_products,
            connectsa.parse_reasons,
            connectsa.read_negativacao,
        ),
    ]


def read_creditonamedida(content: bytes) -> list[Any]:
    errors = [creditonamedida.error_for_response(code, content) for code in (401, 409, 422, 503)]
    return [
        *errors,
        *_each(
            HttpResponse(status=200, headers={}, content=content, elapsed=0.0).json(),
            partial(creditonamedida.parse_consult, product="", **REPORT),
            creditonamedida.consult_pdf_wanted,
            creditonamedida.parse_inclusion,
            partial(creditonamedida.parse_status, raw=""),
            partial(creditonamedida.parse_removal, raw=""),
            creditonamedida.parse_token,
            creditonamedida.parse_products,
            creditonamedida.parse_reasons,
            creditonamedida.parse_balance,
        ),
    ]


READERS: dict[str, Callable[[bytes], list[Any]]] = {
    "spcbrasil": read_spcbrasil,
    "soawebservice": read_soawebservice,
    "connectsa": read_connectsa,
    "creditonamedida": read_creditonamedida,
}


def assert_storable(report: CreditReport) -> None:
    """What the app keeps of a report (analysis.services): its JSON and its figures."""
    json.dumps(report_to_dict(report), ensure_ascii=False, sort_keys=True).encode("utf-8")
    assert report.score is None or 0 <= report.score.value <= 1000
    assert all(total.count >= 0 for total in report.totals)
    assert all(r.amount is None or plausible_amount(r.amount) for r in report.restrictions)
    assert report.total_amount.is_finite()


# --------------------------------------------------------------------------------------------


def test_every_platform_has_seeds_and_reads_them_undamaged(seeds: dict[str, list[bytes]]) -> None:
    for platform, contents in seeds.items():
        reports = []
        for content in contents:
            try:
                results = READERS[platform](content)
            except ProviderError:
                continue  # the samples include error answers
            reports += [r for r in results if isinstance(r, CreditReport)]
        assert len(reports) >= len(SANDBOX_DOCUMENTS), platform
        for report in reports:
            assert_storable(report)


def read_damaged(platform: str, content: bytes) -> None:
    try:
        results = READERS[platform](content)
    except ProviderError:
        return
    for result in results:
        if isinstance(result, CreditReport):
            assert_storable(result)


FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.mark.parametrize("damage", [damaged_structure, damaged_bytes], ids=["structure", "bytes"])
@pytest.mark.parametrize("platform", PLATFORMS)
@FUZZ_SETTINGS
@given(data=st.data())
def test_damaged_payloads_raise_only_provider_errors(
    platform: str,
    damage: Callable[[bytes], st.SearchStrategy[bytes]],
    seeds: dict[str, list[bytes]],
    data: st.DataObject,
) -> None:
    seed = data.draw(st.sampled_from(seeds[platform]), label="seed")
    read_damaged(platform, data.draw(damage(seed), label="damaged"))
