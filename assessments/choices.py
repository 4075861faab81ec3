"""The words of the review, as choices. No database here: the rules and the schemes use them too."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """The four levels, best first (124 Art. 12; 366 Art. 11)."""

    EXCELLENT = "excellent", _("Hoàn thành xuất sắc nhiệm vụ")
    GOOD = "good", _("Hoàn thành tốt nhiệm vụ")
    COMPLETED = "completed", _("Hoàn thành nhiệm vụ")
    NOT_COMPLETED = "not_completed", _("Không hoàn thành nhiệm vụ")


LEVEL_ORDER = [Level.EXCELLENT, Level.GOOD, Level.COMPLETED, Level.NOT_COMPLETED]
SHORT_LEVEL = {Level.EXCELLENT: _("Xuất sắc"), Level.GOOD: _("Tốt"), Level.COMPLETED: _("Hoàn thành"),
               Level.NOT_COMPLETED: _("Không hoàn thành")}


class Grade(models.TextChoices):
    """A criterion's grade under Regulation 124, best first."""

    EXCELLENT = "X", _("Xuất sắc")
    GOOD = "T", _("Tốt")
    AVERAGE = "B", _("Trung bình")
    POOR = "K", _("Kém")


GRADE_ORDER = [Grade.EXCELLENT, Grade.GOOD, Grade.AVERAGE, Grade.POOR]


class SubjectKind(models.TextChoices):
    COLLECTIVE = "collective", _("Tập thể")
    LEADER = "leader", _("Cá nhân lãnh đạo, quản lý")
    MEMBER = "member", _("Cá nhân không giữ chức vụ lãnh đạo")
    OUTSIDE = "outside", _("Đảng viên làm việc ngoài hệ thống chính trị")


class SchemeCode(models.TextChoices):
    REG124 = "reg124", _("Quy định 124-QĐ/TW (kỳ 2023, 2024)")
    REG366 = "reg366", _("Quy định 366-QĐ/TW (từ năm 2025)")


class QuotaRounding(models.TextChoices):
    DOWN = "down", _("Làm tròn xuống")
    NEAREST = "nearest", _("Làm tròn đến số gần nhất")
    UP = "up", _("Làm tròn lên")


class HeadAboveCollective(models.TextChoices):
    WARN = "warn", _("Cảnh báo, vẫn cho quyết định")
    BLOCK = "block", _("Không cho quyết định")


class LeaderForm(models.TextChoices):
    """Which individual form leaders use under Guidance 43 (open; default as in Guidance 25)."""

    AS_GUIDANCE_25 = "2b_leaders", _("Mẫu 2A cho người không giữ chức vụ, 2B cho lãnh đạo, quản lý (như Hướng dẫn 25)")
    SWAPPED = "2a_leaders", _("Mẫu 2A cho lãnh đạo, quản lý, 2B cho người không giữ chức vụ")


class QuarterlySubjects(models.TextChoices):
    """Who is reviewed in a quarter (366: leaders first, then wider)."""

    LEADERS = "leaders", _("Cá nhân lãnh đạo, quản lý")
    LEADERS_AND_COLLECTIVES = "leaders_collectives", _("Tập thể và cá nhân lãnh đạo, quản lý")
    EVERYONE = "everyone", _("Mọi tập thể và cá nhân")


class Step(models.TextChoices):
    """The states of an assessment, in the order of the workflow."""

    PENDING = "pending", _("Chưa tự đánh giá")
    SELF_ASSESSED = "self_assessed", _("Đã tự đánh giá")
    APPRAISED = "appraised", _("Đã thẩm định")
    REVIEWED = "reviewed", _("Đã kiểm điểm tại hội nghị")
    DECIDED = "decided", _("Đã quyết định xếp loại")
    NOTIFIED = "notified", _("Đã thông báo")
    ACKNOWLEDGED = "acknowledged", _("Đảng viên đã xác nhận")


STEP_ORDER = list(Step)
DONE_STEPS = {Step.DECIDED, Step.NOTIFIED, Step.ACKNOWLEDGED}
