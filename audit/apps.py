from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _install_append_only(using: str = "default", **kwargs) -> None:
    """After every migrate (and a test flush): every append-only table refuses changes (``audit.appendonly``)."""
    from . import appendonly

    appendonly.install(using)


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Nhật ký thao tác")

    def ready(self) -> None:
        post_migrate.connect(_install_append_only, sender=self, dispatch_uid="audit.append_only")
