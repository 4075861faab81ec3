from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Quy chế làm việc, hội nghị, quyết định")

    def ready(self) -> None:
        from common.reasons import register_messages
        from organizations import access
        from organizations.demo import register_demo_step
        from organizations.models import RoleKind
        from organizations.permissions import declare
        from organizations.services import register_path_follower
        from regulations.citations import register_reader_scopes
        from regulations.services import citations_rescope

        from . import rules  # noqa: F401  (its citations register on import)
        from .demo import meetings_and_decisions, working_regulations
        from .permissions import RECORD_DECISIONS, SIGN_DECISIONS
        from .reasons import MESSAGES

        declare("governance", RECORD_DECISIONS, _("Ghi hội nghị, quyết định, quy chế làm việc"),
                roles=[RoleKind.COMMITTEE_STAFF])
        declare("governance", SIGN_DECISIONS, _("Ghi quyết định do chính mình ký (người đứng đầu)"),
                roles=[RoleKind.HEAD])
        # Citing records carry their organization's tree path as their scope.
        register_reader_scopes(lambda user: access.granted_paths(user, access.VIEW))
        # ... and follow their organization when it moves in the tree.
        register_path_follower(citations_rescope)
        register_demo_step(working_regulations)
        register_demo_step(meetings_and_decisions)
        register_messages(MESSAGES)
