"""manage.py rebuild_query_usage [--since AAAA-MM-DD]: recompute the daily usage figures."""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from creditcheck.costs.usage import usage_rebuild


class Command(BaseCommand):
    help = "Recalcula o uso diário de consultas (Relatórios > Custos) a partir das consultas."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--since", type=dt.date.fromisoformat, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        written = usage_rebuild(since=options["since"])
        self.stdout.write(f"Uso diário recalculado: {written} linhas.")
