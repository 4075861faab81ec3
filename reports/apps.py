from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Báo cáo")

    def ready(self) -> None:
        from common.reasons import register_messages

        from . import services  # noqa: F401  (registers the job kind)
        from .reasons import MESSAGES

        register_messages(MESSAGES)
