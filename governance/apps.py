from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Quy chế làm việc, hội nghị, quyết định")

    def ready(self) -> None:
        from organizations.demo import register_demo_step
        from organizations.models import RoleKind
        from organizations.permissions import declare
        from regulations.citations import register_cited_by

        from . import rules  # noqa: F401  (its citations register on import)
        from .demo import working_regulations
        from .permissions import RECORD_DECISIONS
        from .selectors import matters_citing

        declare("governance", RECORD_DECISIONS, _("Ghi hội nghị, quyết định, quy chế làm việc"),
                roles=[RoleKind.COMMITTEE_STAFF])
        register_cited_by(matters_citing)
        register_demo_step(working_regulations)
