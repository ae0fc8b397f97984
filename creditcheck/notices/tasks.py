"""Celery tasks of notices: thin wrappers around the services."""

from celery import shared_task

from creditcheck.notices.dunning import dunning_run


@shared_task(ignore_result=True)
def task_dunning_run() -> None:
    """Hourly: the dunning ruler's messages due today (each step once per invoice)."""
    dunning_run()
