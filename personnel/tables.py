"""The tables of the nomination registers and of the nominator's record (see ``common.tables``)."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.tables import ChoicesColumn, DateColumn, PortalTable

from .models import (
    LATER_EVENTS,
    EntryKind,
    Nomination,
    NominationKind,
    NominationState,
    ResponsibilityEntry,
    Source,
)
from .selectors import data_names, data_rows, entry_hidden, step_name

STATE_BADGES = {NominationState.APPOINTED: "success", NominationState.REJECTED: "danger",
                NominationState.WITHDRAWN: "secondary", NominationState.SELECTED: "primary"}


class NominationTable(PortalTable):
    kind = ChoicesColumn(NominationKind.choices, verbose_name=_("Loại"))
    position = tables.Column(verbose_name=_("Chức danh"), accessor="position__title",
                             order_by=("position__rank", "position__title"))
    target = tables.Column(verbose_name=_("Nơi có chức danh"), accessor="target__name")
    nominee = tables.Column(verbose_name=_("Người được giới thiệu"), accessor="nominee__full_name",
                            linkify=lambda record: record.get_absolute_url(),
                            order_by=("nominee__sort_name", "nominee__full_name"))
    nominator = tables.Column(verbose_name=_("Người giới thiệu"), accessor="nominator__full_name",
                              default="—")
    source = ChoicesColumn(Source.choices, verbose_name=_("Nguồn"))
    step = tables.Column(verbose_name=_("Bước hiện tại"), accessor="current_step", empty_values=())
    state = ChoicesColumn(NominationState.choices, verbose_name=_("Trạng thái"))
    introduced_on = DateColumn(verbose_name=_("Ngày giới thiệu"))
    closed_on = DateColumn(verbose_name=_("Ngày kết thúc"))

    class Meta(PortalTable.Meta):
        model = Nomination
        fields = ("kind", "position", "target", "nominee", "nominator", "source", "step", "state",
                  "introduced_on", "closed_on")
        order_by = ("-created_at",)

    def render_step(self, record) -> str:
        return step_name(record, record.current_step) or "—"

    def value_step(self, record) -> str:
        return step_name(record, record.current_step)

    def render_state(self, record, column):
        return format_html('<span class="badge text-bg-{}">{}</span>', STATE_BADGES.get(record.state, "light"),
                           column.label(record.state))

    def value_state(self, record, column) -> str:
        return column.label(record.state)


class MadeTable(PortalTable):
    """The nominator's record: what they introduced, with the organization and post they held that day and
    how many later events of the nominee the ledger holds (annotated ``later``)."""

    introduced_on = DateColumn(verbose_name=_("Ngày giới thiệu"))
    kind = ChoicesColumn(NominationKind.choices, verbose_name=_("Loại"))
    nominee = tables.Column(verbose_name=_("Người được giới thiệu"), accessor="nominee__full_name",
                            linkify=lambda record: record.get_absolute_url(),
                            order_by=("nominee__sort_name", "nominee__full_name"))
    position = tables.Column(verbose_name=_("Chức danh"), accessor="position__title",
                             order_by=("position__rank", "position__title"))
    target = tables.Column(verbose_name=_("Nơi có chức danh"), accessor="target__name")
    tenure = tables.Column(verbose_name=_("Tổ chức, chức vụ của người giới thiệu khi giới thiệu"),
                           empty_values=(), orderable=False, accessor="pk")
    state = ChoicesColumn(NominationState.choices, verbose_name=_("Trạng thái"))
    later = tables.Column(verbose_name=_("Sự kiện sau đó"), attrs={"td": {"class": "text-end"}})

    class Meta(PortalTable.Meta):
        model = Nomination
        fields = ("introduced_on", "kind", "nominee", "position", "target", "tenure", "state", "later")
        order_by = ("-introduced_on",)
        attrs = {**PortalTable.Meta.attrs, "data-testid": "made"}
        row_attrs = {"class": lambda record: "table-warning" if record.later else "",
                     "data-has-later": lambda record: "1" if record.later else ""}

    def _tenure(self, record) -> str:
        held = _tenure_text(record)
        return f"{record.organization.name} — {held}" if held else record.organization.name

    def render_tenure(self, record) -> str:
        return self._tenure(record)

    def value_tenure(self, record) -> str:
        return self._tenure(record)

    def render_later(self, value):
        if not value:
            return "—"
        return format_html('<span class="badge text-bg-warning">{}</span>',
                           ngettext("%(n)s sự kiện", "%(n)s sự kiện", value) % {"n": value})


def _tenure_text(nomination: Nomination) -> str:
    tenure = nomination.nominator_tenure
    if tenure is None:
        return ""
    return f"{tenure.position.title} {tenure.organization.name}"


class RecordTable(PortalTable):
    """The nominator's record: every ledger entry attached to them, newest first, later events highlighted."""

    occurred_on = DateColumn(verbose_name=_("Ngày"))
    event = ChoicesColumn(EntryKind.choices, verbose_name=_("Sự kiện"), accessor="kind")
    nominee = tables.Column(verbose_name=_("Người được giới thiệu"), accessor="nominee__full_name",
                            linkify=lambda record: reverse("personnel:nomination", args=[record.nomination_id]),
                            order_by=("nominee__sort_name", "nominee__full_name"))
    kind = ChoicesColumn(NominationKind.choices, verbose_name=_("Loại"), accessor="nomination__kind")
    position = tables.Column(verbose_name=_("Chức danh"), accessor="nomination__position__title")
    target = tables.Column(verbose_name=_("Nơi có chức danh"), accessor="nomination__target__name")
    tenure = tables.Column(verbose_name=_("Chức vụ của người giới thiệu khi giới thiệu"), empty_values=(),
                           orderable=False, accessor="nomination")
    state = ChoicesColumn(NominationState.choices, verbose_name=_("Trạng thái giới thiệu"),
                          accessor="nomination__state")
    details = tables.Column(verbose_name=_("Nội dung"), empty_values=(), orderable=False, accessor="data")
    seq = tables.Column(verbose_name=_("Số bút toán"), attrs={"td": {"class": "text-end"}})

    class Meta(PortalTable.Meta):
        model = ResponsibilityEntry
        fields = ("occurred_on", "event", "nominee", "kind", "position", "target", "tenure", "state", "details",
                  "seq")
        order_by = ("-occurred_on",)
        attrs = {**PortalTable.Meta.attrs, "data-testid": "events"}
        row_attrs = {"class": lambda record: "table-warning" if record.kind in LATER_EVENTS else "",
                     "data-later-event": lambda record: "1" if record.kind in LATER_EVENTS else ""}

    def __init__(self, *args, confidential_paths=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.confidential_paths = confidential_paths
        self._names: dict = {}
        self._named: set[int] = set()

    def _entry_names(self, record) -> dict:
        """The names the shown entries' data point to: read for the page's rows when the first is drawn, and
        for every row when a row beyond the page is (the export): one query a kind of row each time."""
        if record.pk not in self._named:
            on_page = hasattr(self, "page") and not self._named
            records = [row.record for row in self.page.object_list] if on_page else list(self.data)
            self._names = data_names(r.data for r in records
                                     if not entry_hidden(r, r.nomination, self.confidential_paths))
            self._named = {r.pk for r in records}
        return self._names

    def render_event(self, record, column):
        if record.kind in LATER_EVENTS:
            return format_html('<span class="badge text-bg-warning">{}</span>', column.label(record.kind))
        return column.label(record.kind)

    def value_event(self, record, column) -> str:
        return column.label(record.kind)

    def render_tenure(self, record) -> str:
        return _tenure_text(record.nomination) or "—"

    def value_tenure(self, record) -> str:
        return _tenure_text(record.nomination)

    def _details(self, record) -> str:
        if entry_hidden(record, record.nomination, self.confidential_paths):
            return str(_("Kết quả không công bố"))
        return "; ".join(f"{k}: {v}" for k, v in data_rows(record.data, self._entry_names(record)))

    def render_details(self, record) -> str:
        return self._details(record) or "—"

    def value_details(self, record) -> str:
        return self._details(record)
