"""Links that higher apps add to an organization's page and to a person's page.

An organization's page lists the registers kept on it, and a person's page what is recorded about them;
some of those belong to apps above this one (personnel: the nominations register, the planning list, the
nominator's record). Such an app registers a function here in its ``AppConfig.ready()`` returning the links
the reader may follow; nothing here imports upwards, and a link is offered only where its page would open.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PageLink:
    label: str
    url: str
    testid: str = ""


OrganizationLinks = Callable[..., list[PageLink]]  # (user, organization with its ``perms``) -> links
PersonLinks = Callable[..., list[PageLink]]  # (user, person) -> links
_organization: list[OrganizationLinks] = []
_person: list[PersonLinks] = []


def register_organization_links(fn: OrganizationLinks) -> None:
    if fn not in _organization:
        _organization.append(fn)


def register_person_links(fn: PersonLinks) -> None:
    if fn not in _person:
        _person.append(fn)


def organization_links(user, organization) -> list[PageLink]:
    """The links the higher apps offer ``user`` on ``organization``'s page (read from ``organization.perms``)."""
    return [link for fn in _organization for link in fn(user, organization)]


def person_links(user, person) -> list[PageLink]:
    return [link for fn in _person for link in fn(user, person)]
