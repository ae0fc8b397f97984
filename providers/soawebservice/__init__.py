"""SOA WebServices (Serasa distributor), JSON API v2."""

from providers.soawebservice.adapter import Adapter

__all__ = ["Adapter"]
