"""Crédito na Medida (creditonamedida.com.br): unverified adapter, see adapter.py."""

from providers.creditonamedida.adapter import Adapter

__all__ = ["Adapter"]
