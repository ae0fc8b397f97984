"""A hostile platform: XML bombs and external entities, JSON nested thousands deep, bodies larger
than the cap. Each is served by a loopback HTTP server to every adapter through the real HTTP
client; each ends in the documented provider error (ProviderProtocolError with its code), and a
credit query that meets one fails with a Portuguese message: no 500, no hang, no file read and
no request anywhere else.

(tests/providers/test_http.py covers parse_xml and the size cap on their own.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest

from creditcheck.analysis.enums import QueryStatus
from creditcheck.analysis.models import CreditQuery
from creditcheck.analysis.services import credit_query_request
from creditcheck.analysis.subjects import subject_from_document
from creditcheck.core.enums import Role
from creditcheck.integrations.enums import Environment
from creditcheck.integrations.services import branch_integration_save
from providers.base import ConsultRequest, PersonType, ProviderConfig, ProviderProtocolError
from providers.http import DEFAULT_MAX_BYTES
from providers.registry import adapter_class, all_keys
from providers.sandbox.scenarios import CLEAN_CPF
from tests.credit_setup import enable_credit_analysis, sandbox_credentials
from tests.factories import BranchFactory, UserFactory
from tests.security.conftest import LoopbackServer, Reply

XML_PLATFORMS = ["spcbrasil"]  # SOAP
JSON_PLATFORMS = ["connectsa", "creditonamedida", "soawebservice"]

LAUGHS = "".join(
    f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)
)  # 10⁹ "lol"s once expanded
BILLION_LAUGHS = f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY lol0 "lol">{LAUGHS}]><r>&lol9;</r>'


def _xml_bombs(server: str) -> dict[str, bytes]:
    external = f'<!DOCTYPE r SYSTEM "{server}/evil.dtd">'
    return {
        "billion-laughs": BILLION_LAUGHS.encode(),
        "xxe-file": b'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>',
        "xxe-network": f'<!DOCTYPE r [<!ENTITY x SYSTEM "{server}/evil">]><r>&x;</r>'.encode(),
        "external-dtd-after-padding": (
            b'<?xml version="1.0"?><!--' + b"x" * 8192 + b"-->" + external.encode() + b"<r/>"
        ),
        # In UTF-16 no byte pattern shows the DTD: the parser's view of it must refuse it.
        "entities-utf16": (
            '<?xml version="1.0" encoding="UTF-16"?>'
            '<!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><r>&b;</r>'
        ).encode("utf-16"),
    }


JSON_BOMB = b"[" * 100_000 + b"]" * 100_000
CHUNK = b"x" * 65536


def _endless() -> Iterator[bytes]:
    """A body past the cap, streamed without a length (the client must stop reading)."""
    for _ in range(DEFAULT_MAX_BYTES // len(CHUNK) + 2):
        yield CHUNK


OVERSIZED = {
    "streamed": Reply(_endless, "application/json"),
    "declared": Reply(b"{}", "application/json", headers=(("Content-Length", "52428800"),)),
}


def _cases() -> Iterator[Any]:
    for platform in XML_PLATFORMS:
        for name in _xml_bombs("http://x"):
            yield pytest.param(platform, name, "xml_dtd", id=f"{platform}-{name}")
        yield pytest.param(platform, "deep-xml", "malformed_xml", id=f"{platform}-deep-xml")
    for platform in JSON_PLATFORMS:
        yield pytest.param(platform, "json-bomb", "malformed_json", id=f"{platform}-json-bomb")
    for platform in sorted(all_keys()):
        for name in OVERSIZED:
            yield pytest.param(platform, name, "response_too_large", id=f"{platform}-{name}")


def _serve(server: LoopbackServer, payload: str) -> None:
    if payload in OVERSIZED:
        server.replies["*"] = OVERSIZED[payload]
    elif payload == "json-bomb":
        server.replies["*"] = Reply(JSON_BOMB, "application/json")
    elif payload == "deep-xml":
        server.replies["*"] = Reply(b"<a>" * 100_000 + b"</a>" * 100_000, "text/xml")
    else:
        server.replies["*"] = Reply(_xml_bombs(server.url)[payload], "text/xml")


def _platform_calls_only(server: LoopbackServer, platform: str) -> list[str]:
    """Requests other than the adapter's own calls (a DTD or entity fetch would show here)."""
    return [path for path in server.requests if not path.startswith(f"/{platform}/")]


def test_every_platform_is_classified() -> None:
    assert sorted(XML_PLATFORMS + JSON_PLATFORMS) == sorted(all_keys())


@pytest.mark.parametrize(("platform", "payload", "code"), list(_cases()))
def test_adapter_rejects_hostile_answer(
    platform: str, payload: str, code: str, loopback_server: LoopbackServer
) -> None:
    _serve(loopback_server, payload)
    config = ProviderConfig(
        base_url=f"{loopback_server.url}/{platform}", credentials=sandbox_credentials(platform)
    )

    with pytest.raises(ProviderProtocolError) as caught:
        adapter_class(platform)(config).consult(
            ConsultRequest(document=CLEAN_CPF, person_type=PersonType.PERSON)
        )

    assert caught.value.code == code
    assert loopback_server.requests != []
    assert _platform_calls_only(loopback_server, platform) == []


SERVICE_CASES = [
    pytest.param(platform, payload, id=f"{platform}-{payload}")
    for platform in sorted(all_keys())
    for payload in (
        ("billion-laughs" if platform in XML_PLATFORMS else "json-bomb"),
        "streamed",
    )
]


@pytest.mark.django_db
@pytest.mark.parametrize(("platform", "payload"), SERVICE_CASES)
def test_credit_query_fails_visibly_on_hostile_answer(
    platform: str,
    payload: str,
    loopback_server: LoopbackServer,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    # Given a branch whose platform answers with a hostile body
    _serve(loopback_server, payload)
    enable_credit_analysis()
    branch = BranchFactory.create()
    branch_integration_save(
        branch=branch,
        platform=platform,
        environment=Environment.SANDBOX,
        base_url=f"{loopback_server.url}/{platform}",
        credentials=sandbox_credentials(platform),
        cost_per_query=Decimal("10.00"),
        is_default=True,
    )
    user = UserFactory.create(role=Role.ADMINISTRATOR)

    # When a query runs
    with django_capture_on_commit_callbacks(execute=True):
        outcome = credit_query_request(
            subject=subject_from_document(CLEAN_CPF), branch=branch, user=user
        )

    # Then it failed with the platform error's code and the Portuguese message staff read
    query = CreditQuery.objects.get(pk=outcome.query.pk)
    expected_code = "response_too_large" if payload == "streamed" else None
    assert query.status == QueryStatus.FAILED
    assert query.error_code == (
        expected_code or ("xml_dtd" if platform in XML_PLATFORMS else "malformed_json")
    )
    assert query.error_message == "A plataforma respondeu em um formato inesperado."
    assert _platform_calls_only(loopback_server, platform) == []
