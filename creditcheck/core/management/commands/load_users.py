"""Attendants with API tokens for the load test (bench/load.py): `manage.py load_users --count 70`.

Only in branches whose integrations all point at a sandbox (Environment.SANDBOX).
Idempotent: users are keyed by username (<prefix>001, <prefix>002, ...), so a second run
returns the same users and tokens. Each user is an Atendente of one branch that has an active
credit-analysis integration (spread round-robin), with no usable password: they work through
the API only. Prints JSON on stdout: {"users": [{"username", "token", "branch"}, ...],
"credit_analysis": {"enabled", "requery_interval_days"}}.
"""

import json
from typing import Any

from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from rest_framework.authtoken.models import Token

from creditcheck.core.enums import Role
from creditcheck.core.models import Branch
from creditcheck.integrations.enums import Environment
from creditcheck.integrations.models import BranchIntegration, CreditAnalysisSettings
from creditcheck.integrations.services import credit_settings_update

# The product's default interval: without one, every repeat of a document is billed again.
DEFAULT_INTERVAL_DAYS = 30


def branches_with_integration() -> list[Branch]:
    """Branches whose active integrations all point at a sandbox: load users never spend money.

    Run by mistake against a production database, the command finds no branch and stops.
    """
    real = BranchIntegration.objects.filter(active=True).exclude(environment=Environment.SANDBOX)
    return list(
        Branch.objects.filter(
            active=True,
            integrations__active=True,
            integrations__environment=Environment.SANDBOX,
        )
        .exclude(integrations__in=real)
        .distinct()
        .order_by("id")
    )


def load_users(*, count: int, prefix: str) -> list[tuple[User, Token, Branch]]:
    branches = branches_with_integration()
    if not branches:
        raise CommandError(
            "Nenhuma filial ativa tem integração ativa apontando só para os simuladores: "
            "rode `manage.py configure_sandbox_integrations` antes (usuários de carga nunca "
            "consultam plataformas reais)."
        )
    attendants = Group.objects.get(name=Role.ATTENDANT)
    loaded = []
    with transaction.atomic():
        for index in range(count):
            branch = branches[index % len(branches)]
            user, created = User.objects.get_or_create(
                username=f"{prefix}{index + 1:03d}",
                defaults={"first_name": f"Carga {index + 1}", "email": ""},
            )
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            user.groups.add(attendants)
            user.branches.set([branch])
            token, _ = Token.objects.get_or_create(user=user)
            loaded.append((user, token, branch))
    return loaded


class Command(BaseCommand):
    help = (
        "Cria (ou reaproveita) atendentes com token de API nas filiais com integração ativa, "
        "para o teste de carga (bench/load.py); imprime os tokens em JSON."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=70)
        parser.add_argument("--prefix", default="carga")
        parser.add_argument(
            "--enable-credit-analysis",
            action="store_true",
            help="liga a análise de crédito (e o intervalo de 30 dias, se estiver em zero)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["count"] < 1:
            raise CommandError("--count deve ser maior que zero.")
        if options["enable_credit_analysis"]:
            row = CreditAnalysisSettings.load()
            if not row.enabled or row.requery_interval_days == 0:
                credit_settings_update(
                    user=None,
                    enabled=True,
                    requery_interval_days=row.requery_interval_days or DEFAULT_INTERVAL_DAYS,
                )
        loaded = load_users(count=options["count"], prefix=options["prefix"])
        row = CreditAnalysisSettings.load()
        output = {
            "users": [
                {"username": user.username, "token": token.key, "branch": branch.pk}
                for user, token, branch in loaded
            ],
            "credit_analysis": {
                "enabled": row.enabled,
                "requery_interval_days": row.requery_interval_days,
            },
        }
        self.stdout.write(json.dumps(output))
