from typing import Any

from django.core.management.base import BaseCommand

from creditcheck.demo import DEMO_PASSWORD, demo_load


class Command(BaseCommand):
    help = "Carrega os dados de demonstração (idempotente) e mostra os usuários de acesso."

    def handle(self, *args: Any, **options: Any) -> None:
        summary = demo_load()
        created = ", ".join(f"{kind}: {count}" for kind, count in summary.created.items())
        self.stdout.write(f"Dados de demonstração prontos (registros novos — {created}).")
        self.stdout.write("")
        self.stdout.write("Usuários de demonstração (http://127.0.0.1:8000/entrar/):")
        for user in summary.users:
            branches = ", ".join(user.branch_names) or "todas as filiais"
            self.stdout.write(
                f"  {user.username:<11} senha: {DEMO_PASSWORD}   "
                f"perfil: {user.role.label:<13} filiais: {branches}"
            )
