from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .access import VIEW, VIEW_DISCIPLINE, perms_anywhere, roles_of


def roles(request: HttpRequest) -> dict:
    """The signed-in user's roles for the navigation bar; no query unless a page uses them.

    ``sees_organizations``: whether the user may see any organization (a member sees only their
    own record), so the menu offers the registers only to those they would open for; ``sees_disciplines``
    likewise for the discipline register, ``sees_personnel`` for the nominations.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_roles": [], "sees_organizations": False, "sees_disciplines": False, "sees_personnel": False}
    held = SimpleLazyObject(lambda: perms_anywhere(user))  # one query for both, only if a page asks
    return {"user_roles": SimpleLazyObject(lambda: list(roles_of(user))),
            "sees_organizations": SimpleLazyObject(lambda: VIEW in held),
            "sees_disciplines": SimpleLazyObject(lambda: VIEW_DISCIPLINE in held),
            # personnel work (``personnel.permissions.VIEW_PERSONNEL``, named here: this app does not import it)
            "sees_personnel": SimpleLazyObject(lambda: "view_personnel" in held)}
