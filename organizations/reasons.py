"""How the organizations app's reasons read, in the reader's language (registered in ``OrganizationsConfig.ready``).

Dates travel in the parameters as ISO strings and are formatted here, through Django's formats.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import DisciplineForm, OrgKind, Person, Relation, RoleKind


def _day(value: str) -> str:
    return date_format(dt.date.fromisoformat(value), "SHORT_DATE_FORMAT")


def _label(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _date_label(field: str) -> str:
    """The label of a date of a member's record."""
    if field == "start":
        return _("Ngày bắt đầu sinh hoạt")
    try:
        return str(Person._meta.get_field(field).verbose_name)
    except FieldDoesNotExist:
        return field


def _with_day(p: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {**p, **{k: _day(p[k]) for k in keys}}


MESSAGES = {
    # What an audit entry names by its code, read in the reader's language.
    "role_named": lambda p: _label(RoleKind, p["kind"]),
    "kinship_named": lambda p: _label(Relation, p["relation"]),
    "discipline_named": lambda p: _label(DisciplineForm, p["form"]),
    # Memberships.
    "membership_not_cell": lambda p: _("Đảng viên chỉ sinh hoạt tại chi bộ."),
    "membership_start_not_after": lambda p: _(
        "Ngày bắt đầu phải sau ngày bắt đầu sinh hoạt hiện tại (%(d)s).") % _with_day(p, "d"),
    "membership_overlap": lambda p: _("Trùng thời gian với sinh hoạt tại %(org)s.") % p,
    # Access roles.
    "role_already_held": lambda p: _("%(u)s đã có vai trò này.") % p,
    "role_not_held": lambda p: _("%(u)s không có vai trò này.") % p,
    # Posts.
    "tenure_body_elsewhere": lambda p: _("Cơ quan lãnh đạo phải thuộc chính tổ chức này."),
    "tenure_already_held": lambda p: _("%(p)s đã giữ chức vụ %(pos)s tại đây từ %(d)s.") % _with_day(p, "d"),
    "tenure_head_taken": lambda p: _(
        "%(p)s đang giữ chức vụ %(pos)s từ %(d)s: kết thúc chức vụ đó trước.") % _with_day(p, "d"),
    "tenure_already_ended": lambda p: _("Chức vụ này đã kết thúc ngày %(d)s.") % _with_day(p, "d"),
    "tenure_end_before_start": lambda p: _(
        "Ngày kết thúc không được trước ngày bắt đầu (%(d)s).") % _with_day(p, "d"),
    # Member import.
    "import_not_previewed": lambda p: _("Lượt nhập này không ở trạng thái chờ ghi."),
    "import_needs_reupload": lambda p: _("Lượt nhập này cần được tải lên lại trước khi ghi."),
    "import_changed_meanwhile": lambda p: _("Dữ liệu vừa thay đổi trong lúc ghi; hãy xác nhận lại."),
    # Audit notes of the member import (not refusals: what the entry records, read in the reader's language).
    "import_previewed": lambda p: ngettext("%(rows)s dòng", "%(rows)s dòng", p["rows"]) % {
        "rows": number_format(p["rows"])} + ", " + ngettext("%(errors)s lỗi", "%(errors)s lỗi", p["errors"]) % {
        "errors": number_format(p["errors"])},
    "import_rejected_at_commit": lambda p: ngettext(
        "%(errors)s lỗi khi ghi", "%(errors)s lỗi khi ghi", p["errors"]) % {"errors": number_format(p["errors"])},
    "import_committed": lambda p: ngettext(
        "%(n)s đảng viên vào %(org)s", "%(n)s đảng viên vào %(org)s", p["n"]) % {**p, "n": number_format(p["n"])},
    "import_purged": lambda p: _(
        "%(deleted)s lượt nhập đã xóa, %(emptied)s tệp đã làm rỗng (quá %(days)s ngày)") % p,
    # The tree.
    "org_code_taken": lambda p: _("Mã %(code)s đã được dùng cho tổ chức khác.") % {"code": p["org_code"]},
    "org_under_cell": lambda p: _("%(org)s là chi bộ: không có tổ chức trực thuộc.") % p,
    "org_dissolved": lambda p: _("%(org)s đã giải thể, sáp nhập ngày %(d)s.") % _with_day(p, "d"),
    "org_move_into_own_subtree": lambda p: _(
        "Không thể chuyển %(org)s vào chính nó hoặc một tổ chức trực thuộc nó.") % p,
    "org_move_same_place": lambda p: _("%(org)s đã trực thuộc %(parent)s.") % p,
    "org_move_root": lambda p: _("Không thể chuyển tổ chức cấp cao nhất."),
    "org_has_active_children": lambda p: ngettext(
        "%(org)s còn %(n)s tổ chức trực thuộc chưa giải thể.",
        "%(org)s còn %(n)s tổ chức trực thuộc chưa giải thể.", p["n"]) % p,
    "org_has_members": lambda p: ngettext(
        "%(org)s còn %(n)s đảng viên sinh hoạt sau ngày %(d)s: chuyển sinh hoạt trước.",
        "%(org)s còn %(n)s đảng viên sinh hoạt sau ngày %(d)s: chuyển sinh hoạt trước.", p["n"]) % _with_day(
        p, "d"),
    "org_has_tenures": lambda p: ngettext(
        "%(org)s còn %(n)s chức vụ đảm nhiệm sau ngày %(d)s: kết thúc chức vụ trước.",
        "%(org)s còn %(n)s chức vụ đảm nhiệm sau ngày %(d)s: kết thúc chức vụ trước.", p["n"]) % _with_day(
        p, "d"),
    "org_dissolve_in_future": lambda p: _(
        "Ngày giải thể, sáp nhập %(d)s là ngày trong tương lai: ghi khi quyết định đã có hiệu lực.") % _with_day(
        p, "d"),
    "org_kind_wrong_place": lambda p: _("Không thể đặt %(kind)s dưới %(parent)s.") % {
        **p, "kind": _label(OrgKind, p["kind"]).lower()},
    # People.
    "person_card_taken": lambda p: _("Số thẻ đảng viên %(card)s đã được cấp cho một người khác.") % p,
    "person_official_before_join": lambda p: _("Ngày chính thức không được trước ngày vào Đảng."),
    "person_join_before_birth": lambda p: _("Ngày vào Đảng phải sau ngày sinh."),
    "person_under_18": lambda p: _(
        "Ngày vào Đảng %(join)s: khi đó mới %(age)s tuổi; người vào Đảng phải từ đủ 18 tuổi "
        "(Điều 1 Điều lệ Đảng).") % _with_day(p, "join"),
    "person_start_before_join": lambda p: _("Ngày bắt đầu sinh hoạt không được trước ngày vào Đảng."),
    "person_future_date": lambda p: _("%(col)s %(d)s là ngày trong tương lai.") % {
        **_with_day(p, "d"), "col": _date_label(p["field"])},
    "organizations_no_change": lambda p: _("Không có thông tin nào thay đổi."),
    "person_no_cell": lambda p: _("%(p)s chưa sinh hoạt tại chi bộ nào: không xác định được tổ chức quản lý.") % p,
    # Kinship.
    "kinship_self": lambda p: _("Không thể kê khai quan hệ với chính mình."),
    "kinship_unknown_relation": lambda p: _("Quan hệ “%(relation)s” không có trong danh mục quan hệ gia đình.") % p,
    "kinship_exists": lambda p: _("Quan hệ giữa %(p)s và %(r)s đã được kê khai (%(relation)s).") % {
        **p, "relation": _label(Relation, p["relation"]).lower()},
    "kinship_declared_in_future": lambda p: _(
        "Ngày kê khai %(d)s là ngày trong tương lai: chỉ ghi kê khai đã có.") % _with_day(p, "d"),
    "kinship_end_in_future": lambda p: _(
        "Ngày kết thúc %(d)s là ngày trong tương lai: chỉ ghi quan hệ đã kết thúc.") % _with_day(p, "d"),
    "kinship_already_ended": lambda p: _("Quan hệ này đã kết thúc ngày %(d)s.") % _with_day(p, "d"),
    "kinship_end_before_declared": lambda p: _(
        "Ngày kết thúc không được trước ngày kê khai (%(d)s).") % _with_day(p, "d"),
    # Discipline.
    "discipline_form_subject": lambda p: _("Hình thức %(form)s không áp dụng cho %(subject)s.") % {
        "form": _label(DisciplineForm, p["form"]).lower(),
        "subject": _("tổ chức") if p.get("subject") == "organization" else _("đảng viên")},
    "discipline_one_subject": lambda p: _("Kỷ luật phải thuộc đúng một đảng viên hoặc một tổ chức."),
    "discipline_issuer_not_above": lambda p: _(
        "%(issuer)s không phải cấp trên của %(org)s: không có thẩm quyền kỷ luật.") % p,
    "discipline_annul_below_issuer": lambda p: _(
        "%(body)s không phải cấp đã quyết định kỷ luật (%(issuer)s) hay cấp trên của cấp đó: "
        "không có thẩm quyền hủy.") % p,
    "discipline_decided_in_future": lambda p: _(
        "Ngày quyết định %(d)s là ngày trong tương lai: chỉ ghi quyết định đã ban hành.") % _with_day(p, "d"),
    "discipline_annul_in_future": lambda p: _(
        "Ngày hủy %(d)s là ngày trong tương lai: chỉ ghi quyết định hủy đã ban hành.") % _with_day(p, "d"),
    "discipline_removal_no_post": lambda p: _(
        "%(p)s không giữ chức vụ nào ngày %(d)s: không thể cách chức.") % _with_day(p, "d"),
    "discipline_ref_taken": lambda p: _(
        "Quyết định số %(ref)s của %(body)s năm %(y)s đã được ghi: %(subject)s, ngày %(d)s.") % {
        **_with_day(p, "d"), "y": p["d"][:4]},
    "person_expelled": lambda p: _(
        "%(p)s đã bị khai trừ ngày %(d)s: không ghi được việc nào sau ngày đó.") % _with_day(p, "d"),
    "person_expelled_membership_later": lambda p: _(
        "%(p)s có quá trình sinh hoạt tại %(org)s từ %(d)s, sau ngày khai trừ: sửa quá trình sinh hoạt trước.")
    % _with_day(p, "d"),
    "discipline_already_annulled": lambda p: _("Quyết định kỷ luật này đã bị hủy ngày %(d)s.") % _with_day(p, "d"),
    "discipline_annul_before_decided": lambda p: _(
        "Ngày hủy không được trước ngày quyết định kỷ luật (%(d)s).") % _with_day(p, "d"),
}
