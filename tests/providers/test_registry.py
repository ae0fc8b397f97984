"""The platform registry: its entries, its register API, and every adapter held to its entry's
capabilities over real HTTP to the sandboxes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest

from providers import registry
from providers.base import (
    Adapter,
    Address,
    Balance,
    ConsultRequest,
    CredentialField,
    Debtor,
    InclusionRequest,
    OperationNotSupported,
    PersonType,
    ProviderConfig,
    RecordNotFound,
    RemovalRequest,
)
from providers.registry import Capability, Platform, UnknownPlatform
from providers.sandbox.scenarios import SMALL_RESTRICTION_CPF
from providers.sandbox.server import RunningSandbox, load_platforms
from tests.sandbox_client import advance_clock

C = Capability
TEST_PLATFORM = Platform(
    key="bureauteste",
    name="Bureau de Teste",
    capabilities=frozenset({C.CONSULT}),
    credential_fields=(CredentialField("token", "Token", secret=True),),
    hosts={registry.PRODUCTION: "https://api.bureau.example"},
)
# A debt of a clean CPF; the tests that do not register it ask about a record no one knows.
A_DEBT = InclusionRequest(
    Debtor(
        "52998224725",
        PersonType.PERSON,
        "CLIENTE DE TESTE",
        Address("01310100", "AV PAULISTA", "1000", "BELA VISTA", "SAO PAULO", "SP"),
    ),
    contract_number="NUNCA-REGISTRADO",
    our_number="0",
    purchase_date=dt.date(2024, 1, 10),
    due_date=dt.date(2024, 6, 10),
    amount=Decimal("10.00"),
)
UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"
WITH_RESTRICTIONS = SMALL_RESTRICTION_CPF  # the sandboxes' small_restriction scenario


@pytest.fixture
def test_platform() -> Iterator[Platform]:
    registry.register(TEST_PLATFORM)
    yield TEST_PLATFORM
    registry.unregister(TEST_PLATFORM.key)


def adapter_of(sandbox: RunningSandbox, key: str) -> Adapter:
    config = ProviderConfig(
        base_url=f"{sandbox.url}/{key}",
        credentials=dict(load_platforms()[key].credentials),
        environment="production",
    )
    return registry.build_adapter(key, config)


def test_registry_lists_the_platforms_in_screen_order() -> None:
    assert registry.choices() == [
        ("soawebservice", "SOAWebService"),
        ("connectsa", "ConnectSA"),
        ("creditonamedida", "Crédito na Medida"),
        ("spcbrasil", "SPC Brasil"),
    ]
    assert registry.all_keys() == ("soawebservice", "connectsa", "creditonamedida", "spcbrasil")


@pytest.mark.parametrize("key", registry.all_keys())
def test_adapter_class_resolves_to_the_adapter_of_that_key(key: str) -> None:
    cls = registry.adapter_class(key)
    assert (cls.__module__, cls.__name__, cls.key) == (f"providers.{key}.adapter", "Adapter", key)


def test_unknown_key_raises_unknown_platform() -> None:
    with pytest.raises(UnknownPlatform, match="unknown platform 'boavista'"):
        registry.get("boavista")
    with pytest.raises(ValueError, match="unknown platform 'boavista'"):
        registry.adapter_class("boavista")


def test_trade_name_of_a_key_no_longer_registered_is_the_key() -> None:
    assert (registry.trade_name("spcbrasil"), registry.trade_name("antiga")) == (
        "SPC Brasil",
        "antiga",
    )


def test_hosts_are_the_published_ones_and_blank_where_none() -> None:
    spc, cnm = registry.get("spcbrasil"), registry.get("creditonamedida")
    assert (spc.host("production"), spc.host("homologation"), spc.host("sandbox")) == (
        "https://servicos.spc.org.br",
        "https://treina.spc.org.br",
        "",
    )
    assert (cnm.host("production"), cnm.host("homologation")) == ("", "")


def test_a_debt_registered_through_one_platform_shows_through_its_bureaus_others(
    sandbox: RunningSandbox,
) -> None:
    adapter_of(sandbox, "soawebservice").include(A_DEBT)
    advance_clock(sandbox, 21)  # past the notice period of SP

    consults = {
        key: adapter_of(sandbox, key).consult(
            ConsultRequest(A_DEBT.debtor.document, PersonType.PERSON)
        )
        for key in registry.all_keys()
    }

    assert {key: report.has_restrictions for key, report in consults.items()} == {
        "soawebservice": True,
        "connectsa": True,  # Serasa too
        "creditonamedida": False,
        "spcbrasil": False,
    }


def test_bureaus_and_score_products_are_the_public_ones() -> None:
    assert {p.key: (p.bureau, p.score_product) for p in registry.platforms()} == {
        "soawebservice": ("Serasa", ""),
        "connectsa": ("Serasa", ""),
        "creditonamedida": ("", ""),  # which bureaus it resells is not public
        "spcbrasil": ("SPC Brasil", "634"),
    }


def test_register_adds_and_unregister_removes(test_platform: Platform) -> None:
    assert registry.get("bureauteste") is test_platform
    assert registry.choices()[-1] == ("bureauteste", "Bureau de Teste")
    assert registry.get("bureauteste").adapter_path == "providers.bureauteste.Adapter"
    registry.unregister("bureauteste")
    assert "bureauteste" not in registry.all_keys()
    registry.register(test_platform)  # for the fixture's cleanup


def test_unregister_unknown_key_raises() -> None:
    with pytest.raises(UnknownPlatform):
        registry.unregister("bureauteste")


@pytest.mark.parametrize(
    ("key", "hosts", "message"),
    [
        ("spcbrasil", {}, "platform 'spcbrasil' is already registered"),
        ("Bureau", {}, "platform key 'Bureau': lowercase letters and digits, at most 20"),
        ("bureau teste", {}, "platform key 'bureau teste'"),
        ("b" * 21, {}, "at most 20"),
        ("bureauteste", {"sandbox": "http://x"}, "hosts for unknown environments {'sandbox'}"),
    ],
)
def test_register_refuses_a_bad_entry(key: str, hosts: dict[str, str], message: str) -> None:
    entry = Platform(key=key, name="X", capabilities=frozenset(), credential_fields=(), hosts=hosts)
    with pytest.raises(ValueError, match=message):
        registry.register(entry)
    assert registry.all_keys() == ("soawebservice", "connectsa", "creditonamedida", "spcbrasil")


# --- Every adapter does what its entry says, no more ------------------------------------------


@pytest.mark.parametrize("key", registry.all_keys())
def test_balance_works_exactly_where_declared(sandbox: RunningSandbox, key: str) -> None:
    adapter = adapter_of(sandbox, key)
    if registry.get(key).supports(C.BALANCE):
        assert isinstance(adapter.balance(), Balance)
    else:
        with pytest.raises(OperationNotSupported):
            adapter.balance()


@pytest.mark.parametrize("key", registry.all_keys())
def test_inclusion_status_exists_exactly_where_declared(sandbox: RunningSandbox, key: str) -> None:
    expected = (
        RecordNotFound if registry.get(key).supports(C.INCLUSION_STATUS) else OperationNotSupported
    )
    with pytest.raises(expected):
        adapter_of(sandbox, key).inclusion_status(UNKNOWN_ID, A_DEBT)


@pytest.mark.parametrize("key", registry.all_keys())
def test_removal_reaches_the_platform_where_declared(sandbox: RunningSandbox, key: str) -> None:
    assert registry.get(key).supports(C.REMOVE)
    with pytest.raises(RecordNotFound):
        adapter_of(sandbox, key).remove(RemovalRequest(UNKNOWN_ID, A_DEBT))


@pytest.mark.parametrize("key", registry.all_keys())
def test_report_document_comes_exactly_where_declared(sandbox: RunningSandbox, key: str) -> None:
    adapter = adapter_of(sandbox, key)
    report = adapter.consult(ConsultRequest(WITH_RESTRICTIONS, PersonType.PERSON))
    assert report.has_restrictions is True
    assert (report.document is not None) is registry.get(key).supports(C.REPORT_DOCUMENT)


@pytest.mark.parametrize("key", registry.all_keys())
def test_products_list_the_score_product(sandbox: RunningSandbox, key: str) -> None:
    platform = registry.get(key)
    codes = [p.code for p in adapter_of(sandbox, key).products()]
    assert platform.supports(C.PRODUCTS) and codes
    assert not platform.score_product or platform.score_product in codes


@pytest.mark.parametrize("key", registry.all_keys())
def test_every_registered_platform_has_a_sandbox(key: str) -> None:
    assert load_platforms()[key].key == key
