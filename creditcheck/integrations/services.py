"""Writes of the integration settings, and the bridge from a branch integration to its adapter."""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from creditcheck.core.audit import audit_record
from creditcheck.core.enums import AuditAction
from creditcheck.core.models import Branch
from creditcheck.integrations import secrets
from creditcheck.integrations.circuit import Circuit, GuardedAdapter
from creditcheck.integrations.models import BranchIntegration, CreditAnalysisSettings
from creditcheck.integrations.platforms import default_base_url
from providers import registry
from providers.base import CredentialField, ProviderConfig, ProviderError

# An integration's settings besides its branch and credentials: what the form edits and what the
# audit trail compares.
SETTINGS_FIELDS = (
    "platform", "environment", "base_url", "product", "cost_per_query", "is_default", "active",
)  # fmt: skip


def credit_settings_validate(
    *, current: CreditAnalysisSettings, enabled: bool, requery_interval_days: int | None
) -> None:
    """The rules of the global flags, for the service and whoever shows their errors early.

    The interval is editable only while the integration is enabled: a change of it with
    "Não" is refused (`interval_requires_enabled`), not ignored; the stored interval is kept
    while disabled. Raises ValidationError on `requery_interval_days`.
    """
    if requery_interval_days is None:
        return
    if not enabled and requery_interval_days != current.requery_interval_days:
        message = _("O intervalo só pode ser alterado com a integração ativa (Sim).")
        raise ValidationError(
            {"requery_interval_days": ValidationError(message, code="interval_requires_enabled")}
        )
    if requery_interval_days < 0:
        message = _("Informe um número de dias igual ou maior que zero.")
        raise ValidationError({"requery_interval_days": ValidationError(message, code="min_value")})


def credit_settings_update(
    *, user: Any, enabled: bool, requery_interval_days: int | None
) -> CreditAnalysisSettings:
    """Save the global flags; audited with before/after.

    `requery_interval_days` None keeps the stored interval. Raises ValidationError as
    credit_settings_validate says (the interval changed while disabled, or negative).
    """
    row = CreditAnalysisSettings.load()
    credit_settings_validate(
        current=row, enabled=enabled, requery_interval_days=requery_interval_days
    )
    before = {"enabled": row.enabled, "requery_interval_days": row.requery_interval_days}
    row.enabled = enabled
    if requery_interval_days is not None:
        row.requery_interval_days = requery_interval_days
    row.updated_by = user if getattr(user, "is_authenticated", False) else None
    row.save()
    after = {"enabled": row.enabled, "requery_interval_days": row.requery_interval_days}
    if after != before:
        audit_record(
            action=AuditAction.SETTINGS_CHANGE,
            user=user,
            outcome="análise de crédito",
            target=row,
            details={"before": before, "after": after},
        )
    return row


def _credential_fields(platform: str) -> tuple[CredentialField, ...]:
    """The platform's credential fields; a platform the registry does not know is a field error."""
    try:
        return registry.get(platform).credential_fields
    except registry.UnknownPlatform:
        raise ValidationError(
            {"platform": _("Plataforma desconhecida: %(key)s.") % {"key": platform}}
        ) from None


def _check_credentials_complete(
    fields: tuple[CredentialField, ...], values: Mapping[str, str]
) -> None:
    missing = [f.label for f in fields if f.required and not values.get(f.name, "").strip()]
    if missing:
        raise ValidationError(
            {
                "credentials": _("Preencha as credenciais: %(fields)s.")
                % {"fields": ", ".join(missing)}
            }
        )


@transaction.atomic
def branch_integration_save(
    *,
    branch: Branch,
    platform: str,
    environment: str,
    base_url: str = "",
    credentials: Mapping[str, str] | None = None,
    product: str = "",
    cost_per_query: Decimal = Decimal("0.00"),
    is_default: bool = False,
    active: bool = True,
    integration: BranchIntegration | None = None,
    user: Any = None,
) -> BranchIntegration:
    """Create or update a branch integration.

    Credentials left blank on update keep their stored values (they are never shown again).
    Making an integration the default unsets the branch's previous default (screens and API
    alike); unsetting the default itself is refused (`_default_after_save`).
    """
    fields = _credential_fields(platform)
    integration = integration or BranchIntegration(branch=branch)
    before = _audited_state(integration) if integration.pk else {}
    stored = secrets.decrypt_credentials(integration.credentials_encrypted)
    merged = dict(stored)
    for name, value in (credentials or {}).items():
        if value and value.strip():
            merged[name] = value.strip()
    known = {f.name for f in fields}
    merged = {k: v for k, v in merged.items() if k in known}
    _check_credentials_complete(fields, merged)
    url = (base_url or "").strip() or default_base_url(platform, environment)
    if not url:
        raise ValidationError(
            {"base_url": _("Informe a URL base: esta plataforma não publica um endereço padrão.")}
        )
    is_default = _default_after_save(integration, branch, is_default)
    integration.branch = branch
    integration.platform = platform
    integration.environment = environment
    integration.base_url = url
    integration.credentials_encrypted = secrets.encrypt_credentials(merged)
    integration.product = product
    integration.cost_per_query = cost_per_query
    integration.is_default = is_default
    integration.active = active
    integration.full_clean()
    integration.save()
    after = _audited_state(integration)
    changed_credentials = sorted(k for k in merged if merged.get(k) != stored.get(k))
    if after != before or changed_credentials:
        audit_record(
            action=AuditAction.SETTINGS_CHANGE,
            user=user,
            branch=integration.branch,
            outcome="integração da filial",
            target=integration,
            # Credentials: only which ones changed, never their values.
            details={"before": before, "after": after, "credentials_changed": changed_credentials},
        )
    return integration


def _default_after_save(integration: BranchIntegration, branch: Branch, is_default: bool) -> bool:
    """Whether `integration` is its branch's default once saved; moves the default to it.

    A branch always has a default platform once it has an integration: the first one becomes
    the default whatever was asked, and the default is moved by making another one the
    default, never by unsetting it (the queries would have no platform to go to).
    """
    others = BranchIntegration.objects.filter(branch=branch, is_default=True).exclude(
        pk=integration.pk
    )
    if is_default:
        others.update(is_default=False)
        return True
    if integration.pk and integration.is_default:
        raise ValidationError(
            {
                "is_default": ValidationError(
                    _(
                        "A filial precisa de uma plataforma padrão para as consultas: para "
                        "trocar, marque outra integração desta filial como padrão."
                    ),
                    code="default_required",
                )
            }
        )
    return not others.exists()  # a branch's only integration is its default


def _audited_state(integration: BranchIntegration) -> dict[str, Any]:
    state = {name: getattr(integration, name) for name in SETTINGS_FIELDS}
    return {**state, "cost_per_query": str(integration.cost_per_query)}  # JSON has no Decimal


def provider_config(integration: BranchIntegration) -> ProviderConfig:
    return ProviderConfig(
        base_url=integration.base_url,
        credentials=secrets.decrypt_credentials(integration.credentials_encrypted),
        environment=integration.environment,
        connect_timeout=settings.PROVIDER_CONNECT_TIMEOUT,
        read_timeout=settings.PROVIDER_READ_TIMEOUT,
    )


def adapter_for(integration: BranchIntegration) -> GuardedAdapter:
    """The adapter of a branch integration, behind the branch's circuit breaker for the
    platform: every platform call of the application comes through here."""
    adapter = registry.build_adapter(integration.platform, provider_config(integration))
    return GuardedAdapter(adapter, Circuit(integration))


def branch_integration_test(*, integration: BranchIntegration) -> tuple[bool, str]:
    """ "Testar": ask the platform whether the stored credentials work (a free call).

    Records the outcome on the integration; returns (ok, message in pt-BR). It reaches the
    platform even while the circuit is open, as its trial call: an admin who fixed the cause
    sees the real answer at once, and a working platform closes the circuit.
    """
    try:
        adapter_for(integration).check_credentials()
    except ProviderError as exc:
        ok, message = False, exc.user_message
        if exc.code:
            message = f"{message} ({exc.code})"
    else:
        ok, message = True, _("Conexão e credenciais válidas.")
    integration.last_test_at = timezone.now()
    integration.last_test_ok = ok
    integration.last_test_message = message[:300]
    integration.save(
        update_fields=["last_test_at", "last_test_ok", "last_test_message", "updated_at"]
    )
    return ok, message


def branch_integration_sync_products(*, integration: BranchIntegration) -> list[dict[str, Any]]:
    """ "Produtos > Sincronizar": fetch the platform's catalogue (free) and keep it.

    Sets the default product to the platform's first one when none is chosen yet.
    Raises ProviderError when the platform cannot be reached.
    """
    catalogue = adapter_for(integration).products()
    products: list[dict[str, Any]] = [
        {"code": p.code, "name": p.name, "person_types": [t.value for t in p.person_types]}
        for p in catalogue
    ]
    integration.products = products
    integration.products_synced_at = timezone.now()
    if catalogue and integration.product not in {p.code for p in catalogue}:
        integration.product = catalogue[0].code
    integration.save(update_fields=["products", "products_synced_at", "product", "updated_at"])
    return products


def credentials_masked(integration: BranchIntegration) -> list[tuple[str, str]]:
    """(label, masked value) per credential field, for showing what is stored."""
    values = secrets.decrypt_credentials(integration.credentials_encrypted)
    return [
        (f.label, secrets.mask(values.get(f.name, ""), secret=f.secret))
        for f in registry.get(integration.platform).credential_fields
    ]
