"""The review forms: an individual's self-assessment (Guidance 25: 02A, 02B; Guidance 43: 2A, 2B, 2C) and a
collective's report (Guidance 43: 01; under Regulation 124 the collective's report follows Guidance 25)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from assessments.choices import SubjectKind
from assessments.models import Assessment, Target
from organizations.models import Organization

HEADINGS = {
    # Individual forms: the title of the official form, then who it is for.
    "02A": (_l("Bản kiểm điểm cá nhân"), _l("dùng cho đảng viên không giữ chức vụ lãnh đạo, quản lý")),
    "02B": (_l("Bản kiểm điểm cá nhân"), _l("dùng cho cán bộ lãnh đạo, quản lý")),
    "2A": (_l("Bản tự kiểm điểm, đánh giá, xếp loại chất lượng"), _l("dùng cho đảng viên không giữ chức vụ lãnh "
                                                                   "đạo, quản lý")),
    "2B": (_l("Bản tự kiểm điểm, đánh giá, xếp loại chất lượng"), _l("dùng cho cán bộ lãnh đạo, quản lý")),
    "2C": (_l("Bản tự kiểm điểm, đánh giá, xếp loại chất lượng"), _l("dùng cho đảng viên làm việc ngoài khu vực "
                                                                   "nhà nước")),
    "01": (_l("Báo cáo kiểm điểm, đánh giá, xếp loại chất lượng tập thể"), ""),
}


def assessments_for_print(ids: Iterable[int]):
    """The assessments with everything a form shows: four queries for any number of forms."""
    return (Assessment.objects.filter(pk__in=list(ids))
            .select_related("period", "organization", "person", "role_organization", "decider")
            .prefetch_related(Prefetch("targets", queryset=Target.objects.order_by("order", "pk")))
            .order_by("organization__path", "-kind", "person__sort_name", "pk"))


def _superiors(assessments: list[Assessment]) -> dict[str, Organization]:
    """The superior of each organization shown (the first line of the heading), in one query."""
    paths = {a.organization.parent_path for a in assessments}
    return {o.path: o for o in Organization.objects.filter(path__in=paths)}


def _title(form: str, collective: bool) -> tuple[str, str]:
    if form in HEADINGS:
        heading, note = HEADINGS[form]
        return str(heading).upper(), str(note)
    return (_("Báo cáo kiểm điểm tập thể") if collective else _("Bản kiểm điểm cá nhân")).upper(), ""


def form_context(a: Assessment, superiors: dict[str, Organization]) -> dict[str, Any]:
    scheme = a.period.rules
    form = a.form
    heading, note = _title(form, a.kind == SubjectKind.COLLECTIVE)
    criteria = [(c, a.self_grades.get(c.code, ""), a.grades.get(c.code, "")) for c in scheme.criteria_for(a.kind)]
    self_total = None
    if not scheme.graded:
        values = [a.self_grades.get(c.code) for c, _mine, _rev in criteria]
        if any(v not in (None, "") for v in values):
            self_total = sum((Decimal(str(v)) for v in values if v not in (None, "")), Decimal(0))
    return {"a": a, "form": form, "heading": heading, "note": note, "graded": scheme.graded,
            "criteria": criteria, "self_total": self_total, "targets": list(a.targets.all()),
            "superior": superiors.get(a.organization.parent_path)}


def forms_context(ids: Iterable[int]) -> list[dict[str, Any]]:
    assessments = list(assessments_for_print(ids))
    superiors = _superiors(assessments)
    return [form_context(a, superiors) for a in assessments]
