"""Thin Celery tasks of the organizations app: they call a service."""

from celery import shared_task

from common.actors import SYSTEM

from .services import member_imports_purge


@shared_task(name="organizations.purge_imports")
def purge_imports() -> dict[str, list[int]]:
    return member_imports_purge(actor=SYSTEM)
