"""The Content-Security-Policy nonce of the response being rendered, for markup the portal itself writes.

The policy (``portal.settings.CONTENT_SECURITY_POLICY``) refuses inline
``<style>`` elements; the SVG charts drawn on the server carry one each. While
a request is handled, ``portal.middleware.CspNonceMiddleware`` makes that
request's nonce available here, and a chart rendered into the page stamps it
on its ``<style>`` (``NoncedMarkup``); outside a request (a PDF) there is none.
The nonce is read lazily, so django-csp puts it in the header only when a page
used it.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar, Token

_nonce: ContextVar[Callable[[], str] | None] = ContextVar("csp_nonce", default=None)


def set_nonce(getter: Callable[[], str] | None) -> Token:
    return _nonce.set(getter)


def reset_nonce(token: Token) -> None:
    _nonce.reset(token)


def current_nonce() -> str | None:
    getter = _nonce.get()
    return getter() if getter is not None else None


class NoncedMarkup(str):
    """Trusted markup (a chart's SVG) whose ``<style>`` elements get the current response's nonce when it is
    written out (``str()``, as the ``safe`` filter does, or ``__html__``); outside a request it is unchanged."""

    def __str__(self) -> str:
        markup = super().__str__()
        nonce = current_nonce()
        return markup.replace("<style", f'<style nonce="{nonce}"') if nonce else markup

    __html__ = __str__
