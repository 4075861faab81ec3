from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Tổ chức, đảng viên")

    def ready(self) -> None:
        from regulations.citations import register_cited_by

        from . import rules  # noqa: F401  (its citations register on import)
        from .selectors import matters_citing

        register_cited_by(matters_citing)
