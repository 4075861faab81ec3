"""Regulation 366-QĐ/TW (30/08/2025): from 2025, a 100-point score, quarterly ratings, forms of Guidance 43."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ..choices import LeaderForm, SchemeCode, SubjectKind
from ..rules import LEVELS_366, Parameters, ceiling_366
from . import STANDARDS_144, Criterion, Scheme

# 70 points for the results of assigned tasks, 30 for the general criteria (366 Art. 11).
_GENERAL = (
    Criterion("politics", _("Phẩm chất chính trị"), 5, cites=(STANDARDS_144[0], STANDARDS_144[1])),
    Criterion("ethics", _("Đạo đức (QĐ 144)"), 5, cites=(STANDARDS_144[2],)),
    Criterion("lifestyle", _("Lối sống, ý thức kỷ luật (QĐ 144)"), 5, cites=(STANDARDS_144[3],)),
    Criterion("example", _("Tinh thần nêu gương (QĐ 144)"), 5, cites=(STANDARDS_144[4],)),
    Criterion("innovation", _("Đổi mới, sáng tạo"), 5),
    Criterion("self_criticism", _("Tự phê bình và phê bình"), 5),
)
_INDIVIDUAL = (*_GENERAL, Criterion("tasks", _("Kết quả thực hiện nhiệm vụ được giao"), 70))
_COLLECTIVE = (
    Criterion("building", _("Xây dựng Đảng về chính trị, tư tưởng, đạo đức"), 10),
    Criterion("organization", _("Xây dựng tổ chức, cán bộ, đảng viên"), 10),
    Criterion("inspection", _("Kiểm tra, giám sát, kỷ luật đảng"), 10),
    Criterion("tasks", _("Kết quả thực hiện nhiệm vụ chính trị được giao"), 70),
)


def _form(kind: str, leader_form: str) -> str:
    # Guidance 43: 01 the collective's report; 2C outside the political system; 2A/2B per the period's setting.
    if kind == SubjectKind.COLLECTIVE:
        return "01"
    if kind == SubjectKind.OUTSIDE:
        return "2C"
    leaders_get = "2A" if leader_form == LeaderForm.SWAPPED else "2B"
    others_get = "2B" if leader_form == LeaderForm.SWAPPED else "2A"
    return leaders_get if kind == SubjectKind.LEADER else others_get


SCHEME = Scheme(
    code=SchemeCode.REG366,
    label=str(SchemeCode.REG366.label),
    document="366-QĐ/TW",
    guidance="43-HD/BTCTW",
    first_year=2025,
    last_year=None,
    quarterly=True,
    kinds=(SubjectKind.COLLECTIVE, SubjectKind.LEADER, SubjectKind.MEMBER, SubjectKind.OUTSIDE),
    criteria={SubjectKind.COLLECTIVE: _COLLECTIVE, SubjectKind.LEADER: _INDIVIDUAL,
              SubjectKind.MEMBER: _INDIVIDUAL, SubjectKind.OUTSIDE: _INDIVIDUAL},
    ceiling_function=ceiling_366,
    parameters=Parameters(),
    quota_shares=(20, 25),
    levels_cite=LEVELS_366,
    authority_cite=LEVELS_366,
    form_function=_form,
)
