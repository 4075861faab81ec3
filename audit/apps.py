from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _install_sqlite_triggers(using: str = "default", **kwargs) -> None:
    """After every migrate (and a test flush): the SQLite triggers are in place."""
    from django.db import connections

    from . import sqlite

    connection = connections[using]
    if "audit_auditentry" in connection.introspection.table_names():
        sqlite.install(connection)


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Nhật ký thao tác")

    def ready(self) -> None:
        post_migrate.connect(_install_sqlite_triggers, sender=self, dispatch_uid="audit.sqlite_triggers")
