"""The roles table: which permission each staff role has. The one home of that rule.

Each role of `Role` is a django.contrib.auth Group of the same name. `roles_sync` makes the
groups hold exactly the permissions below; it runs after every `migrate` (post_migrate, see
CoreConfig.ready), so a new permission reaches its roles by a line here and nothing else.
Permissions given to one user (`user.user_permissions`) are not touched: they add to the
role's.

The data migrations that used to grant these (core 0002 and 0005, analysis 0003 and 0006,
negativation 0002) are kept as no-ops for the databases that already applied them.
"""

import logging
from collections.abc import Mapping
from typing import Any

from django.apps import AppConfig, apps
from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS, router, transaction

from creditcheck.core.enums import Role

logger = logging.getLogger(__name__)


def _models(actions: tuple[str, ...], *labels: str) -> frozenset[str]:
    """`_models(("add", "view"), "crm.lead")` -> {"crm.add_lead", "crm.view_lead"}."""
    return frozenset(
        f"{app_label}.{action}_{model}"
        for app_label, model in (label.split(".") for label in labels)
        for action in actions
    )


VIEW = ("view",)
EDIT = ("add", "change", "view")
ALL = ("add", "change", "delete", "view")

CONSULT = frozenset({"analysis.request_creditquery", "analysis.view_creditquery"})
NEGATIVATE = frozenset(
    {
        "negativation.include_negativation",
        "negativation.remove_negativation",
        "negativation.view_negativation",
    }
)
CONFIGURE_INTEGRATIONS = frozenset(
    {
        "integrations.view_creditanalysissettings",
        "integrations.change_creditanalysissettings",
        "integrations.view_branchintegration",
        "integrations.add_branchintegration",
        "integrations.change_branchintegration",
    }
)
CONFIGURE_NEGATIVATION = _models(
    ("add", "change", "view"), "negativation.branchnegativationsettings"
) | _models(ALL, "notices.statenoticerule", "notices.creditorprofile", "notices.dunningstep")
# Notices to debtors: read them, record letters posted and consents to electronic notice.
NOTICES = frozenset({"notices.view_notice", "notices.record_notice"})
# Repayment plans (superendividamento): financial staff record them.
PLANS = _models(("add", "view"), "notices.repaymentplan")
DOSSIER = frozenset({"notices.download_dossier"})
# Configurações > Política de crédito (creditcheck/decisions): every edit is a new version.
CONFIGURE_CREDIT_POLICY = _models(EDIT, "decisions.creditpolicy")
# The human review queue of credit decisions, and recording a data subject's request for one.
REVIEW_DECISIONS = frozenset({"decisions.review_creditdecision"})
REQUEST_REVIEW = frozenset({"decisions.add_creditreview"})
VIEW_COSTS = frozenset({"costs.view_costs"})
# Settles a billing the platform left unknown (analysis/services/billing.py).
SETTLE_BILLING = frozenset({"analysis.settle_query_billing"})
# Payments the webhooks brought (creditcheck/erp): read them, and match an unmatched one.
PAYMENT_EVENTS = frozenset({"erp.view_paymentevent", "erp.match_paymentevent"})
# The ERP records every role reads or keeps.
RECORDS = ("core.branch", "customers.customer", "contracts.contract", "contracts.invoice")
CRM = ("crm.lead", "crm.prospect")

# The financial staff's work, which administrators do too.
FINANCIAL_WORK = (
    CONSULT
    | REQUEST_REVIEW
    | REVIEW_DECISIONS
    | NEGATIVATE
    | NOTICES
    | PLANS
    | DOSSIER
    | VIEW_COSTS
    | SETTLE_BILLING
    | PAYMENT_EVENTS
)

ROLE_PERMISSIONS: Mapping[Role, frozenset[str]] = {
    # Consults credit and keeps the customer file; reads the rest.
    Role.ATTENDANT: CONSULT
    | REQUEST_REVIEW
    | _models(VIEW, *RECORDS, *CRM)
    | _models(EDIT, "customers.customer")
    | NOTICES
    | {"negativation.view_negativation"},
    # Sells: leads and prospects, new customers; no invoices.
    Role.SELLER: CONSULT
    | REQUEST_REVIEW
    | _models(VIEW, "core.branch", "customers.customer", "contracts.contract")
    | _models(("add",), "customers.customer")
    | _models(EDIT, *CRM),
    # Invoices, negativação and costs.
    Role.FINANCIAL: FINANCIAL_WORK
    | _models(VIEW, *RECORDS)
    | _models(("change",), "contracts.contract")
    | _models(EDIT, "contracts.invoice"),
    # Everything, every branch (creditcheck/core/selectors.py), and the settings.
    Role.ADMINISTRATOR: FINANCIAL_WORK
    | CONFIGURE_INTEGRATIONS
    | CONFIGURE_NEGATIVATION
    | CONFIGURE_CREDIT_POLICY
    | _models(EDIT, "erp.paymentsource", "erp.ixcconnection")
    | _models(VIEW, "erp.syncrun")
    | {"erp.import_records"}
    | _models(ALL, *RECORDS, *CRM)
    | {
        "analysis.override_requery_interval",
        "decisions.override_credit_gate",
        "costs.change_branchbudget",
        "core.view_auditentry",
        "core.export_personal_data",
        "core.unlock_user",
    },
}


def role_permissions(role: Role) -> frozenset[str]:
    """The permissions ("app_label.codename") the role grants."""
    return ROLE_PERMISSIONS[role]


def roles_sync(*, using: str = DEFAULT_DB_ALIAS, app_registry: Any = apps) -> dict[str, int]:
    """Create the role groups and set each one's permissions to exactly its row of the table.

    Idempotent: a second run changes nothing. Permissions whose model is not in
    `app_registry` (a migrate to an earlier state) are left out until a later run.
    Returns the number of permissions each group holds.
    """
    group_model = app_registry.get_model("auth", "Group")
    permission_model = app_registry.get_model("auth", "Permission")
    wanted = {perm for perms in ROLE_PERMISSIONS.values() for perm in perms}
    ids: dict[str, int] = {}
    for app_label, codename, pk in permission_model.objects.using(using).values_list(
        "content_type__app_label", "codename", "pk"
    ):
        if f"{app_label}.{codename}" in wanted:
            ids[f"{app_label}.{codename}"] = pk
    missing = wanted - ids.keys()
    if missing:
        logger.info("roles_sync: permissions not created yet: %s", ", ".join(sorted(missing)))
    held: dict[str, int] = {}
    with transaction.atomic(using=using):
        for role, perms in ROLE_PERMISSIONS.items():
            group, _created = group_model.objects.using(using).get_or_create(name=role.value)
            group.permissions.set([ids[perm] for perm in perms if perm in ids])
            held[role.value] = len([perm for perm in perms if perm in ids])
    return held


def _every_app_has_permissions(using: str, app_registry: Any, verbosity: int) -> None:
    # post_migrate runs app by app: when it reaches core, the apps after it in INSTALLED_APPS
    # have no permission rows yet on a fresh database. Creating them now is what Django would
    # do a moment later (create_permissions is idempotent).
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=verbosity, using=using, apps=app_registry)


def sync_roles_after_migrate(
    sender: AppConfig,
    *,
    using: str = DEFAULT_DB_ALIAS,
    apps: Any = apps,
    verbosity: int = 1,
    **kwargs: Any,
) -> None:
    """post_migrate receiver (connected for the core app only, so it runs once per migrate)."""
    if not router.allow_migrate_model(using, apps.get_model("auth", "Group")):
        return
    _every_app_has_permissions(using, apps, verbosity)
    held = roles_sync(using=using, app_registry=apps)
    if verbosity >= 2:
        logger.info("roles_sync: %s", held)
