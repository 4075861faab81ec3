"""Thin Celery tasks of the review: they call a service."""

from celery import shared_task

from .reminders import reminders_send


@shared_task(name="assessments.remind")
def remind() -> dict:
    return reminders_send()
