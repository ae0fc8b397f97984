"""`manage.py ixc_sync [--connection ID]`: sync now (what "Sincronizar agora" does)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from creditcheck.erp.ixc import ixc_sync
from creditcheck.erp.ixc_connections import ixc_run_open
from creditcheck.erp.models import IxcConnection


class Command(BaseCommand):
    help = "Lê do IXCProvedor o que mudou desde a última sincronização."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--connection", type=int, help="id da conexão (padrão: todas ativas)")

    def handle(self, *args: Any, **options: Any) -> None:
        connections = IxcConnection.objects.filter(active=True)
        if options["connection"]:
            connections = connections.filter(pk=options["connection"])
        for connection in connections:
            if (run := ixc_run_open(connection=connection)) is None:
                self.stdout.write(f"{connection.name}: já há uma sincronização em andamento")
                continue
            run = ixc_sync(connection=connection, run=run)
            outcome = "ok" if run.ok else run.message
            self.stdout.write(f"{connection.name}: {outcome} {run.counts}")
