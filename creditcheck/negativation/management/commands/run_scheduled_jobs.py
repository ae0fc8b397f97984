"""Run the periodic negativação jobs without Celery beat (embedded mode, `make run`).

In production Celery beat schedules the same tasks (settings.CELERY_BEAT_SCHEDULE); without a
broker there is no beat, so `make run` starts this command in the background instead.
"""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from creditcheck.compliance.tasks import task_retention_purge
from creditcheck.negativation.tasks import (
    task_negativation_daily_sweep,
    task_negativation_maintenance,
)


class Command(BaseCommand):
    help = "Executa as rotinas periódicas de negativação (rotina diária e manutenção)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--loop", type=int, default=0, help="repete a cada N segundos (0: executa uma vez)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            # The same task functions beat would send to a worker, run here in-process.
            task_negativation_daily_sweep.run()
            task_negativation_maintenance.run()
            task_retention_purge.run()
            if not options["loop"]:
                return
            time.sleep(options["loop"])
