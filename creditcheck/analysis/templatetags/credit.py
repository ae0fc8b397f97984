"""Template tags of the credit-analysis screens and of the entry points other screens include.

`credit_analysis_enabled` is the one place templates learn whether "Utiliza integração com
análise de crédito" is on; it reads the flag once per request.
"""

from typing import Any

from django import template

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
