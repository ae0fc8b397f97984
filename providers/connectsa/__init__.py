"""Connect S.A. "Mercúrio" platform (Serasa distributor). See adapter.py for the wire notes."""

from providers.connectsa.adapter import Adapter

__all__ = ["Adapter"]
