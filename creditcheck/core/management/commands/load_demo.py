from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from creditcheck.demo import DEMO_PASSWORD, demo_load

DEFAULT_URL = "http://127.0.0.1:8000"


class Command(BaseCommand):
    help = "Carrega os dados de demonstração (idempotente) e mostra os usuários de acesso."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--url",
            default=DEFAULT_URL,
            help=(
                "Endereço onde a aplicação atende, mostrado com os usuários "
                f"(padrão {DEFAULT_URL}; `make run` passa http://$HOST:$PORT)."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        summary = demo_load()
        created = ", ".join(f"{kind}: {count}" for kind, count in summary.created.items())
        self.stdout.write(f"Dados de demonstração prontos (registros novos — {created}).")
        self.stdout.write("")
        url = str(options["url"]).rstrip("/")
        self.stdout.write(f"Usuários de demonstração ({url}/entrar/):")
        for user in summary.users:
            branches = ", ".join(user.branch_names) or "todas as filiais"
            self.stdout.write(
                f"  {user.username:<11} senha: {DEMO_PASSWORD}   "
                f"perfil: {user.role.label:<13} filiais: {branches}"
            )
