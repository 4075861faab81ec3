from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegulationsConfig(AppConfig):
    name = "regulations"
    verbose_name = _("Văn bản quy định")

    def ready(self) -> None:
        from common.reasons import register_citation_text, register_messages

        from .citations import citation_text
        from .reasons import MESSAGES

        register_citation_text(citation_text)
        register_messages(MESSAGES)
