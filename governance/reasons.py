"""How the governance reasons read, in the reader's language (registered in ``GovernanceConfig.ready``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from common.reasons import dated, shown_day
from organizations.models import BodyKind, PositionRole

from .models import Ballot


def _label(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


_day, _dated = shown_day, dated


MESSAGES = {
    "count_negative": lambda p: _("Số liệu không được âm."),
    "count_present_over_in_office": lambda p: _(
        "Số có mặt (%(present)s) nhiều hơn số thành viên đương nhiệm (%(in_office)s).") % p,
    "count_recused_over_present": lambda p: _(
        "Số thành viên không tham gia biểu quyết (%(recused)s) nhiều hơn số có mặt (%(present)s).") % p,
    "count_votes_over_voters": lambda p: _(
        "Tổng số phiếu (%(votes)s) nhiều hơn số người được biểu quyết (%(voters)s).") % p,
    "quorum": lambda p: _("Chỉ có %(present)s/%(in_office)s thành viên có mặt; cần ít nhất %(needed)s.") % p,
    "majority": lambda p: _("%(votes)s phiếu tán thành trên %(base)s thành viên; cần ít nhất %(needed)s "
                            "(quá nửa số thành viên đương nhiệm, không phải số có mặt).") % p,
    "election": lambda p: _("%(votes)s phiếu bầu trên %(convened)s đảng viên chính thức được triệu tập; cần ít "
                            "nhất %(needed)s (quá nửa tổng số được triệu tập, không phải số có mặt).") % p,
    "no_regulation": lambda p: _("%(org)s không có quy chế làm việc có hiệu lực vào ngày %(date)s.") % _dated(
        p, "date"),
    "other_version": lambda p: _(
        "Vấn đề “%(matter)s” thuộc quy chế phiên bản %(version)s, không phải phiên bản %(current)s có hiệu "
        "lực ngày %(date)s.") % _dated(p, "date"),
    "wrong_body": lambda p: _("Vấn đề “%(matter)s” thuộc thẩm quyền của %(who)s, không phải %(body)s.") % {
        **p, "who": _label(BodyKind, p["who"]), "body": _label(BodyKind, p["body"])},
    "head_matter_in_meeting": lambda p: _(
        "Vấn đề “%(matter)s” thuộc thẩm quyền của %(who)s, không phải %(body)s.") % {
        **p, "who": _label(PositionRole, p["who"]).lower(), "body": _label(BodyKind, p["body"])},
    "wrong_ballot": lambda p: _("Vấn đề này phải %(ballot)s.") % {"ballot": _label(Ballot, p["ballot"]).lower()},
    "collective_matter": lambda p: _("Vấn đề “%(matter)s” do %(who)s quyết định, không phải cá nhân.") % {
        **p, "who": _label(BodyKind, p["who"])},
    "signatory_post": lambda p: _("%(person)s không giữ chức danh %(role)s của %(org)s vào ngày %(date)s.") % {
        **_dated(p, "date"), "role": _label(PositionRole, p["role"]).lower()},
    "signatory_deputy": lambda p: _(
        "%(person)s không giữ chức danh %(role)s của %(org)s vào ngày %(date)s (cấp phó cần văn bản ủy "
        "quyền).") % {**_dated(p, "date"), "role": _label(PositionRole, p["role"]).lower()},
    # Refusals of the services (governance.services).
    "working_regulation_adopted": lambda p: _("Quy chế đã ban hành không sửa được; hãy tạo phiên bản mới."),
    "working_regulation_empty": lambda p: _("Quy chế chưa có vấn đề nào trong danh mục."),
    "working_regulation_start_not_after": lambda p: _(
        "Ngày hiệu lực phải sau ngày hiệu lực của phiên bản %(v)s (%(d)s).") % _dated(p, "d"),
    "working_regulation_no_template": lambda p: _("Không có mẫu quy chế “%(t)s”.") % p,
    "working_regulation_in_force_from": lambda p: _("Có hiệu lực từ ngày %(d)s.") % _dated(p, "d"),
    "meeting_no_members": lambda p: _("%(body)s không có thành viên đương nhiệm vào ngày %(d)s.") % _dated(p, "d"),
    "meeting_minutes_approved": lambda p: _(
        "Biên bản hội nghị đã được thông qua; không sửa được. Hãy ghi một quyết định đính chính."),
    "attendance_ahead": lambda p: _("Hội nghị ngày %(d)s chưa diễn ra: chưa điểm danh được.") % _dated(p, "d"),
    "attendance_not_convened": lambda p: _("Người có mã %(p)s không thuộc thành phần được triệu tập.") % p,
    "attendance_reason_missing": lambda p: _("Ghi lý do vắng mặt của %(p)s.") % p,
    "decision_date_ahead": lambda p: _("Không ghi quyết định cho ngày sau hôm nay (%(d)s).") % _dated(p, "d"),
    "decision_signatory_not_self": lambda p: _("Người đứng đầu chỉ ghi quyết định do chính mình ký."),
    "report_back_not_individual": lambda p: _("Chỉ quyết định cá nhân mới cần báo cáo lại tập thể."),
    "report_back_done": lambda p: _("Quyết định này đã được báo cáo ngày %(d)s.") % _dated(p, "d"),
    "report_back_wrong_meeting": lambda p: _(
        "Hội nghị nghe báo cáo phải của chính tổ chức và sau ngày quyết định."),
}
