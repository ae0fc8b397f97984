"""Workers merely behind: the maintenance job re-sends a pending query once, not every round.

Needs a real broker (tier 2): the messages are published to Redis under a queue prefix no worker
consumes, and counted there.
"""

import datetime as dt
import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import redis
from django.contrib.auth.models import User

from creditcheck.analysis.models import CreditQuery
from creditcheck.analysis.services import REQUEUE_PENDING_AFTER, credit_query_requeue_pending
from creditcheck.celery import QUERIES, queue_name
from creditcheck.celery import app as celery_app
from creditcheck.core.models import Branch
from providers.sandbox.scenarios import CLEAN_CPF
from providers.sandbox.server import RunningSandbox
from tests.analysis.test_maintenance import _lost
from tests.credit_setup import integration_on


@pytest.fixture
def unconsumed_prefix() -> Iterator[str]:
    previous = celery_app.conf.queue_prefix
    celery_app.conf.queue_prefix = f"test-backlog-{uuid.uuid4().hex[:8]}-"
    yield celery_app.conf.queue_prefix
    celery_app.conf.queue_prefix = previous


def _queued() -> int:
    broker = redis.Redis.from_url(os.environ["CELERY_BROKER_URL"])
    return int(broker.llen(queue_name(QUERIES)))


@pytest.mark.celery_worker
@pytest.mark.django_db
def test_a_pending_query_is_sent_again_once_per_period(
    unconsumed_prefix: str,
    attendant: User,
    branch: Branch,
    sandbox: RunningSandbox,
    django_capture_on_commit_callbacks: Any,
) -> None:
    integration_on(branch, sandbox)
    query = _lost(attendant, branch, CLEAN_CPF, django_capture_on_commit_callbacks)
    CreditQuery.objects.filter(pk=query.pk).update(
        created_at=query.created_at - REQUEUE_PENDING_AFTER - dt.timedelta(seconds=1)
    )

    first = credit_query_requeue_pending()
    second = credit_query_requeue_pending()

    assert (first, second) == ((1, 0), (0, 0))
    assert _queued() == 1
    redis.Redis.from_url(os.environ["CELERY_BROKER_URL"]).delete(queue_name(QUERIES))
