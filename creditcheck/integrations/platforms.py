"""The platforms as the integration settings see them, all derived from providers/registry.py:
choices for filters and the address used when the operator leaves "URL base" blank."""

from django.conf import settings

from creditcheck.integrations.enums import Environment
from providers import registry


def platform_filter_choices() -> list[tuple[str, str]]:
    """The choices of a list filter: every platform, after "Todas"."""
    return [("", "Todas"), *registry.choices()]


def default_base_url(platform: str, environment: str) -> str:
    """The address to use when the operator leaves "URL base" blank ("" when unknown)."""
    if environment == Environment.SANDBOX:
        return f"{settings.PROVIDER_SANDBOX_URL.rstrip('/')}/{platform}"
    try:
        return registry.get(platform).host(environment)
    except registry.UnknownPlatform:
        return ""
