"""Where background work runs: on a Celery worker, or right here in embedded mode.

Without a broker (CELERY_TASK_ALWAYS_EAGER) the task's function is called in this process, the
same code a worker runs, without Celery's eager-execution machinery around it.
"""

from typing import Any

from celery import Task


def enqueue(task: Task, **kwargs: Any) -> None:  # type: ignore[type-arg]
    if task.app.conf.task_always_eager:
        task.run(**kwargs)
    else:
        task.apply_async(kwargs=kwargs)
