from celery import shared_task

from creditcheck.core.models import Branch


@shared_task
def task_ping_db() -> int:
    """Health probe: proves a worker reaches the application database.

    Returns the number of branches the worker sees; no side effects.
    """
    return Branch.objects.count()
