"""The organization board's personnel view of a subtree: nominations in progress by kind and step, the ones
whose step is overdue, the ones that went on past a warning, recent confidence votes over a threshold, and the
nominators whose appointees later had an adverse event. Each table pages, sorts and exports on its own
(``common.tables.tables_response``); the page costs the same queries whatever the subtree."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import django_tables2 as tables
from django.conf import settings
from django.db.models import Count, Max, Q
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.tables import ChoicesColumn, DateColumn, PortalTable, tables_response
from organizations import access
from organizations.models import today

from .confidence_views import ResultTable
from .models import (
    LATER_EVENTS,
    ConfidenceOutcome,
    ConfidenceResult,
    EntryKind,
    Nomination,
    NominationKind,
    NominationState,
    ResponsibilityEntry,
)
from .permissions import VIEW_NOMINATOR_RECORD
from .selectors import step_name

IN_PROGRESS = (NominationState.INTRODUCED, NominationState.AT_STEP, NominationState.SELECTED)
RECENT_DAYS = 365


class ByStepTable(PortalTable):
    kind = ChoicesColumn(NominationKind.choices, verbose_name=_("Loại"))
    current_step = tables.Column(verbose_name=_("Bước hiện tại"))
    n = tables.Column(verbose_name=_("Số hồ sơ"), attrs={"td": {"class": "text-end"}})

    class Meta(PortalTable.Meta):
        order_by = ("kind", "current_step")

    def _step(self, record) -> str:
        # Named as the other tables name it (the steps of the kind from its source).
        return step_name(SimpleNamespace(kind=record["kind"], source=record["source"]), record["current_step"])

    def render_current_step(self, record) -> str:
        return self._step(record) or "—"

    def value_current_step(self, record) -> str:
        return self._step(record)


class OverdueTable(PortalTable):
    nominee = tables.Column(verbose_name=_("Người được giới thiệu"), accessor="nominee__full_name",
                            linkify=lambda record: record.get_absolute_url(),
                            order_by=("nominee__sort_name", "nominee__full_name"))
    organization = tables.Column(verbose_name=_("Tổ chức giới thiệu"), accessor="organization__name")
    kind = ChoicesColumn(NominationKind.choices, verbose_name=_("Loại"))
    step = tables.Column(verbose_name=_("Bước hiện tại"), accessor="current_step", empty_values=())
    since = DateColumn(verbose_name=_("Từ ngày"))

    class Meta(PortalTable.Meta):
        model = Nomination
        fields = ("nominee", "organization", "kind", "step", "since")
        order_by = ("since",)

    def render_step(self, record) -> str:
        return step_name(record, record.current_step) or "—"

    def value_step(self, record) -> str:
        return step_name(record, record.current_step)


class WarnedTable(PortalTable):
    nominee = tables.Column(verbose_name=_("Người được giới thiệu"), accessor="nominee__full_name",
                            linkify=lambda record: record.get_absolute_url(),
                            order_by=("nominee__sort_name", "nominee__full_name"))
    organization = tables.Column(verbose_name=_("Tổ chức giới thiệu"), accessor="organization__name")
    state = ChoicesColumn(NominationState.choices, verbose_name=_("Trạng thái"))
    explained = tables.Column(verbose_name=_("Số lần giải trình"), attrs={"td": {"class": "text-end"}})
    last_explained = DateColumn(verbose_name=_("Lần gần nhất"))

    class Meta(PortalTable.Meta):
        model = Nomination
        fields = ("nominee", "organization", "state", "explained", "last_explained")
        order_by = ("-last_explained",)


class LowConfidenceTable(ResultTable):
    """The confidence register's table, without the counts the threshold does not read."""

    class Meta(ResultTable.Meta):
        exclude = ("high", "confidence", "invalid")
        attrs = PortalTable.Meta.attrs


class AdverseTable(PortalTable):
    nominator = tables.Column(verbose_name=_("Người giới thiệu"), accessor="nominator__full_name",
                              linkify=lambda record: reverse("personnel:nominator_record",
                                                             args=[record["nominator_id"]]))
    events = tables.Column(verbose_name=_("Số sự kiện sau đó"), attrs={"td": {"class": "text-end"}})
    appointees = tables.Column(verbose_name=_("Số người được giới thiệu"), attrs={"td": {"class": "text-end"}})
    last = DateColumn(verbose_name=_("Gần nhất"))

    class Meta(PortalTable.Meta):
        order_by = ("-events",)


def overview(request: HttpRequest, pk: int) -> HttpResponse:
    """The personnel view of ``pk``'s subtree, for the organization board and the inspection committee."""
    org = access.get_organization_for(request, pk, VIEW_NOMINATOR_RECORD)
    on = today()
    due = on - dt.timedelta(days=settings.PERSONNEL_STEP_DUE_DAYS)
    open_here = Nomination.objects.in_subtree(org).filter(state__in=IN_PROGRESS)
    by_step = open_here.order_by().values("kind", "source", "current_step").annotate(n=Count("pk"))
    overdue = (open_here.annotate(since=Coalesce(Max("steps__held_on"), "introduced_on"))
               .filter(since__lt=due).select_related("nominee", "organization"))
    warned = (Nomination.objects.in_subtree(org)
              .annotate(explained=Count("ledger", filter=Q(ledger__kind=EntryKind.STANDARDS_EXPLAINED)),
                        last_explained=Max("ledger__occurred_on",
                                           filter=Q(ledger__kind=EntryKind.STANDARDS_EXPLAINED)))
              .filter(explained__gt=0).select_related("nominee", "organization"))
    low = (ConfidenceResult.objects.filter(vote__organization__path__startswith=org.path,
                                           vote__held_on__gte=on - dt.timedelta(days=RECENT_DAYS))
           .exclude(outcome=ConfidenceOutcome.OK).select_related("vote__organization", "person", "tenure__position"))
    adverse = (ResponsibilityEntry.objects.filter(organization__path__startswith=org.path, kind__in=LATER_EVENTS,
                                                  nominator__isnull=False)
               .order_by().values("nominator_id", "nominator__full_name")
               .annotate(events=Count("pk"), appointees=Count("nominee_id", distinct=True),
                         last=Max("occurred_on")))
    named = {"steps": ByStepTable(by_step), "overdue": OverdueTable(overdue), "warned": WarnedTable(warned),
             "confidence": LowConfidenceTable(low), "adverse": AdverseTable(adverse)}
    return tables_response(request, named, "personnel/overview.html", {
        "org": org, "due_days": settings.PERSONNEL_STEP_DUE_DAYS, "recent_days": RECENT_DAYS},
        filename="tong-hop-cong-tac-can-bo")
