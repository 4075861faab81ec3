from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = _("Công việc chạy nền")

    def ready(self) -> None:
        from common.reasons import register_messages

        from .reasons import MESSAGES

        register_messages(MESSAGES)
