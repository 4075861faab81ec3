"""The ledger's page for the organization board: its signed checkpoints, signing one now, countersigning.

Thin: the board's organizations come from ``organizations.access``, input through a form, the acts through
``personnel.checkpoints``, which authorizes again. A reader without the countersigning permission anywhere gets
404: the page does not exist for them.
"""

from __future__ import annotations

import django_tables2 as tables
from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from audit.appendonly import ChainHead
from common.ids import parse_pk
from common.reasons import Refused
from common.tables import PortalDateFilter, PortalFilterSet, PortalTable, list_response
from organizations import access
from organizations.models import Organization

from . import checkpoints
from .models import LedgerCheckpoint
from .permissions import COUNTERSIGN


def _boards(request: HttpRequest) -> list[Organization]:
    """Where the reader's organization board sits (404 when nowhere)."""
    boards = checkpoints.board_organizations(request.user)
    if not boards:
        raise Http404
    return boards


class BoardForm(forms.Form):
    """The organization whose board acts (a hidden field of the page's buttons)."""

    organization = forms.IntegerField(min_value=1, max_value=2**63 - 1)


class CountersignForm(BoardForm):
    statement_hash = forms.RegexField(regex=r"^[0-9a-f]{64}$", max_length=64)


# --- the list ----------------------------------------------------------------------------------------------


class CheckpointFilter(PortalFilterSet):
    date_from = PortalDateFilter(field_name="signed_at", lookup_expr="date__gte", label=gettext_lazy("Ký từ ngày"))
    date_to = PortalDateFilter(field_name="signed_at", lookup_expr="date__lte", label=gettext_lazy("Đến ngày"))

    class Meta:
        model = LedgerCheckpoint
        fields: list[str] = []


class CheckpointTable(PortalTable):
    """Each checkpoint: when, how many entries, the head hash, the key, whether its signature verifies, and who
    countersigned it; the last column, the reader's board's countersign button."""

    signed_at = tables.DateTimeColumn(verbose_name=gettext_lazy("Thời điểm ký"), short=True)
    size = tables.Column(verbose_name=gettext_lazy("Số bút toán"), attrs={"td": {"class": "text-end"}})
    head_hash = tables.Column(verbose_name=gettext_lazy("Mã băm cuối"), orderable=False)
    key_id = tables.Column(verbose_name=gettext_lazy("Mã khóa"), orderable=False)
    signature = tables.Column(verbose_name=gettext_lazy("Chữ ký"), empty_values=(), orderable=False)
    countersigned = tables.Column(verbose_name=gettext_lazy("Ký xác nhận"), empty_values=(), orderable=False)
    actions = tables.Column(verbose_name="", empty_values=(), orderable=False, exclude_from_export=True)

    class Meta(PortalTable.Meta):
        model = LedgerCheckpoint
        fields = ("signed_at", "size", "head_hash", "key_id", "signature", "countersigned", "actions")
        order_by = ("-signed_at",)
        empty_text = gettext_lazy("Chưa có điểm kiểm chứng nào.")

    def __init__(self, *args, boards: list[Organization], key, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.boards = boards
        self.key = key  # the deployment's public key, or None

    def render_size(self, value) -> str:
        return number_format(value, force_grouping=True)

    def value_size(self, value) -> int:
        return value

    def value_head_hash(self, value) -> str:
        return value

    def value_key_id(self, value) -> str:
        return value

    def render_head_hash(self, value) -> str:
        return format_html('<code title="{}">{}…</code>', value, value[:16])

    def render_key_id(self, value) -> str:
        return format_html('<code title="{}">{}</code>', value, value[:12])

    def _valid(self, record) -> bool | None:
        return checkpoints.signature_valid(record, self.key) if self.key is not None else None

    def render_signature(self, record) -> str:
        valid = self._valid(record)
        if valid is None:
            return format_html('<span class="badge text-bg-secondary">{}</span>', _("Chưa kiểm tra được"))
        if valid:
            return format_html('<span class="badge text-bg-success">{}</span>', _("Hợp lệ"))
        return format_html('<span class="badge text-bg-danger">{}</span>', _("Không hợp lệ"))

    def value_signature(self, record) -> str:
        valid = self._valid(record)
        return _("Chưa kiểm tra được") if valid is None else _("Hợp lệ") if valid else _("Không hợp lệ")

    def _signed(self, record) -> list:
        return list(record.countersignatures.all())  # prefetched

    def render_countersigned(self, record) -> str:
        rows = self._signed(record)
        if not rows:
            return "—"
        return format_html_join(mark_safe("<br>"), "{} <span class=\"text-muted small\">({}, {})</span>", (
            (s.organization.name, s.signed_by.get_full_name() or s.signed_by.get_username(),
             _local(s.signed_at)) for s in rows))

    def value_countersigned(self, record) -> str:
        return "; ".join(f"{s.organization.name} ({_local(s.signed_at)})" for s in self._signed(record))

    def render_actions(self, record) -> str:
        done = {s.organization_id for s in self._signed(record)}
        pending = [b for b in self.boards if b.pk not in done]
        if not pending or self._valid(record) is not True:
            return ""
        return render_to_string("personnel/ledger/_countersign.html", {
            "record": record, "boards": pending, "statement_hash": checkpoints.statement_hash(record)},
            request=self.request)


def _local(value) -> str:
    return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


def ledger(request: HttpRequest) -> HttpResponse:
    """The ledger's checkpoints, for the organization board: filtered, sorted, exported."""
    boards = _boards(request)
    key = checkpoints.public_key()
    rows = LedgerCheckpoint.objects.prefetch_related("countersignatures__organization",
                                                     "countersignatures__signed_by")
    filters = CheckpointFilter(request.GET, queryset=rows)
    table = CheckpointTable(filters.qs, boards=boards, key=key)
    head = ChainHead.objects.filter(name=checkpoints.CHAIN).first()
    return list_response(request, table, "personnel/ledger/ledger.html", {
        "filter": filters, "boards": boards, "head": head, "key_id": checkpoints.key_id_of(key) if key else "",
        "size": number_format(head.size if head else 0, force_grouping=True),
    }, filename="diem-kiem-chung-so-trach-nhiem")


# --- the acts ---------------------------------------------------------------------------------------------


def _refused(request: HttpRequest, exc: Refused) -> None:
    messages.error(request, " ".join(exc.messages))


@require_POST
def ledger_sign(request: HttpRequest) -> HttpResponse:
    """The board signs a checkpoint now (the daily one is signed by Celery beat)."""
    _boards(request)
    form = BoardForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Không rõ Ban Tổ chức ký: hãy tải lại trang."))
        return redirect("personnel:ledger")
    org = access.get_organization_for(request, form.cleaned_data["organization"], COUNTERSIGN)
    last = LedgerCheckpoint.objects.order_by("-pk").values_list("pk", flat=True).first()
    try:
        checkpoint = checkpoints.checkpoint_sign(actor=request.user, organization=org)
    except Refused as exc:
        _refused(request, exc)
    else:
        if checkpoint.pk == last:
            messages.info(request, _("Không có bút toán mới từ điểm kiểm chứng trước (%(n)s bút toán): không ký "
                                     "thêm.") % {"n": checkpoint.size})
        else:
            messages.success(request, _("Đã ký điểm kiểm chứng %(n)s bút toán.") % {"n": checkpoint.size})
    return redirect("personnel:ledger")


@require_POST
def checkpoint_countersign(request: HttpRequest, pk: int) -> HttpResponse:
    """The board countersigns one checkpoint, the statement it read on the page."""
    _boards(request)
    key = parse_pk(pk)
    checkpoint = LedgerCheckpoint.objects.filter(pk=key).first() if key is not None else None
    if checkpoint is None:
        raise Http404
    form = CountersignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Thiếu nội dung đã ký xác nhận: hãy tải lại trang rồi ký."))
        return redirect("personnel:ledger")
    org = access.get_organization_for(request, form.cleaned_data["organization"], COUNTERSIGN)
    try:
        checkpoints.checkpoint_countersign(checkpoint=checkpoint, organization=org, actor=request.user,
                                           read_hash=form.cleaned_data["statement_hash"])
    except Refused as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("%(org)s đã ký xác nhận điểm kiểm chứng %(n)s bút toán.")
                         % {"org": org.name, "n": checkpoint.size})
    return redirect("personnel:ledger")
