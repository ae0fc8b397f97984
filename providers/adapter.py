"""What every platform adapter shares: its configuration and its one HTTP client."""

from __future__ import annotations

from typing import ClassVar

from providers.base import CredentialField, ProviderConfig
from providers.http import HttpClient


class BaseAdapter:
    key: ClassVar[str]
    name: ClassVar[str]
    credential_fields: ClassVar[tuple[CredentialField, ...]]
    has_balance: ClassVar[bool]

    def __init__(self, config: ProviderConfig) -> None:
        self.config = config
        self.base_url = config.base_url.rstrip("/")
        self.http = HttpClient(
            connect_timeout=config.connect_timeout, read_timeout=config.read_timeout
        )
