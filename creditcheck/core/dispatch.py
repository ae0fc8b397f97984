"""Where background work runs: on a Celery worker, or right here in embedded mode.

Without a broker (CELERY_TASK_ALWAYS_EAGER) the task's function is called in this process, the
same code a worker runs, without Celery's eager-execution machinery around it.

With a broker, a message that cannot be published (the broker is down or restarting) is logged
and dropped: the row the task works on is already stored (pending query, requested negativação),
and the maintenance jobs enqueue again what stayed unprocessed. The request that stored it
answers normally instead of failing after its data was saved.
"""

import logging
from typing import Any

from celery import Task
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


def enqueue(task: Task, **kwargs: Any) -> None:  # type: ignore[type-arg]
    if task.app.conf.task_always_eager:
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
