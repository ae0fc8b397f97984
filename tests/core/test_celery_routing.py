"""Which broker queue each task goes to (creditcheck/celery.py)."""

from collections.abc import Iterator

import pytest

from creditcheck.celery import app as celery_app
from creditcheck.celery import route_task, worker_queues


@pytest.fixture
def prefix() -> Iterator[str]:
    previous = celery_app.conf.queue_prefix
    celery_app.conf.queue_prefix = "p-"
    yield "p-"
    celery_app.conf.queue_prefix = previous


@pytest.mark.parametrize(
    ("task", "queue"),
    [
        ("creditcheck.analysis.tasks.task_run_credit_query", "p-queries"),
        ("creditcheck.negativation.tasks.task_send_negativations", "p-negativations"),
        ("creditcheck.negativation.tasks.task_remove_negativations", "p-negativations"),
        ("creditcheck.negativation.tasks.task_process_sweep_requests", "p-negativations"),
        ("creditcheck.negativation.tasks.task_negativation_maintenance", "p-maintenance"),
        ("creditcheck.negativation.tasks.task_repayment_plan_removals", "p-maintenance"),
        ("creditcheck.notices.tasks.task_dunning_run", "p-maintenance"),
        ("creditcheck.compliance.tasks.task_retention_purge", "p-maintenance"),
        ("creditcheck.core.tasks.task_ping_db", "p-maintenance"),
    ],
)
def test_each_task_goes_to_its_queue(prefix: str, task: str, queue: str) -> None:
    celery_app.loader.import_default_modules()  # what a worker does at start: autodiscovery
    assert task in celery_app.tasks
    assert route_task(task, (), {}, {}) == {"queue": queue}
    assert celery_app.amqp.router.route({}, task)["queue"].name == queue


def test_a_worker_consumes_every_queue_of_its_prefix(prefix: str) -> None:
    assert worker_queues() == "p-queries,p-negativations,p-maintenance"
    assert worker_queues(("queries",)) == "p-queries"
