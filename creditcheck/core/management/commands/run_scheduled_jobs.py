"""Run the periodic jobs without Celery beat (embedded mode, `make run`).

In production Celery beat schedules the tasks of settings.CELERY_BEAT_SCHEDULE; without a broker
there is no beat, so `make run` starts this command in the background instead. It runs every
task of that same schedule, so a job added there runs here too. Each job decides for itself
what is due (the daily sweep runs a branch only at its hour), so running them all each round is
safe.
"""

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from creditcheck.celery import app as celery_app


class Command(BaseCommand):
    help = "Executa as rotinas periódicas (negativação, manutenção das consultas, retenção)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--loop", type=int, default=0, help="repete a cada N segundos (0: executa uma vez)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        celery_app.loader.import_default_modules()  # register the tasks, as a worker does
        tasks = [celery_app.tasks[job["task"]] for job in settings.CELERY_BEAT_SCHEDULE.values()]
        while True:
            for task in tasks:
                # The same task function beat would send to a worker, run here in-process.
                task.run()
            if not options["loop"]:
                return
            time.sleep(options["loop"])
