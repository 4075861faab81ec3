import ipaddress

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.deprecation import MiddlewareMixin
from django.utils.html import format_html
from django.utils.translation import gettext as _

from common import csp


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Vietnamese unless the user chose another language with the switch.

    The browser's Accept-Language is ignored on purpose: many officials' browsers
    are set to English, and the portal's default language is Vietnamese.
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request: HttpRequest, response):
        response = super().process_response(request, response)
        # The page is rendered: leave the thread in the default language, so that work done
        # outside a request (a task, a command) never speaks the last reader's language.
        translation.activate(settings.LANGUAGE_CODE)
        return response


def _has_nul(data: QueryDict) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in data.lists())


class RefuseNulMiddleware(MiddlewareMixin):
    """Answer 400 when the path, a query value or a posted value contains a NUL character.

    No form or model wants one, PostgreSQL refuses it in text, and a view that
    passes it on fails with a 500. The posted values are read in
    ``process_view``, once the view is known, so that an upload handler can
    apply that view's size limit while the body is read.
    """

    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        if "\x00" in request.path or _has_nul(request.GET):
            return self.refuse()
        return None

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        if request.method == "POST" and _has_nul(request.POST):
            return self.refuse()
        return None

    @staticmethod
    def refuse() -> HttpResponse:
        message = _("Dữ liệu gửi lên có ký tự không hợp lệ.")
        return HttpResponseBadRequest(format_html(
            '<!doctype html><html lang="{}"><head><meta charset="utf-8"><title>{}</title></head>'
            "<body><p>{}</p></body></html>", translation.get_language(), message, message))


def axes_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The username django-axes records for a login attempt, cut to its column.

    Django's login form hands any length to ``authenticate()``, and axes
    writes it to a 255-character column: on PostgreSQL a longer one was a 500
    on the login page. No account has a longer name (150 characters at most).
    """
    username = (credentials or {}).get("username") if credentials else request.POST.get("username")
    return None if username is None else str(username)[:255]


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, as django-axes records it for a login attempt.

    With no reverse proxy (``TRUSTED_PROXY_COUNT = 0``) it is REMOTE_ADDR, and
    X-Forwarded-For is ignored: any client can write that header. Behind
    ``TRUSTED_PROXY_COUNT`` proxies, each appending the address it received the
    request from, the client is the rightmost address that no trusted proxy
    wrote: the N-th from the right. What the client itself put further left
    is never read. A header shorter than that, or not an address, falls back
    to REMOTE_ADDR (the nearest proxy).
    """
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < count:
        return remote
    candidate = hops[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


class CspNonceMiddleware:
    """While a request is handled, markup the portal writes (a chart) can read its CSP nonce (common.csp).

    After django-csp's middleware, which gives the request its lazy ``csp_nonce``.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = csp.set_nonce(lambda: str(request.csp_nonce) if hasattr(request, "csp_nonce") else "")
        try:
            return self.get_response(request)
        finally:
            csp.reset_nonce(token)
