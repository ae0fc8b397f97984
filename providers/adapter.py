"""What every platform adapter shares: its configuration and its one HTTP client."""

from __future__ import annotations

from typing import ClassVar

from providers.base import ProviderConfig
from providers.http import HttpClient


class BaseAdapter:
    key: ClassVar[str]  # the platform's registry key (providers/registry.py)

    def __init__(self, config: ProviderConfig) -> None:
        self.config = config
        self.base_url = config.base_url.rstrip("/")
        self.http = HttpClient(
            connect_timeout=config.connect_timeout, read_timeout=config.read_timeout
        )
