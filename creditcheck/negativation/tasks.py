"""Celery tasks of negativações: thin wrappers around the services."""

import logging

from celery import shared_task
from django.utils import timezone

from creditcheck.core.models import Branch
from creditcheck.negativation.eligibility import branch_rules
from creditcheck.negativation.refusals import NegativationRefused
from creditcheck.negativation.services import (
    negativation_expire,
    negativation_poll,
    negativation_process_sweep_requests,
    negativation_release_noticed,
    negativation_remove_at_platform,
    negativation_remove_for_plans,
    negativation_retry_due,
    negativation_send,
    negativation_sweep,
    sweep_requests_purge,
)

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, ignore_result=True)
def task_send_negativations(*, negativation_ids: list[int]) -> None:
    """Send stored inclusions. Safe to repeat: sending is idempotent per negativação."""
    for negativation_id in negativation_ids:
        negativation_send(negativation_id=negativation_id)


@shared_task(acks_late=True, ignore_result=True)
def task_remove_negativations(*, negativation_ids: list[int]) -> None:
    for negativation_id in negativation_ids:
        negativation_remove_at_platform(negativation_id=negativation_id)


@shared_task(ignore_result=True)
def task_negativation_daily_sweep() -> None:
    """Hourly: each branch with automatic inclusion runs at its configured hour."""
    hour = timezone.localtime().hour
    for branch in Branch.objects.filter(active=True):
        rules = branch_rules(branch.pk)
        if rules.auto_include and rules.run_hour == hour:
            try:
                negativation_sweep(branch=branch)
            except NegativationRefused as refusal:  # the integration is off: no branch sweeps
                logger.info("daily sweep skipped: %s", refusal.code)
                return


@shared_task(ignore_result=True)
def task_negativation_maintenance() -> None:
    """Every few minutes: notices that met their UF's rule, retries due, status polling, 5-year
    expiry."""
    negativation_release_noticed()
    negativation_retry_due()
    try:
        negativation_poll()
    except NegativationRefused as refusal:  # the integration is off: no platform is asked
        logger.info("status polling skipped: %s", refusal.code)
    negativation_expire()
    sweep_requests_purge()


@shared_task(acks_late=True, ignore_result=True)
def task_process_sweep_requests(*, first_id: int, last_id: int) -> None:
    """Turn a slice of the daily sweep's queued requests into negativações."""
    negativation_process_sweep_requests(first_id=first_id, last_id=last_id)


@shared_task(ignore_result=True)
def task_repayment_plan_removals() -> None:
    """Hourly: the negativações of debts in a repayment plan removed from the plan's date."""
    negativation_remove_for_plans()
