from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .access import roles_of


def roles(request: HttpRequest) -> dict:
    """The signed-in user's roles for the navigation bar; no query unless a page uses them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_roles": []}
    return {"user_roles": SimpleLazyObject(lambda: list(roles_of(user)))}
