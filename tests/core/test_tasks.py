import pytest

from creditcheck.core.tasks import task_ping_db
from tests.factories import BranchFactory


@pytest.mark.celery_worker
def test_task_ping_db_runs_on_real_worker_and_sees_committed_rows(
    celery_worker_process: object, transactional_db: None
) -> None:
    # given two branches committed to the test database
    BranchFactory.create_batch(2)

    # when a worker process runs the task
    result = task_ping_db.delay()

    # then the count it read from the database comes back through the result backend
    assert result.get(timeout=30) == 2
    assert result.successful() is True


def test_task_ping_db_eager_counts_branches(db: None) -> None:
    BranchFactory.create_batch(3)

    assert task_ping_db.delay().get(timeout=5) == 3
