"""What CreditCheck knows of each platform outside the adapters: default addresses."""

from django.conf import settings

from creditcheck.integrations.enums import Environment, Platform

# Public production/homologation hosts (providers/*/adapter.py and PROVIDERS.md cite them).
# Crédito na Medida publishes no API host: the operator enters the one the vendor gives.
KNOWN_BASE_URLS: dict[tuple[str, str], str] = {
    (Platform.SPCBRASIL, Environment.PRODUCTION): "https://servicos.spc.org.br",
    (Platform.SPCBRASIL, Environment.HOMOLOGATION): "https://treina.spc.org.br",
    (Platform.SOAWEBSERVICE, Environment.PRODUCTION): "https://producao.soawebservices.com.br",
    (Platform.SOAWEBSERVICE, Environment.HOMOLOGATION): "https://homologacao.soawebservices.com.br",
    (Platform.CONNECTSA, Environment.PRODUCTION): "https://sistemas.connectsa.com.br",
    (Platform.CONNECTSA, Environment.HOMOLOGATION): "https://sistemas.connectsa.com.br",
}


def default_base_url(platform: str, environment: str) -> str:
    """The address to use when the operator leaves "URL base" blank ("" when unknown)."""
    if environment == Environment.SANDBOX:
        return f"{settings.PROVIDER_SANDBOX_URL.rstrip('/')}/{platform}"
    return KNOWN_BASE_URLS.get((platform, environment), "")
