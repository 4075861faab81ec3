"""Working regulations as data: the matter catalog, meetings, votes, decisions, assignments.

"Collective leadership, individual responsibility" made checkable: each
organization's working regulation (versioned) says which matters a body
decides by vote and which the head decides; every recorded decision is
checked against the version in force on its date, and the result is stored
with its reasons. Approved minutes freeze a meeting and its decisions; a
correction is a new decision pointing at the old one.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from organizations.models import (
    Body,
    BodyKind,
    DatedQuerySet,
    DatedRecord,
    Organization,
    Person,
    PositionRole,
    Tenure,
    today,
)

__all__ = [
    "AgendaItem",
    "Assignment",
    "Attendance",
    "Ballot",
    "Decision",
    "DecisionKind",
    "DecisionStatus",
    "Field",
    "Matter",
    "Meeting",
    "MeetingStatus",
    "Mode",
    "WorkingRegulation",
]


class WorkingRegulationQuerySet(DatedQuerySet):
    def in_force_on(self, on: dt.date):
        return self.active_on(on)

    def running_from(self, on: dt.date):
        """Adopted versions still in force on or after ``on``: those a version adopted from then ends."""
        return self.filter(start__isnull=False).filter(Q(end__isnull=True) | Q(end__gte=on))


class WorkingRegulation(DatedRecord):
    """One version of an organization's working regulation (quy chế làm việc).

    Dated like tenures (inclusive ``start``/``end``); a draft has no ``start``
    yet. Adopting a version ends the previous one the day before; two adopted
    versions of one organization never share a day (an exclusion constraint on
    PostgreSQL, a trigger on SQLite: migration 0002).
    """

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="working_regulations",
                                     verbose_name=_("Tổ chức"))
    version = models.PositiveIntegerField(_("Phiên bản"))
    title = models.CharField(_("Tên"), max_length=255)
    start = models.DateField(_("Có hiệu lực từ"), null=True, blank=True)
    end = models.DateField(_("Hết hiệu lực sau ngày"), null=True, blank=True)
    adopted_by = models.ForeignKey("Decision", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("Quyết định ban hành"))
    adoption_ref = models.CharField(_("Số quyết định ban hành"), max_length=80, blank=True)
    previous = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="next_versions", verbose_name=_("Phiên bản trước"))

    objects = WorkingRegulationQuerySet.as_manager()

    class Meta(DatedRecord.Meta):
        verbose_name = _("Quy chế làm việc")
        verbose_name_plural = _("Quy chế làm việc")
        ordering = ["organization", "-version"]
        constraints = [
            *DatedRecord.Meta.constraints,
            models.UniqueConstraint(fields=["organization", "version"], name="regulation_version_once"),
        ]

    def __str__(self) -> str:
        return _("%(title)s (phiên bản %(v)s)") % {"title": self.title, "v": self.version}

    def get_absolute_url(self) -> str:
        return reverse("governance:working_regulation", args=[self.pk])

    @property
    def owning_organization(self) -> Organization:
        return self.organization

    @property
    def is_adopted(self) -> bool:
        return self.start is not None


class Field(models.TextChoices):
    PERSONNEL = "personnel", _("Tổ chức, cán bộ")
    FINANCE = "finance", _("Tài chính, ngân sách")
    PROCUREMENT = "procurement", _("Đấu thầu, mua sắm")
    EQUIPMENT = "equipment", _("Tài sản, trang thiết bị")
    ORGANIZATION = "organization", _("Tổ chức bộ máy")
    POLICY = "policy", _("Chủ trương, chính sách")
    INSPECTION = "inspection", _("Kiểm tra, giám sát, kỷ luật")
    OTHER = "other", _("Khác")


class Mode(models.TextChoices):
    COLLECTIVE = "collective", _("Tập thể biểu quyết")
    HEAD_REPORTS = "head_reports", _("Người đứng đầu quyết định, báo cáo tập thể")
    HEAD_PROPOSES = "head_proposes", _("Người đứng đầu đề xuất, tập thể quyết định")


class Ballot(models.TextChoices):
    OPEN = "open", _("Biểu quyết công khai")
    SECRET = "secret", _("Bỏ phiếu kín")


class Matter(models.Model):
    """An entry of the catalog: who decides this kind of matter, and how."""

    regulation = models.ForeignKey(WorkingRegulation, on_delete=models.CASCADE, related_name="matters",
                                   verbose_name=_("Quy chế làm việc"))
    code = models.CharField(_("Mã"), max_length=20)
    title = models.CharField(_("Nội dung"), max_length=300)
    field = models.CharField(_("Lĩnh vực"), max_length=16, choices=Field.choices)
    mode = models.CharField(_("Phương thức"), max_length=16, choices=Mode.choices)
    # The deciding authority: a body kind (collective modes) or a role (head decides).
    body_kind = models.CharField(_("Tập thể quyết định"), max_length=16, choices=BodyKind.choices, blank=True)
    role = models.CharField(_("Cá nhân quyết định"), max_length=8, choices=PositionRole.choices, blank=True)
    quorum_num = models.PositiveSmallIntegerField(_("Tỷ lệ có mặt (tử số)"), default=2)
    quorum_den = models.PositiveSmallIntegerField(_("Tỷ lệ có mặt (mẫu số)"), default=3)
    threshold_num = models.PositiveSmallIntegerField(_("Tỷ lệ tán thành (tử số)"), default=1)
    threshold_den = models.PositiveSmallIntegerField(_("Tỷ lệ tán thành (mẫu số)"), default=2)
    ballot = models.CharField(_("Hình thức biểu quyết"), max_length=8, choices=Ballot.choices, default=Ballot.OPEN)
    # An election: more than half of all convened full members, no separate quorum (Charter Art. 12.3).
    election = models.BooleanField(_("Bầu cử"), default=False)
    report_within_days = models.PositiveSmallIntegerField(
        _("Hạn báo cáo tập thể (ngày)"), null=True, blank=True,
        help_text=_("Với vấn đề người đứng đầu quyết định: số ngày phải báo cáo lại tập thể."))
    # The provisions the entry rests on: rows of the regulations' citation table.
    citations = GenericRelation("regulations.Citation", related_query_name="matter")
    # The place of the entry in the catalog as the committee reads it (set by the services).
    position = models.PositiveIntegerField(_("Thứ tự"), default=0)

    class Meta:
        verbose_name = _("Vấn đề thuộc thẩm quyền")
        verbose_name_plural = _("Danh mục vấn đề thuộc thẩm quyền")
        ordering = ["regulation", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["regulation", "code"], name="matter_code_once"),
            # A collective mode names a body; the head's own authority names a role.
            models.CheckConstraint(
                condition=(Q(mode__in=["collective", "head_proposes"]) & ~Q(body_kind=""))
                | (Q(mode="head_reports") & ~Q(role="")),
                name="matter_authority_fits_mode",
                violation_error_message=_("Vấn đề tập thể quyết định phải ghi tập thể; vấn đề người đứng đầu "
                                          "quyết định phải ghi chức danh."),
            ),
            models.CheckConstraint(
                condition=Q(quorum_den__gt=0) & Q(threshold_den__gt=0)
                & Q(quorum_num__lte=models.F("quorum_den")) & Q(threshold_num__lt=models.F("threshold_den")),
                name="matter_fractions_valid",
            ),
            # Personnel matters go by secret ballot (RULES.md, high confidence).
            models.CheckConstraint(
                condition=~Q(field="personnel", mode__in=["collective", "head_proposes"]) | Q(ballot="secret"),
                name="matter_personnel_secret",
                violation_error_message=_("Vấn đề về cán bộ phải bỏ phiếu kín."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    @property
    def owning_organization(self) -> Organization:
        return self.regulation.organization

    def citation_label(self) -> str:
        """How the entry reads under "cited by" on a provision's page."""
        return f"{self.code} — {self.title} ({self.regulation.organization}, {self.regulation})"

    @property
    def quorum(self) -> Fraction:
        return Fraction(self.quorum_num, self.quorum_den)

    @property
    def threshold(self) -> Fraction:
        return Fraction(self.threshold_num, self.threshold_den)

    @property
    def is_collective(self) -> bool:
        return self.mode in (Mode.COLLECTIVE, Mode.HEAD_PROPOSES)


class MeetingStatus(models.TextChoices):
    OPEN = "open", _("Đang ghi")
    APPROVED = "approved", _("Biên bản đã thông qua")


class Meeting(models.Model):
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings",
                             verbose_name=_("Cơ quan lãnh đạo"))
    date = models.DateField(_("Ngày họp"))
    title = models.CharField(_("Tên hội nghị"), max_length=255)
    status = models.CharField(_("Trạng thái"), max_length=10, choices=MeetingStatus.choices,
                              default=MeetingStatus.OPEN)
    approved_at = models.DateTimeField(_("Thời điểm thông qua biên bản"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")

    class Meta:
        verbose_name = _("Hội nghị")
        verbose_name_plural = _("Hội nghị")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({date_format(self.date, 'SHORT_DATE_FORMAT')})"

    def get_absolute_url(self) -> str:
        return reverse("governance:meeting", args=[self.pk])

    @property
    def owning_organization(self) -> Organization:
        return self.body.organization

    @property
    def frozen(self) -> bool:
        return self.status == MeetingStatus.APPROVED


class Attendance(models.Model):
    """A member convened to a meeting: everyone in office in the body that day."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("Thành viên"))
    present = models.BooleanField(_("Có mặt"), default=True)
    # A probationary member attends a cell meeting without a vote (Charter Art. 5): not in the voting base.
    voting = models.BooleanField(_("Có quyền biểu quyết"), default=True)
    absence_reason = models.CharField(_("Lý do vắng"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("Điểm danh")
        verbose_name_plural = _("Điểm danh")
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="attendance_once")]

    def __str__(self) -> str:
        return f"{self.person} — {'có mặt' if self.present else 'vắng'}"

    @property
    def owning_organization(self) -> Organization:
        return self.meeting.owning_organization


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField(_("Thứ tự"))
    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("Vấn đề trong danh mục"))
    title = models.CharField(_("Nội dung"), max_length=300)

    class Meta:
        verbose_name = _("Nội dung hội nghị")
        verbose_name_plural = _("Nội dung hội nghị")
        ordering = ["meeting", "order"]
        constraints = [models.UniqueConstraint(fields=["meeting", "order"], name="agenda_order_once")]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"

    @property
    def owning_organization(self) -> Organization:
        return self.meeting.owning_organization


class DecisionKind(models.TextChoices):
    COLLECTIVE = "collective", _("Tập thể quyết định")
    INDIVIDUAL = "individual", _("Cá nhân quyết định")


class DecisionStatus(models.TextChoices):
    VALID = "valid", _("Hợp lệ")
    # A motion voted down (or a candidate not elected) by a meeting that could decide: a valid outcome.
    NOT_PASSED = "not_passed", _("Không thông qua")
    IRREGULAR = "irregular", _("Không đúng thẩm quyền, thủ tục")


class Decision(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="decisions",
                                     verbose_name=_("Tổ chức"))
    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="decisions",
                               verbose_name=_("Vấn đề"))
    kind = models.CharField(_("Loại"), max_length=12, choices=DecisionKind.choices)
    date = models.DateField(_("Ngày quyết định"))
    title = models.CharField(_("Nội dung quyết định"), max_length=300)
    # collective
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions",
                                verbose_name=_("Hội nghị"))
    votes_for = models.PositiveIntegerField(_("Tán thành"), default=0)
    votes_against = models.PositiveIntegerField(_("Không tán thành"), default=0)
    abstaining = models.PositiveIntegerField(_("Không biểu quyết"), default=0)
    ballot = models.CharField(_("Hình thức biểu quyết"), max_length=8, choices=Ballot.choices, blank=True)
    concerns = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("Người được xem xét"))
    recused = models.ManyToManyField(Person, blank=True, related_name="+", verbose_name=_("Không tham gia biểu quyết"))
    # individual
    signatory = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("Người ký"))
    signatory_tenure = models.ForeignKey(Tenure, on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="+", verbose_name=_("Chức vụ làm căn cứ thẩm quyền"))
    delegation_ref = models.CharField(_("Văn bản ủy quyền"), max_length=120, blank=True)
    # date + the matter's report_within_days, fixed when the decision is recorded
    report_due = models.DateField(_("Hạn báo cáo tập thể"), null=True, blank=True)
    reported_on = models.DateField(_("Ngày báo cáo tập thể"), null=True, blank=True)
    report_meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="reports_back", verbose_name=_("Hội nghị nghe báo cáo"))
    # outcome, computed by governance.rules and stored with its reasons
    regulation = models.ForeignKey(WorkingRegulation, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("Quy chế áp dụng"))
    status = models.CharField(_("Tình trạng"), max_length=10, choices=DecisionStatus.choices)
    reasons = models.JSONField(_("Lý do"), default=list, blank=True)
    corrects = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="corrections", verbose_name=_("Đính chính quyết định"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Quyết định")
        verbose_name_plural = _("Quyết định")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="collective") & Q(meeting__isnull=False) & Q(signatory__isnull=True))
                | (Q(kind="individual") & Q(signatory__isnull=False) & Q(meeting__isnull=True)),
                name="decision_kind_fits_fields",
            ),
        ]
        indexes = [models.Index(fields=["organization", "date"]), models.Index(fields=["status", "date"])]

    def __str__(self) -> str:
        return f"{self.title} ({date_format(self.date, 'SHORT_DATE_FORMAT')})"

    def get_absolute_url(self) -> str:
        return reverse("governance:decision", args=[self.pk])

    @property
    def owning_organization(self) -> Organization:
        return self.organization

    def overdue_on(self, on: dt.date | None = None) -> bool:
        return self.report_due is not None and self.reported_on is None and (on or today()) > self.report_due


class Assignment(DatedRecord):
    """A member's field of individual responsibility (phân công phụ trách), dated."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="assignments",
                                     verbose_name=_("Tổ chức"))
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="assignments",
                               verbose_name=_("Người được phân công"))
    field = models.CharField(_("Lĩnh vực"), max_length=16, choices=Field.choices)
    description = models.CharField(_("Nội dung phụ trách"), max_length=300)

    class Meta(DatedRecord.Meta):
        verbose_name = _("Phân công phụ trách")
        verbose_name_plural = _("Phân công phụ trách")
        ordering = ["organization", "field", "start"]

    def __str__(self) -> str:
        return f"{self.person} — {self.description}"

    @property
    def owning_organization(self) -> Organization:
        return self.organization
