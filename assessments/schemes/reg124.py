"""Regulation 124-QĐ/TW (04/10/2023): periods 2023 and 2024, criteria graded X/T/B/K, forms of Guidance 25."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ..choices import SchemeCode, SubjectKind
from ..rules import AUTHORITY_124, LEVELS_124, Parameters, ceiling_124
from . import STANDARDS_144, Criterion, Scheme

_INDIVIDUAL = (
    Criterion("politics", _("Tư tưởng chính trị")),
    *(Criterion(f"s144_{n}", label, cites=(STANDARDS_144[n - 1],)) for n, label in enumerate([
        _("Yêu nước, trung thành (QĐ 144 Điều 1)"),
        _("Bản lĩnh, đổi mới, sáng tạo (QĐ 144 Điều 2)"),
        _("Cần, kiệm, liêm, chính (QĐ 144 Điều 3)"),
        _("Đoàn kết, kỷ luật, trách nhiệm (QĐ 144 Điều 4)"),
        _("Nêu gương, tu dưỡng, học tập (QĐ 144 Điều 5)"),
    ], start=1)),
    Criterion("tasks", _("Kết quả thực hiện chức trách, nhiệm vụ")),
)
_LEADER = (*_INDIVIDUAL, Criterion("leadership", _("Kết quả lãnh đạo, chỉ đạo nơi phụ trách")))
_COLLECTIVE = (
    Criterion("building", _("Xây dựng Đảng về chính trị, tư tưởng, đạo đức")),
    Criterion("organization", _("Xây dựng tổ chức, cán bộ, đảng viên")),
    Criterion("inspection", _("Kiểm tra, giám sát, kỷ luật đảng")),
    Criterion("tasks", _("Lãnh đạo thực hiện nhiệm vụ chính trị")),
)


def _form(kind: str, leader_form: str) -> str:
    # Guidance 25: 02A for individuals without a leadership post, 02B for leaders and managers.
    return {SubjectKind.MEMBER: "02A", SubjectKind.LEADER: "02B"}.get(kind, "")


SCHEME = Scheme(
    code=SchemeCode.REG124,
    label=str(SchemeCode.REG124.label),
    document="124-QĐ/TW",
    guidance="25-HD/BTCTW",
    first_year=2023,
    last_year=2024,
    quarterly=False,
    kinds=(SubjectKind.COLLECTIVE, SubjectKind.LEADER, SubjectKind.MEMBER),
    criteria={SubjectKind.COLLECTIVE: _COLLECTIVE, SubjectKind.LEADER: _LEADER, SubjectKind.MEMBER: _INDIVIDUAL},
    ceiling_function=ceiling_124,
    parameters=Parameters(),
    quota_shares=(20,),
    levels_cite=LEVELS_124,
    authority_cite=AUTHORITY_124,
    form_function=_form,
)
