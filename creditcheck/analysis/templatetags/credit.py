"""Template tags of the credit-analysis screens and of the entry points other screens include.

`credit_analysis_enabled` is the one place templates learn whether "Utiliza integração com
análise de crédito" is on; it reads the flag once per request.
"""

from decimal import Decimal
from typing import Any, Protocol

from django import template

from creditcheck.analysis.presenters import amount_summary
from creditcheck.integrations.selectors import credit_settings
from providers import registry

register = template.Library()

_REQUEST_CACHE = "_credit_analysis_enabled"


@register.simple_tag(takes_context=True)
def credit_analysis_enabled(context: template.Context) -> bool:
    """{% credit_analysis_enabled as enabled %}: the flag, cached on the request (list rows)."""
    request: Any = context.get("request")
    cached = getattr(request, _REQUEST_CACHE, None)
    if cached is not None:
        return bool(cached)
    enabled = credit_settings().enabled
    if request is not None:
        setattr(request, _REQUEST_CACHE, enabled)
    return enabled


@register.filter
def platform_name(key: str | None) -> str:
    """ "spcbrasil" -> "SPC Brasil"; empty -> "—"."""
    if not key:
        return "—"
    return registry.trade_name(key)


class _Restricted(Protocol):
    """A stored query, or a report's row of one (compliance.lgpd.QueryItem)."""

    @property
    def restriction_amount(self) -> Decimal: ...
    @property
    def restriction_count(self) -> int: ...
    @property
    def restriction_unvalued(self) -> int: ...


@register.filter
def restriction_amount(query: _Restricted) -> str:
    """A query's restrictions' amount, "valor não informado" when the platform gave none."""
    return amount_summary(
        query.restriction_amount, query.restriction_count, query.restriction_unvalued
    )
