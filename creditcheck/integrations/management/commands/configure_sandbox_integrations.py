"""Point every active branch at the local provider sandboxes (demo and `make run`).

Every registered platform with a sandbox module gets one integration per branch. Idempotent: an
existing sandbox integration of a branch and platform is updated, not duplicated.
The first branch is connected to the IXCProvedor sandbox too (one connection, found again by
its URL), with the sandbox's filiais read and mapped to the demo branches in order; the
scheduled jobs' first round (`make run`) then brings the demo ERP's data in.
"""

import time
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from creditcheck.core.models import Branch
from creditcheck.erp.ixc import ixc_filiais_read
from creditcheck.erp.ixc_connections import ixc_branch_map_save, ixc_connection_save
from creditcheck.erp.models import IxcConnection
from creditcheck.integrations.enums import Environment
from creditcheck.integrations.models import BranchIntegration, CreditAnalysisSettings
from creditcheck.integrations.services import branch_integration_save, credit_settings_update
from providers import registry
from providers.base import ProviderError
from providers.sandbox import ixc as ixc_sandbox
from providers.sandbox.server import load_platforms

# Each demo branch gets a different default platform, so the demo shows all of them.
DEFAULT_ROTATION = ["spcbrasil", "soawebservice", "creditonamedida", "connectsa"]
# What the demo shows as each platform's price (about the public list prices); others: zero.
COST_PER_QUERY = {
    "spcbrasil": Decimal("9.80"),
    "soawebservice": Decimal("16.00"),
    "connectsa": Decimal("14.50"),
    "creditonamedida": Decimal("9.90"),
}
# Reading the IXC sandbox's filiais: 10 tries half a second apart while it starts.
IXC_ATTEMPTS = 10


class Command(BaseCommand):
    help = "Configura as integrações de todas as filiais ativas com os simuladores locais."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", default=settings.PROVIDER_SANDBOX_URL)
        parser.add_argument(
            "--enable",
            action="store_true",
            help="liga a integração com análise de crédito (intervalo de 30 dias)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        base = options["url"].rstrip("/")
        credentials = {key: dict(p.credentials) for key, p in load_platforms().items()}
        for index, branch in enumerate(Branch.objects.filter(active=True).order_by("id")):
            default = DEFAULT_ROTATION[index % len(DEFAULT_ROTATION)]
            # The default first: the branch's current default can only stop being the
            # default once another one is (branch_integration_save).
            for platform in sorted(credentials, key=lambda platform: platform != default):
                existing = BranchIntegration.objects.filter(
                    branch=branch, platform=platform, environment=Environment.SANDBOX
                ).first()
                branch_integration_save(
                    integration=existing,
                    branch=branch,
                    platform=platform,
                    environment=Environment.SANDBOX,
                    base_url=f"{base}/{platform}",
                    credentials=credentials[platform],
                    product=existing.product if existing else "",
                    cost_per_query=COST_PER_QUERY.get(platform, Decimal("0.00")),
                    is_default=platform == default,
                )
            name = registry.trade_name(default)
            self.stdout.write(f"{branch.name}: integrações no simulador (padrão: {name})")
        self._connect_ixc(base)
        first_run = not CreditAnalysisSettings.objects.exists()
        if options["enable"] and first_run:
            credit_settings_update(user=None, enabled=True, requery_interval_days=30)
        row = CreditAnalysisSettings.load()
        state = "ativada" if row.enabled else "desativada"
        self.stdout.write(
            f"Integração com análise de crédito: {state} "
            f"(intervalo de {row.requery_interval_days} dias; "
            "altere em Configurações > Integrações)."
        )

    def _connect_ixc(self, base: str) -> None:
        branches = list(Branch.objects.filter(active=True).order_by("id"))
        if not branches:
            return
        url = f"{base}/ixc"
        connection = IxcConnection.objects.filter(base_url=url).first()
        connection = ixc_connection_save(
            connection=connection, name="IXCProvedor (simulador)", base_url=url,
            token=ixc_sandbox.TOKEN, default_branch=branches[0], active=True, user=None,
        )  # fmt: skip
        for attempt in range(IXC_ATTEMPTS):  # `make run` starts the sandbox just before this
            try:
                ixc_filiais_read(connection=connection)
                break
            except ProviderError as exc:
                if attempt == IXC_ATTEMPTS - 1:
                    reason = exc.message or exc.user_message
                    self.stdout.write(f"IXCProvedor (simulador): filiais não lidas ({reason})")
                    return
                time.sleep(0.5)
        if not connection.branch_map:
            mapping = {
                filial["id"]: branches[index] if index < len(branches) else None
                for index, filial in enumerate(connection.filiais)
            }
            ixc_branch_map_save(connection=connection, mapping=mapping, user=None)
        self.stdout.write(
            f"{branches[0].name}: conectada ao IXCProvedor (simulador) em {url} "
            f"({len(connection.filiais)} filiais do IXC mapeadas)"
        )
