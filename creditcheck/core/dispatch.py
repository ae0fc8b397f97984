"""Where background work runs: on a Celery worker, or right here in embedded mode.

Without a broker (CELERY_TASK_ALWAYS_EAGER) the task's function is called in this process, the
same code a worker runs, without Celery's eager-execution machinery around it: on a background
thread (EMBEDDED_BACKGROUND_TASKS, the embedded mode of `make run`), so the request that stored
the row answers at once and the platform call runs off it, as a worker would run it; or inline
when that is off (the SQLite test tier). Callers enqueue after their transaction commits, so
the thread finds the row. A process that stops before the thread ran or finished leaves the row
pending or running: the maintenance jobs (`run_scheduled_jobs`) re-send a pending one and close
a running one as interrupted, never calling the platform twice.

With a broker, a message that cannot be published (the broker is down or restarting) is logged
and dropped: the row the task works on is already stored (pending query, requested negativação),
and the maintenance jobs enqueue again what stayed unprocessed. The request that stored it
answers normally instead of failing after its data was saved.
"""

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from celery import Task
from django.conf import settings
from django.db import close_old_connections, connections
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)

# Two attempts, each bounded by the broker's connect timeout (settings: 2 s), so a request
# never hangs for long on a broker that is down or drops packets: maintenance re-sends anyway.
PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}


# A few threads: several attendants' queries run at once, as on a small worker pool.
_background = ThreadPoolExecutor(max_workers=4, thread_name_prefix="embedded-task")


def enqueue(task: Task, **kwargs: Any) -> None:  # type: ignore[type-arg]
    if task.app.conf.task_always_eager:
        if settings.EMBEDDED_BACKGROUND_TASKS:
            _background.submit(_run_in_background, task, kwargs)
        else:
            task.run(**kwargs)
        return
    try:
        task.apply_async(kwargs=kwargs, retry=True, retry_policy=PUBLISH_RETRY_POLICY)
    except OperationalError as exc:
        logger.error(
            "broker unavailable: %s %s not enqueued (%s); maintenance will enqueue it again",
            task.name,
            kwargs,
            exc,
        )


def _run_in_background(task: Task, kwargs: dict[str, Any]) -> None:  # type: ignore[type-arg]
    """One task on a background thread, with database connections of its own (closed after)."""
    close_old_connections()
    try:
        task.run(**kwargs)
    except Exception:  # the services end their rows visibly; this only keeps the thread alive
        logger.exception("background task %s %s crashed", task.name, kwargs)
    finally:
        connections.close_all()
