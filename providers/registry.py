"""The platforms CreditCheck talks to: one entry per platform says everything known of it outside
its adapter (trade name, public hosts, credential fields, what it offers, where its adapter is).

Screens, the API, model choices and the sandbox server derive their lists from here, so adding a
platform is one entry in BUILT_IN below plus its adapter package (CONTRIBUTING.md); tests add one
with `register` and take it away with `unregister`. Adapters are imported on first use, not when
this module is. Nothing here imports Django.
"""

from __future__ import annotations

import enum
import importlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from providers.base import Adapter, CredentialField, ProviderConfig

PRODUCTION = "production"
HOMOLOGATION = "homologation"
# Environments a platform publishes hosts for; the sandbox address is the application's own.
HOST_ENVIRONMENTS = (PRODUCTION, HOMOLOGATION)
# The database columns that store a platform key hold 20 characters.
KEY_MAX_LENGTH = 20
_KEY = re.compile(r"[a-z][a-z0-9]*")


class Capability(enum.StrEnum):
    """What a platform offers. An adapter raises OperationNotSupported for what its platform
    lacks; a test holds every adapter to its entry here."""

    CONSULT = "consult"
    INCLUDE = "include"  # negativação
    REMOVE = "remove"  # baixa
    INCLUSION_STATUS = "inclusion_status"  # without it the notice period decides (SPC)
    PRODUCTS = "products"  # a product catalogue for "Sincronizar produtos"
    BALANCE = "balance"  # a prepaid balance to query
    REPORT_DOCUMENT = "report_document"  # the platform's own report file, with restrictions


@dataclass(frozen=True)
class Platform:
    key: str  # lowercase letters and digits, at most KEY_MAX_LENGTH
    name: str  # trade name, as users know it
    credential_fields: tuple[CredentialField, ...]
    capabilities: frozenset[Capability]
    hosts: Mapping[str, str] = field(default_factory=dict)  # environment -> public base URL
    # The bureau whose records it reads and writes, where public ("" = not stated). Platforms of
    # one bureau see the same records: a debt registered through one shows through the other.
    bureau: str = ""
    score_product: str = ""  # the cheap score-only product, where the platform sells one
    # Dotted path of the adapter class; "" is the package convention, providers.<key>.Adapter.
    adapter: str = ""

    @property
    def adapter_path(self) -> str:
        return self.adapter or f"providers.{self.key}.Adapter"

    def host(self, environment: str) -> str:
        """The platform's public base URL in `environment`, "" when it publishes none."""
        return self.hosts.get(environment, "")

    def supports(self, capability: Capability) -> bool:
        return capability in self.capabilities


class UnknownPlatform(ValueError):
    pass


_platforms: dict[str, Platform] = {}


def register(platform: Platform) -> Platform:
    """Add a platform; refuses a malformed or taken key and hosts of unknown environments."""
    if not _KEY.fullmatch(platform.key) or len(platform.key) > KEY_MAX_LENGTH:
        raise ValueError(f"platform key {platform.key!r}: lowercase letters and digits, at most 20")
    if platform.key in _platforms:
        raise ValueError(f"platform {platform.key!r} is already registered")
    unknown = set(platform.hosts) - set(HOST_ENVIRONMENTS)
    if unknown:
        raise ValueError(f"platform {platform.key!r}: hosts for unknown environments {unknown}")
    _platforms[platform.key] = platform
    return platform


def unregister(key: str) -> None:
    """Remove a registered platform (tests that register one undo it with this)."""
    if _platforms.pop(key, None) is None:
        raise UnknownPlatform(f"unknown platform {key!r}")


def platforms() -> tuple[Platform, ...]:
    """Every registered platform, in registration order (the order screens list them)."""
    return tuple(_platforms.values())


def all_keys() -> tuple[str, ...]:
    return tuple(_platforms)


def get(key: str) -> Platform:
    try:
        return _platforms[key]
    except KeyError:
        raise UnknownPlatform(f"unknown platform {key!r}") from None


def trade_name(key: str) -> str:
    """The platform's trade name; the key itself for one no longer registered (old rows)."""
    found = _platforms.get(key)
    return found.name if found else key


def choices() -> list[tuple[str, str]]:
    """(key, trade name) pairs: the choices of every field that takes a platform."""
    return [(p.key, p.name) for p in _platforms.values()]


def adapter_class(key: str) -> type[Adapter]:
    """Resolve a platform key to its adapter class, importing it on first use."""
    module_name, _, class_name = get(key).adapter_path.rpartition(".")
    cls: type[Adapter] = getattr(importlib.import_module(module_name), class_name)
    return cls


def build_adapter(key: str, config: ProviderConfig) -> Adapter:
    return adapter_class(key)(config)


# --------------------------------------------------------------------------------------------
# The platforms. Hosts are the public ones the adapters' docstrings and PROVIDERS.md cite.

EVERY = frozenset(Capability)
C = Capability


def _field(name: str, label: str) -> CredentialField:
    return CredentialField(name, label)


def _secret(name: str, label: str) -> CredentialField:
    return CredentialField(name, label, secret=True)


def _hosts(production: str, homologation: str) -> Mapping[str, str]:
    return MappingProxyType({PRODUCTION: production, HOMOLOGATION: homologation})


BUILT_IN = (
    Platform(
        key="soawebservice",
        name="SOAWebService",
        bureau="Serasa",
        capabilities=EVERY - {C.REPORT_DOCUMENT},
        credential_fields=(_field("email", "E-mail"), _secret("senha", "Senha")),
        hosts=_hosts(
            "https://producao.soawebservices.com.br", "https://homologacao.soawebservices.com.br"
        ),
    ),
    Platform(
        key="connectsa",
        name="ConnectSA",
        bureau="Serasa",
        capabilities=EVERY - {C.BALANCE},
        credential_fields=(
            _field("login", "Usuário (consulta)"),
            _secret("password", "Senha (consulta)"),
            _field("idclient", "ID do cliente (idclient)"),
            _secret("apikey", "Chave de API (apikey)"),
            # PEFIN (negativação) has a login of its own, which not every client contracts.
            CredentialField("login_pefin", "Usuário PEFIN (negativação)", required=False),
            CredentialField(
                "senha_pefin", "Senha PEFIN (negativação)", secret=True, required=False
            ),
        ),
        # One host: homologation is the same system's free static consult.
        hosts=_hosts("https://sistemas.connectsa.com.br", "https://sistemas.connectsa.com.br"),
    ),
    Platform(
        key="creditonamedida",
        name="Crédito na Medida",
        capabilities=EVERY,
        credential_fields=(
            _field("client_id", "Client ID"),
            _secret("client_secret", "Client Secret"),
        ),
        # No public API host: the operator enters the one the vendor gives.
    ),
    Platform(
        key="spcbrasil",
        name="SPC Brasil",
        bureau="SPC Brasil",
        # No status operation: the notice period decides when a debt shows (see the adapter).
        capabilities=EVERY - {C.INCLUSION_STATUS, C.BALANCE, C.REPORT_DOCUMENT},
        credential_fields=(_field("operador", "Operador"), _secret("senha", "Senha do WebService")),
        hosts=_hosts("https://servicos.spc.org.br", "https://treina.spc.org.br"),
        score_product="634",  # SPC SÓ SCORE POSITIVO
    ),
)
for _entry in BUILT_IN:
    register(_entry)
