"""The personnel pages an organization's page and a person's page link to (``organizations.links``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from organizations.links import PageLink

from .permissions import VIEW_NOMINATOR_RECORD, VIEW_PERSONNEL
from .selectors import record_paths, record_visible


def organization_links(user, organization) -> list[PageLink]:
    """The nominations register, the planning list and the action program's template, for a reader of them."""
    if VIEW_PERSONNEL not in organization.perms:
        return []
    board = [PageLink(_("Tổng hợp công tác cán bộ"), reverse("personnel:overview", args=[organization.pk]),
                      "personnel-overview")] if VIEW_NOMINATOR_RECORD in organization.perms else []
    return board + [PageLink(_("Sổ giới thiệu nhân sự"), reverse("personnel:nominations", args=[organization.pk]),
                     "nomination-register"),
            PageLink(_("Quy hoạch cán bộ"), reverse("personnel:planning", args=[organization.pk]),
                     "planning-register"),
            PageLink(_("Lấy phiếu tín nhiệm"), reverse("personnel:confidence_votes", args=[organization.pk]),
                     "confidence-register"),
            PageLink(_("Mẫu chương trình hành động"), reverse("personnel:program_template", args=[organization.pk]),
                     "program-template")]


def person_links(user, person) -> list[PageLink]:
    """The nominator's record, for the organization board and the inspection above what they introduced (one
    query): a person who introduced nobody the reader may see has none to offer."""
    if not record_visible(person, record_paths(user)):
        return []
    return [PageLink(_("Quá trình giới thiệu nhân sự"), reverse("personnel:nominator_record", args=[person.pk]),
                     "nominator-record")]
