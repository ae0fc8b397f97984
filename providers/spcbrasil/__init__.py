"""SPC Brasil (direct): SOAP 1.1 consultation and negativação services."""

from providers.spcbrasil.adapter import Adapter

__all__ = ["Adapter"]
