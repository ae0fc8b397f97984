"""Celery application; configuration comes from Django settings (CELERY_* names).

Work is split over three queues so that a flood of one kind never starves another: credit
queries (an attendant is waiting), negativações (legal deadlines) and maintenance (periodic
jobs). `CELERY_QUEUE_PREFIX` namespaces them, so that test runs and benches on a shared Redis
never take each other's tasks.
"""

import os
from typing import Any

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "creditcheck.settings")

app = Celery("creditcheck")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

QUERIES = "queries"
NEGATIVATIONS = "negativations"
MAINTENANCE = "maintenance"
QUEUE_KINDS = (QUERIES, NEGATIVATIONS, MAINTENANCE)

# Task module -> queue kind; a task not listed here goes to maintenance.
_QUEUE_BY_TASK = {
    "creditcheck.analysis.tasks.task_run_credit_query": QUERIES,
    "creditcheck.negativation.tasks.task_send_negativations": NEGATIVATIONS,
    "creditcheck.negativation.tasks.task_remove_negativations": NEGATIVATIONS,
    "creditcheck.negativation.tasks.task_process_sweep_requests": NEGATIVATIONS,
}


def queue_name(kind: str) -> str:
    """The broker queue of `kind`, with this deployment's prefix (read at call time)."""
    return f"{app.conf.get('queue_prefix') or ''}{kind}"


def worker_queues(kinds: tuple[str, ...] = QUEUE_KINDS) -> str:
    """The `celery worker -Q` argument consuming `kinds`."""
    return ",".join(queue_name(kind) for kind in kinds)


def route_task(
    name: str, args: Any, kwargs: Any, options: Any, task: Any = None, **kw: Any
) -> dict[str, str]:
    return {"queue": queue_name(_QUEUE_BY_TASK.get(name, MAINTENANCE))}
