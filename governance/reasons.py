"""How the governance reasons read, in the reader's language (registered in ``GovernanceConfig.ready``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from organizations.models import BodyKind, PositionRole

from .models import Ballot


def _label(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


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
    "no_regulation": lambda p: _("%(org)s không có quy chế làm việc có hiệu lực vào ngày %(date)s.") % p,
    "other_version": lambda p: _(
        "Vấn đề “%(matter)s” thuộc quy chế phiên bản %(version)s, không phải phiên bản %(current)s có hiệu "
        "lực ngày %(date)s.") % p,
    "wrong_body": lambda p: _("Vấn đề “%(matter)s” thuộc thẩm quyền của %(who)s, không phải %(body)s.") % {
        **p, "who": _label(BodyKind, p["who"]), "body": _label(BodyKind, p["body"])},
    "head_matter_in_meeting": lambda p: _(
        "Vấn đề “%(matter)s” thuộc thẩm quyền của %(who)s, không phải %(body)s.") % {
        **p, "who": _label(PositionRole, p["who"]).lower(), "body": _label(BodyKind, p["body"])},
    "wrong_ballot": lambda p: _("Vấn đề này phải %(ballot)s.") % {"ballot": _label(Ballot, p["ballot"]).lower()},
    "collective_matter": lambda p: _("Vấn đề “%(matter)s” do %(who)s quyết định, không phải cá nhân.") % {
        **p, "who": _label(BodyKind, p["who"])},
    "signatory_post": lambda p: _("%(person)s không giữ chức danh %(role)s của %(org)s vào ngày %(date)s.") % {
        **p, "role": _label(PositionRole, p["role"]).lower()},
    "signatory_deputy": lambda p: _(
        "%(person)s không giữ chức danh %(role)s của %(org)s vào ngày %(date)s (cấp phó cần văn bản ủy "
        "quyền).") % {**p, "role": _label(PositionRole, p["role"]).lower()},
}
