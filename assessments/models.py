"""Periods of review, the assessments in them, targets, the workflow and the rollups the dashboards read.

An assessment moves through the steps of ``choices.Step`` by django-fsm-2
transitions, each guarded by a permission predicate (``may_*``) and logged as
an ``AssessmentEvent`` (who, when, why; append-only). The services call the
transitions inside their transaction after locking the rows; nothing else
writes the state. A decided result is frozen: only an annulment by the
superior (a transition of its own, logged with the result it annulled)
reopens it.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from audit.appendonly import append_only
from common.reasons import Reason, text_of
from governance.models import Meeting
from organizations import access
from organizations.models import Organization, Person

from . import schemes
from .choices import (
    DONE_STEPS,
    HeadAboveCollective,
    LeaderForm,
    Level,
    QuarterlySubjects,
    QuotaRounding,
    SchemeCode,
    Step,
    SubjectKind,
)
from .permissions import APPRAISE, DECIDE, ENTER


class PeriodStatus(models.TextChoices):
    DRAFT = "draft", _("Đang chuẩn bị")
    OPENING = "opening", _("Đang lập danh sách")
    OPEN = "open", _("Đang đánh giá")
    CLOSED = "closed", _("Đã kết thúc")


class PeriodQuerySet(models.QuerySet):
    def visible_to(self, user) -> PeriodQuerySet:
        """Periods covering an organization the user may see, or held inside one."""
        paths = access.granted_paths(user, access.VIEW)
        if paths is None:
            return self
        condition = Q(pk__in=[])
        for path in paths:
            # A period of the province covers a cell's staff; a period of a cell is seen from above.
            condition |= Q(organization__path__startswith=path)
            condition |= Q(organization__path__in=[path[:i] for i in range(Organization.steplen, len(path) + 1,
                                                                            Organization.steplen)])
        return self.filter(condition)


class Period(models.Model):
    """A round of review: a scheme, a year (and a quarter under 366), a subtree, deadlines and settings."""

    scheme = models.CharField(_("Quy định áp dụng"), max_length=8, choices=SchemeCode.choices)
    year = models.PositiveSmallIntegerField(_("Năm"))
    quarter = models.PositiveSmallIntegerField(_("Quý"), null=True, blank=True,
                                               choices=[(1, "I"), (2, "II"), (3, "III")])
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="periods",
                                     verbose_name=_("Phạm vi (tổ chức và cấp dưới)"))
    reference_date = models.DateField(_("Ngày chốt danh sách"))
    status = models.CharField(_("Trạng thái"), max_length=8, choices=PeriodStatus.choices,
                              default=PeriodStatus.DRAFT)
    # Deadlines of the steps (defaults from RULES.md; the organization board may move them).
    self_by = models.DateField(_("Hạn tự đánh giá"))
    appraisal_by = models.DateField(_("Hạn thẩm định"))
    review_by = models.DateField(_("Hạn hội nghị kiểm điểm"))
    decision_by = models.DateField(_("Hạn quyết định xếp loại"))
    notify_by = models.DateField(_("Hạn thông báo kết quả"))
    # Rules RULES.md leaves open: settings of the period, shown on its page.
    quota_share = models.PositiveSmallIntegerField(_("Tỷ lệ Hoàn thành xuất sắc (phần trăm số Hoàn thành tốt)"),
                                                   default=20)
    quota_rounding = models.CharField(_("Làm tròn chỉ tiêu"), max_length=8, choices=QuotaRounding.choices,
                                      default=QuotaRounding.DOWN)
    head_above_collective = models.CharField(_("Người đứng đầu xếp cao hơn tập thể"), max_length=8,
                                             choices=HeadAboveCollective.choices, default=HeadAboveCollective.WARN)
    leader_form = models.CharField(_("Mẫu của lãnh đạo, quản lý (Hướng dẫn 43)"), max_length=12,
                                   choices=LeaderForm.choices, default=LeaderForm.AS_GUIDANCE_25)
    quarterly_subjects = models.CharField(_("Đối tượng đánh giá hằng quý"), max_length=20,
                                          choices=QuarterlySubjects.choices, default=QuarterlySubjects.LEADERS)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(_("Mở lúc"), null=True, blank=True)
    job = models.ForeignKey("jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    subjects = models.PositiveIntegerField(_("Số đối tượng"), default=0)

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("Kỳ đánh giá")
        verbose_name_plural = _("Kỳ đánh giá")
        ordering = ["-year", "-quarter", "organization__path"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year", "quarter"], name="period_once",
                                    violation_error_message=_("Đã có kỳ đánh giá này cho tổ chức này.")),
            models.UniqueConstraint(fields=["organization", "year"], condition=Q(quarter__isnull=True),
                                    name="period_year_once",
                                    violation_error_message=_("Đã có kỳ đánh giá năm này cho tổ chức này.")),
            models.CheckConstraint(condition=Q(quota_share__gte=1) & Q(quota_share__lte=100),
                                   name="period_quota_share_percent"),
            models.CheckConstraint(condition=Q(quarter__isnull=True) | Q(scheme=SchemeCode.REG366),
                                   name="period_quarter_only_366"),
        ]

    def __str__(self) -> str:
        return f"{self.title} — {self.organization}"

    def get_absolute_url(self) -> str:
        return reverse("assessments:period", args=[self.pk])

    @property
    def title(self) -> str:
        if self.quarter:
            return _("Quý %(q)s năm %(y)s") % {"q": self.get_quarter_display(), "y": self.year}
        return _("Năm %(y)s") % {"y": self.year}

    @property
    def plain_label(self) -> str:
        """The period in no language, for what is stored (audit summaries): "Đảng bộ tỉnh X 2026" or "… 2026-Q2"."""
        return f"{self.organization.name} {self.year}" + (f"-Q{self.quarter}" if self.quarter else "")

    @property
    def owning_organization(self) -> Organization:
        return self.organization

    @property
    def rules(self) -> schemes.Scheme:
        return schemes.get(self.scheme)

    def deadline_of(self, step: str) -> dt.date | None:
        """The date by which an assessment must have left ``step``."""
        return {Step.PENDING: self.self_by, Step.SELF_ASSESSED: self.appraisal_by, Step.APPRAISED: self.review_by,
                Step.REVIEWED: self.decision_by, Step.DECIDED: self.notify_by}.get(step)


class PeerGroup(models.Model):
    """Subjects with similar roles, functions and tasks: the base of the quota of Excellent ratings.

    By default one group per deciding organization and subject kind; the
    deciding level may merge groups or split one (by the organizations its
    subjects belong to) before any decision in them. The counters of
    decided Excellent and Good ratings change only in the transaction
    that decides, with this row locked: two officers deciding at the same
    moment cannot together exceed the quota.
    """

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="peer_groups")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("Cấp quyết định"))
    kind = models.CharField(_("Đối tượng"), max_length=12, choices=SubjectKind.choices)
    name = models.CharField(_("Nhóm"), max_length=200)
    excellent = models.PositiveIntegerField(_("Số Hoàn thành xuất sắc"), default=0)
    good = models.PositiveIntegerField(_("Số Hoàn thành tốt"), default=0)
    size = models.PositiveIntegerField(_("Số đối tượng"), default=0)

    class Meta:
        verbose_name = _("Nhóm có chức năng, nhiệm vụ tương đồng")
        verbose_name_plural = _("Nhóm có chức năng, nhiệm vụ tương đồng")
        indexes = [models.Index(fields=["period", "organization", "kind"], name="peer_group_decider")]

    def __str__(self) -> str:
        return self.name

    @property
    def owning_organization(self) -> Organization:
        return self.organization


class AssessmentQuerySet(models.QuerySet):
    def in_subtree(self, org: Organization) -> AssessmentQuerySet:
        return self.filter(organization__path__startswith=org.path)


class Assessment(models.Model):
    """One collective or one person reviewed in one period.

    ``organization`` is the organization reviewed (a collective) or the cell
    the person belonged to on the period's reference date: the owner, and the
    key of the rollups. ``decider`` is the competent level (the superior that
    assigned the tasks); ``role_organization`` the organization a leader leads.
    """

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="assessments")
    kind = models.CharField(_("Đối tượng"), max_length=12, choices=SubjectKind.choices)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="assessments",
                                     verbose_name=_("Tổ chức"))
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="assessments",
                               verbose_name=_("Đảng viên"))
    role_organization = models.ForeignKey(Organization, on_delete=models.PROTECT, null=True, blank=True,
                                          related_name="+", verbose_name=_("Nơi giữ chức vụ"))
    decider = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("Cấp quyết định"))
    peer_group = models.ForeignKey(PeerGroup, on_delete=models.PROTECT, related_name="assessments")
    state = FSMField(_("Bước"), max_length=16, choices=Step.choices, default=Step.PENDING)
    # Self-assessment.
    self_grades = models.JSONField(default=dict, blank=True)
    self_level = models.CharField(_("Tự xếp loại"), max_length=16, choices=Level.choices, blank=True)
    self_text = models.TextField(_("Tự nhận xét"), blank=True)
    # Appraisal by the organization board.
    appraisal_level = models.CharField(_("Đề xuất của Ban Tổ chức"), max_length=16, choices=Level.choices,
                                       blank=True)
    appraisal_text = models.TextField(_("Ý kiến thẩm định"), blank=True)
    # Review meeting.
    grades = models.JSONField(default=dict, blank=True)
    review_level = models.CharField(_("Hội nghị đề xuất"), max_length=16, choices=Level.choices, blank=True)
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name=_("Hội nghị kiểm điểm"))
    # Facts (targets and tasks, findings).
    tasks_total = models.PositiveSmallIntegerField(_("Số nhiệm vụ"), default=0)
    tasks_done = models.PositiveSmallIntegerField(_("Hoàn thành"), default=0)
    tasks_on_time = models.PositiveSmallIntegerField(_("Đúng hạn"), default=0)
    tasks_exceeded = models.PositiveSmallIntegerField(_("Vượt yêu cầu"), default=0)
    breach_37 = models.BooleanField(_("Vi phạm Quy định 37, trách nhiệm nêu gương"), default=False)
    shortcomings_fixed = models.BooleanField(_("Đã khắc phục hạn chế, khuyết điểm"), default=True)
    disunity = models.BooleanField(_("Mất đoàn kết (có kết luận)"), default=False)
    # Decision.
    score = models.DecimalField(_("Điểm"), max_digits=5, decimal_places=2, null=True, blank=True)
    ceiling = models.CharField(_("Mức cao nhất được xếp"), max_length=16, choices=Level.choices, blank=True)
    reasons = models.JSONField(default=list, blank=True)  # why the ceiling is what it is (codes)
    level = models.CharField(_("Xếp loại"), max_length=16, choices=Level.choices, blank=True, db_index=True)
    override_reason = models.TextField(_("Lý do xếp vượt mức"), blank=True)
    decided_at = models.DateTimeField(_("Quyết định lúc"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    notified_at = models.DateTimeField(_("Thông báo lúc"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("Xác nhận lúc"), null=True, blank=True)
    annulments = models.PositiveSmallIntegerField(_("Số lần hủy kết quả"), default=0)
    # Flags the dashboards list.
    flag_cap_override = models.BooleanField(_("Xếp vượt mức cho phép"), default=False)
    flag_head_above = models.BooleanField(_("Người đứng đầu xếp cao hơn tập thể"), default=False)
    flag_twice = models.BooleanField(_("Hai năm liền không hoàn thành"), default=False)
    flag_quota = models.BooleanField(_("Vượt tỷ lệ xuất sắc"), default=False)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("Đánh giá, xếp loại")
        verbose_name_plural = _("Đánh giá, xếp loại")
        ordering = ["period", "organization__path", "kind", "person__sort_name"]
        constraints = [
            models.UniqueConstraint(fields=["period", "person"], condition=Q(person__isnull=False),
                                    name="assessment_person_once"),
            models.UniqueConstraint(fields=["period", "organization"], condition=Q(person__isnull=True),
                                    name="assessment_collective_once"),
            models.CheckConstraint(condition=Q(kind=SubjectKind.COLLECTIVE, person__isnull=True)
                                   | (~Q(kind=SubjectKind.COLLECTIVE) & Q(person__isnull=False)),
                                   name="assessment_subject_fits_kind"),
            models.CheckConstraint(condition=Q(tasks_done__lte=models.F("tasks_total"))
                                   & Q(tasks_on_time__lte=models.F("tasks_done"))
                                   & Q(tasks_exceeded__lte=models.F("tasks_done")),
                                   name="assessment_task_counts"),
            models.CheckConstraint(condition=~Q(state__in=sorted(s.value for s in DONE_STEPS)) | ~Q(level=""),
                                   name="assessment_decided_has_level"),
        ]
        indexes = [
            models.Index(fields=["period", "organization", "kind"], name="assessment_by_org"),
            models.Index(fields=["period", "decider", "state"], name="assessment_by_decider"),
            models.Index(fields=["person", "period"], name="assessment_of_person"),
            # The dashboards' flagged cases: few rows, found without reading the period's assessments.
            models.Index(fields=["period", "organization"], name="assessment_flagged",
                         condition=Q(flag_cap_override=True) | Q(flag_head_above=True) | Q(flag_twice=True)
                         | Q(flag_quota=True)),
        ]

    def __str__(self) -> str:
        return str(self.person) if self.person_id else str(self.organization)

    def get_absolute_url(self) -> str:
        return reverse("assessments:assessment", args=[self.pk])

    @property
    def owning_organization(self) -> Organization:
        return self.organization

    @property
    def subject(self) -> str:
        return str(self)

    @property
    def needs_appraisal(self) -> bool:
        """Leaders and party committees are appraised by the organization board before the review meeting;
        a cell and its ordinary members go straight from self-assessment to the cell's meeting."""
        if self.kind == SubjectKind.COLLECTIVE:
            return not self.organization.is_cell
        return self.kind == SubjectKind.LEADER

    @property
    def frozen(self) -> bool:
        return self.state in DONE_STEPS

    @property
    def form(self) -> str:
        return self.period.rules.form_for(self.kind, self.period.leader_form)

    # --- permission predicates (django-fsm-2 ``permission=``) -----------------------

    def may_enter(self, user) -> bool:
        """The subject themselves, or the staff of their organization (on their behalf)."""
        return self._is_subject(user) or _can(user, ENTER, self.organization)

    def may_appraise(self, user) -> bool:
        return _can(user, APPRAISE, self.decider)

    def may_review(self, user) -> bool:
        return _can(user, ENTER, self.organization)

    def may_decide(self, user) -> bool:
        return _can(user, DECIDE, self.decider)

    def may_acknowledge(self, user) -> bool:
        return self._is_subject(user)

    def may_annul(self, user) -> bool:
        """The superior of the deciding level (124 Art. 13), or the province for its own decisions."""
        above = _parent(self.decider)
        return _can(user, DECIDE, above or self.decider) and (above is not None or user.is_superuser)

    def _is_subject(self, user) -> bool:
        return bool(self.person_id and getattr(self.person, "user_id", None)
                    and self.person.user_id == getattr(user, "pk", None))

    # --- transitions (called by the services, which lock, check and log) ------------

    @transition(field=state, source=Step.PENDING, target=Step.SELF_ASSESSED, permission=may_enter)
    def submit_self(self) -> None:
        pass

    @transition(field=state, source=Step.SELF_ASSESSED, target=Step.APPRAISED, permission=may_appraise,
                conditions=[lambda a: a.needs_appraisal])
    def appraise(self) -> None:
        pass

    @transition(field=state, source=[Step.SELF_ASSESSED, Step.APPRAISED], target=Step.REVIEWED,
                permission=may_review,
                conditions=[lambda a: a.state == Step.APPRAISED or not a.needs_appraisal])
    def review(self) -> None:
        pass

    @transition(field=state, source=Step.REVIEWED, target=Step.DECIDED, permission=may_decide)
    def decide(self) -> None:
        pass

    @transition(field=state, source=Step.DECIDED, target=Step.NOTIFIED, permission=may_decide)
    def notify(self) -> None:
        pass

    @transition(field=state, source=Step.NOTIFIED, target=Step.ACKNOWLEDGED, permission=may_acknowledge)
    def acknowledge(self) -> None:
        pass

    @transition(field=state, source=[Step.DECIDED, Step.NOTIFIED, Step.ACKNOWLEDGED], target=Step.REVIEWED,
                permission=may_annul)
    def annul(self) -> None:
        pass


def _parent(org: Organization) -> Organization | None:
    cached = getattr(org, "_parent_cache", False)
    if cached is False:
        cached = org.get_parent() if org.depth > 1 else None
        org._parent_cache = cached
    return cached


def _can(user, perm: str, org: Organization) -> bool:
    """``access.can`` with the user's permissions on each organization read once per request."""
    if not getattr(user, "is_authenticated", False):
        return False
    known = getattr(org, "perms", None)  # set by the access helpers that fetched the organization
    if known is not None:
        return perm in known
    cache = user.__dict__.setdefault("_assessment_perms", {})
    if org.pk not in cache:
        cache[org.pk] = access.perms_on(user, org)
    return perm in cache[org.pk]


@append_only
class AssessmentEvent(models.Model):
    """One step of an assessment: who, when, from which state to which, and why. Append-only."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="events")
    transition = models.CharField(_("Bước"), max_length=20)
    source = models.CharField(_("Từ"), max_length=16, choices=Step.choices)
    target = models.CharField(_("Sang"), max_length=16, choices=Step.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("Người thực hiện"))
    at = models.DateTimeField(_("Lúc"), auto_now_add=True)
    note = models.TextField(_("Lý do, ghi chú"), blank=True)
    data = models.JSONField(default=dict, blank=True)  # the result annulled, the level decided ...

    class Meta:
        verbose_name = _("Bước xử lý")
        verbose_name_plural = _("Bước xử lý")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.assessment}: {self.transition}"

    @property
    def owning_organization(self) -> Organization:
        return self.assessment.organization

    @property
    def text(self) -> str:
        """Why, in the reader's language: what the portal says of the step (a reason code kept in ``data``),
        then what the person acting wrote (``note``, in their own words)."""
        said = text_of(Reason.from_json(self.data["reason"])) if self.data.get("reason") else ""
        return " · ".join(part for part in (said, self.note) if part)


class TargetResult(models.TextChoices):
    PENDING = "pending", _("Đang thực hiện")
    ON_TIME = "on_time", _("Hoàn thành đúng hạn")
    EXCEEDED = "exceeded", _("Hoàn thành vượt yêu cầu")
    LATE = "late", _("Hoàn thành chậm")
    NOT_DONE = "not_done", _("Không hoàn thành")


class Target(models.Model):
    """A target or task assigned at the start of the year: the basis of the rating."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="targets")
    title = models.CharField(_("Chỉ tiêu, nhiệm vụ"), max_length=300)
    due = models.DateField(_("Thời hạn"), null=True, blank=True)
    result = models.CharField(_("Kết quả"), max_length=10, choices=TargetResult.choices,
                              default=TargetResult.PENDING)
    note = models.CharField(_("Ghi chú"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("Chỉ tiêu, nhiệm vụ")
        verbose_name_plural = _("Chỉ tiêu, nhiệm vụ")
        ordering = ["assessment", "order", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def owning_organization(self) -> Organization:
        return self.assessment.organization


class Rollup(models.Model):
    """How many assessments of a period, in an organization's whole subtree, are at each step and level.

    Kept exact inside the transaction of every change of state or level, so a
    dashboard reads a few rows whatever the size of the subtree.
    """

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="rollups")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=SubjectKind.choices)
    state = models.CharField(max_length=16, choices=Step.choices)
    level = models.CharField(max_length=16, choices=Level.choices, blank=True)
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["period", "organization", "kind", "state", "level"], name="rollup_key"),
            models.CheckConstraint(condition=Q(count__gte=0), name="rollup_count_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.kind} {self.state} {self.level}: {self.count}"

    @property
    def owning_organization(self) -> Organization:
        return self.organization


class Reminder(models.Model):
    """A reminder the portal sent an organization about a step's deadline (one per step and day)."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="reminders")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="assessment_reminders")
    step = models.CharField(max_length=16, choices=Step.choices)
    late = models.BooleanField(_("Đã quá hạn"), default=False)
    pending = models.PositiveIntegerField(_("Số chưa xong"), default=0)
    deadline = models.DateField(_("Hạn"))
    sent_on = models.DateField(_("Ngày nhắc"))
    emailed = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("Nhắc việc")
        verbose_name_plural = _("Nhắc việc")
        ordering = ["-sent_on", "organization__path"]
        constraints = [models.UniqueConstraint(fields=["period", "organization", "step", "sent_on", "late"],
                                               name="reminder_once_a_day")]

    def __str__(self) -> str:
        return f"{self.organization}: {self.get_step_display()}"

    @property
    def owning_organization(self) -> Organization:
        return self.organization
