"""Personnel work: planning, nominations under Regulation 142 and the standard procedure, and the ledger.

A nomination is one person for one post. Its steps are meetings of the right
body whose paper vote-counting minutes the clerk enters; the result follows
from the counts and the thresholds of the text in force on the meeting's date,
and nobody can set it otherwise. Every act on a nomination, and every later
event of an appointee (a discipline, a Not completed rating, a dismissal), is
an entry of the responsibility ledger: append-only, hash-chained, signed at
checkpoints, attached to the head who introduced the person for good.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from audit.appendonly import HashChained, append_only
from governance.models import Decision, Meeting
from organizations.models import Organization, Person, Position, Tenure

__all__ = [
    "PlanningEntry",
    "NominationKind",
    "Source",
    "NominationState",
    "OPEN_STATES",
    "CLOSED_STATES",
    "Nomination",
    "ProcedureStep",
    "StepResult",
    "EntryKind",
    "ResponsibilityEntry",
    "LedgerCheckpoint",
    "LedgerCountersignature",
    "ActionProgramTemplate",
]


# --- planning -------------------------------------------------------------------------------------------


class PlanningQuerySet(models.QuerySet):
    def standing_on(self, on: dt.date) -> PlanningQuerySet:
        """Entries added by ``on`` and not removed before it."""
        return self.filter(added_on__lte=on).filter(Q(removed_on__isnull=True) | Q(removed_on__gt=on))

    def in_subtree(self, org: Organization) -> PlanningQuerySet:
        return self.filter(organization__path__startswith=org.path)


class PlanningEntry(models.Model):
    """A person planned (quy hoạch) for a post of an organization in a term, by a recorded decision.

    Removing an entry is a recorded decision too: the row keeps who added it and who removed it, when and by
    which decision; nothing is deleted.
    """

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="planning",
                                     verbose_name=_("Tổ chức có chức danh"))
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="planning",
                               verbose_name=_("Cán bộ được quy hoạch"))
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("Chức danh quy hoạch"))
    term = models.CharField(_("Nhiệm kỳ quy hoạch"), max_length=20, help_text=_("Ví dụ 2025-2030."))
    added_on = models.DateField(_("Ngày quyết định phê duyệt"))
    added_ref = models.CharField(_("Số quyết định phê duyệt"), max_length=60)
    added_by = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("Cấp phê duyệt"))
    removed_on = models.DateField(_("Ngày quyết định đưa ra khỏi quy hoạch"), null=True, blank=True)
    removed_ref = models.CharField(_("Số quyết định đưa ra"), max_length=60, blank=True)
    removed_by = models.ForeignKey(Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("Cấp quyết định đưa ra"))
    removal_reason = models.CharField(_("Lý do đưa ra"), max_length=300, blank=True)

    objects = PlanningQuerySet.as_manager()

    class Meta:
        verbose_name = _("Quy hoạch cán bộ")
        verbose_name_plural = _("Quy hoạch cán bộ")
        ordering = ["organization__path", "position__rank", "person__sort_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "person", "position", "term"],
                                    condition=Q(removed_on__isnull=True), name="planning_once_standing"),
            models.CheckConstraint(condition=Q(removed_on__isnull=True) | Q(removed_on__gte=models.F("added_on")),
                                   name="planning_removed_after_added"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.position} — {self.organization} ({self.term})"

    @property
    def owning_organization(self) -> Organization:
        return self.organization

    @property
    def standing(self) -> bool:
        return self.removed_on is None


# --- nominations -----------------------------------------------------------------------------------------


class NominationKind(models.TextChoices):
    ELECTION = "election", _("Giới thiệu nhân sự ứng cử (Điều 3 Quy định 142)")
    DEPUTY = "deputy", _("Giới thiệu bổ nhiệm cấp phó của người đứng đầu (Điều 3 Quy định 142)")
    STANDING_SEAT = "standing_seat", _("Đề xuất bổ sung ủy viên Ban Thường vụ (Điều 4 Quy định 142)")
    SUBORDINATE_HEAD = "subordinate_head", _("Bổ nhiệm người đứng đầu đơn vị trực thuộc (Điều 5 Quy định 142)")
    SUBORDINATE_DISMISSAL = "subordinate_dismissal", _("Miễn nhiệm người đứng đầu đơn vị trực thuộc "
                                                       "(Điều 5 Quy định 142)")
    STANDARD = "standard", _("Bổ nhiệm theo quy trình chung")


PILOT_KINDS = (NominationKind.ELECTION, NominationKind.DEPUTY, NominationKind.STANDING_SEAT,
               NominationKind.SUBORDINATE_HEAD, NominationKind.SUBORDINATE_DISMISSAL)


class Source(models.TextChoices):
    INTERNAL = "internal", _("Nguồn nhân sự tại chỗ")
    EXTERNAL = "external", _("Nguồn nhân sự từ nơi khác")


class NominationState(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    INTRODUCED = "introduced", _("Đã giới thiệu")
    AT_STEP = "at_step", _("Đang thực hiện quy trình")
    SELECTED = "selected", _("Được lựa chọn")
    APPOINTED = "appointed", _("Đã có quyết định")
    REJECTED = "rejected", _("Không được thông qua")
    WITHDRAWN = "withdrawn", _("Đã rút")


OPEN_STATES = (NominationState.DRAFT, NominationState.INTRODUCED, NominationState.AT_STEP,
               NominationState.SELECTED)
CLOSED_STATES = (NominationState.APPOINTED, NominationState.REJECTED, NominationState.WITHDRAWN)


class NominationQuerySet(models.QuerySet):
    def in_subtree(self, org: Organization) -> NominationQuerySet:
        return self.filter(organization__path__startswith=org.path)

    def open(self) -> NominationQuerySet:
        return self.filter(state__in=OPEN_STATES)


def _perm(user, perm: str, org: Organization) -> bool:
    from organizations import access

    return access.can(user, perm, org)


class Nomination(models.Model):
    """One person introduced for one post (or, for a dismissal, one holder to be dismissed from it).

    ``organization`` is the organization whose head (or collective) nominates: the owner. ``target`` is where
    the post is: the same organization, or for Art. 5 a directly subordinate unit. The nominator and the tenure
    that gave the power are kept for good: the nominator's record reads them after they have left the post.
    """

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="nominations",
                                     verbose_name=_("Tổ chức giới thiệu"))
    target = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="nominations_for",
                               verbose_name=_("Nơi có chức danh"))
    kind = models.CharField(_("Loại"), max_length=24, choices=NominationKind.choices)
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("Chức danh"))
    dismissal = models.BooleanField(_("Miễn nhiệm"), default=False, editable=False)
    nominee = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="nominations",
                                verbose_name=_("Người được giới thiệu"))
    nominator = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="nominations_made", verbose_name=_("Người giới thiệu"))
    nominator_tenure = models.ForeignKey(Tenure, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                         verbose_name=_("Chức vụ làm căn cứ thẩm quyền"))
    source = models.CharField(_("Nguồn nhân sự"), max_length=10, choices=Source.choices)
    rationale = models.TextField(_("Lý do giới thiệu"), blank=True)
    # The "5 clear" action program: {"work": ..., "people": ..., "schedule": ..., "results": ..., "responsibility": ...}
    action_program = models.JSONField(_("Chương trình hành động"), default=dict, blank=True)
    # A dismissal: the tenure ended by it, its grounds and the procedure followed.
    dismissed_tenure = models.ForeignKey(Tenure, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                         verbose_name=_("Chức vụ bị miễn nhiệm"))
    grounds = models.TextField(_("Căn cứ miễn nhiệm"), blank=True)
    procedure = models.TextField(_("Trình tự, thủ tục đã thực hiện"), blank=True)
    # An exception to the planning requirement: only by a recorded decision of the competent level (377).
    planning_exception_ref = models.CharField(_("Quyết định cho phép ngoài quy hoạch"), max_length=60, blank=True)
    state = FSMField(_("Trạng thái"), max_length=12, choices=NominationState.choices,
                     default=NominationState.DRAFT, protected=False)
    current_step = models.PositiveSmallIntegerField(_("Bước hiện tại"), default=0)
    introduced_on = models.DateField(_("Ngày giới thiệu"), null=True, blank=True)
    closed_on = models.DateField(_("Ngày kết thúc"), null=True, blank=True)
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("Quyết định của cấp có thẩm quyền"))
    appointed_tenure = models.ForeignKey(Tenure, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                         verbose_name=_("Chức vụ được bổ nhiệm"))
    withdrawal_reason = models.TextField(_("Lý do rút"), blank=True)
    corrects = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="corrections", verbose_name=_("Thay cho lần giới thiệu"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = NominationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Giới thiệu nhân sự")
        verbose_name_plural = _("Giới thiệu nhân sự")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # 142 Art. 3: one person for one post. A second open nomination for the post is refused by the
            # database too, so two clerks at once cannot both open one.
            models.UniqueConstraint(fields=["target", "position", "dismissal"],
                                    condition=Q(state__in=["draft", "introduced", "at_step", "selected"]),
                                    name="nomination_one_open_per_post"),
            models.CheckConstraint(
                condition=Q(kind="standard") | Q(state="draft") | Q(state="withdrawn")
                | (Q(nominator__isnull=False) & Q(nominator_tenure__isnull=False)),
                name="nomination_pilot_has_nominator"),
            models.CheckConstraint(condition=Q(dismissal=False) | Q(kind="subordinate_dismissal"),
                                   name="nomination_dismissal_kind"),
        ]
        indexes = [models.Index(fields=["nominator", "introduced_on"]),
                   models.Index(fields=["state", "kind"])]

    def __str__(self) -> str:
        return f"{self.nominee} — {self.position} — {self.target}"

    def get_absolute_url(self) -> str:
        return reverse("personnel:nomination", args=[self.pk])

    @property
    def owning_organization(self) -> Organization:
        return self.organization

    @property
    def is_pilot(self) -> bool:
        return self.kind in PILOT_KINDS

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def finished(self) -> bool:
        """The process has ended (the wider conference's results may be shown beyond the board)."""
        return self.state in CLOSED_STATES

    # --- permission predicates (django-fsm-2 ``permission=``); the services check them under the lock -----

    def may_edit(self, user) -> bool:
        from .permissions import MANAGE_PERSONNEL

        return _perm(user, MANAGE_PERSONNEL, self.organization)

    def may_introduce(self, user) -> bool:
        """The head on the day uses the 142 power in person; the standard procedure is the office's."""
        from .permissions import INTRODUCE, MANAGE_PERSONNEL

        if not self.is_pilot:
            return _perm(user, MANAGE_PERSONNEL, self.organization)
        person = getattr(user, "person", None)
        return (_perm(user, INTRODUCE, self.organization) and person is not None
                and person.pk == self.nominator_id)

    def may_record_step(self, user) -> bool:
        from .permissions import MANAGE_PERSONNEL

        return _perm(user, MANAGE_PERSONNEL, self.organization)

    def may_withdraw(self, user) -> bool:
        from .permissions import INTRODUCE, MANAGE_PERSONNEL

        person = getattr(user, "person", None)
        return _perm(user, MANAGE_PERSONNEL, self.organization) or (
            _perm(user, INTRODUCE, self.organization) and person is not None and person.pk == self.nominator_id)

    # --- transitions (called by the services, which lock, check and append to the ledger) ----------------

    @transition(field=state, source=NominationState.DRAFT, target=NominationState.INTRODUCED,
                permission=may_introduce)
    def introduce(self) -> None:
        pass

    @transition(field=state, source=[NominationState.INTRODUCED, NominationState.AT_STEP],
                target=NominationState.AT_STEP, permission=may_record_step)
    def advance(self) -> None:
        pass

    @transition(field=state, source=[NominationState.INTRODUCED, NominationState.AT_STEP],
                target=NominationState.SELECTED, permission=may_record_step)
    def select(self) -> None:
        pass

    @transition(field=state, source=NominationState.SELECTED, target=NominationState.APPOINTED,
                permission=may_record_step)
    def appoint(self) -> None:
        pass

    @transition(field=state, source=[NominationState.INTRODUCED, NominationState.AT_STEP],
                target=NominationState.REJECTED, permission=may_record_step)
    def reject(self) -> None:
        pass

    @transition(field=state, source=list(OPEN_STATES), target=NominationState.WITHDRAWN, permission=may_withdraw)
    def withdraw(self) -> None:
        pass


class StepResult(models.TextChoices):
    INTRODUCED = "introduced", _("Người đứng đầu giới thiệu")
    RECORDED = "recorded", _("Đã ghi kết quả")
    PASSED = "passed", _("Đạt")
    SELECTED = "selected", _("Được lựa chọn")
    TOP_TWO = "top_two", _("Không ai đạt trên 50%: vào hai người cao nhất")
    TIE = "tie", _("Đạt đúng 50%: người đứng đầu quyết định")
    TIE_SETTLED = "tie_settled", _("Người đứng đầu đã quyết định")
    NOT_PASSED = "not_passed", _("Không đạt")


class ProcedureStep(models.Model):
    """One step of a nomination: a meeting of the right body and its vote-counting minutes.

    ``convened`` and ``present`` are the ids of the members as they stood when the step was recorded: a
    snapshot, so a later change of tenures does not change the base of its majority. The counts are the
    paper minutes (ballots issued, returned, valid, invalid, votes per candidate); the result is computed
    from them by ``personnel.rules`` and stored with the threshold it used and its citation.
    """

    nomination = models.ForeignKey(Nomination, on_delete=models.PROTECT, related_name="steps")
    number = models.PositiveSmallIntegerField(_("Bước"))
    code = models.CharField(_("Nội dung bước"), max_length=24)
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name=_("Hội nghị"))
    held_on = models.DateField(_("Ngày"))
    convened = models.JSONField(_("Thành phần được triệu tập"), default=list, blank=True)
    present = models.JSONField(_("Có mặt"), default=list, blank=True)
    ballots_issued = models.PositiveIntegerField(_("Số phiếu phát ra"), default=0)
    ballots_returned = models.PositiveIntegerField(_("Số phiếu thu về"), default=0)
    ballots_valid = models.PositiveIntegerField(_("Số phiếu hợp lệ"), default=0)
    ballots_invalid = models.PositiveIntegerField(_("Số phiếu không hợp lệ"), default=0)
    # [{"person": id, "name": "...", "votes": n}, ...], the nominee among them.
    votes = models.JSONField(_("Số phiếu của từng người"), default=list, blank=True)
    result = models.CharField(_("Kết quả"), max_length=12, choices=StepResult.choices)
    # The threshold applied and its citation, and any warning (a tie for second place): codes.
    threshold = models.JSONField(default=dict, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    note = models.TextField(_("Ghi chú, ý kiến thẩm định"), blank=True)
    confidential = models.BooleanField(_("Không công bố kết quả"), default=False)
    # The standards check as it stood on the meeting's day (``personnel.standards.Item.to_json`` each).
    standards = models.JSONField(_("Kiểm tra tiêu chuẩn"), default=list, blank=True)
    # Members related to the nominee that day: present, out of the ballot and of the base of the majority.
    recused = models.JSONField(_("Không tham gia biểu quyết (quan hệ gia đình)"), default=list, blank=True)
    settled_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("Người đứng đầu quyết định"))
    settled_selected = models.BooleanField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Bước quy trình")
        verbose_name_plural = _("Bước quy trình")
        ordering = ["nomination", "number"]
        constraints = [
            models.UniqueConstraint(fields=["nomination", "number"], name="step_once"),
            models.CheckConstraint(
                condition=Q(ballots_returned__lte=models.F("ballots_issued"))
                & Q(ballots_returned=models.F("ballots_valid") + models.F("ballots_invalid")),
                name="step_counts_possible"),
        ]

    def __str__(self) -> str:
        return f"{self.nomination} — {self.number}"

    @property
    def owning_organization(self) -> Organization:
        return self.nomination.organization

    def nominee_votes(self) -> int | None:
        row = next((v for v in self.votes if v.get("person") == self.nomination.nominee_id), None)
        return row["votes"] if row else None


# --- the responsibility ledger ----------------------------------------------------------------------------


class EntryKind(models.TextChoices):
    INTRODUCED = "introduced", _("Giới thiệu")
    STEP = "step", _("Kết quả bước quy trình")
    TIE_SETTLED = "tie_settled", _("Người đứng đầu quyết định khi đạt đúng 50%")
    SELECTED = "selected", _("Được lựa chọn")
    APPOINTED = "appointed", _("Có quyết định bổ nhiệm, phê chuẩn")
    REJECTED = "rejected", _("Không được thông qua")
    WITHDRAWN = "withdrawn", _("Rút giới thiệu")
    DISMISSED = "dismissed", _("Quyết định miễn nhiệm")
    STANDARDS_EXPLAINED = "explained", _("Giải trình cảnh báo tiêu chuẩn")
    # Later events of the appointee, announced by the lower apps.
    DISCIPLINE = "discipline", _("Bị kỷ luật")
    NOT_COMPLETED = "not_completed", _("Xếp loại Không hoàn thành nhiệm vụ")
    LOW_CONFIDENCE = "low_confidence", _("Tín nhiệm thấp")
    DISMISSAL = "dismissal", _("Bị miễn nhiệm")


LATER_EVENTS = (EntryKind.DISCIPLINE, EntryKind.NOT_COMPLETED, EntryKind.LOW_CONFIDENCE, EntryKind.DISMISSAL)


@append_only
class ResponsibilityEntry(HashChained):
    """An entry of the responsibility ledger (sổ theo dõi trách nhiệm người giới thiệu).

    The database refuses UPDATE, DELETE and TRUNCATE on it; entries are only appended, through
    ``personnel.ledger.ledger_append``, under the lock of the chain's head. ``data`` holds codes and
    parameters (never sentences): the step's counts and result, the discipline's form, the rating.
    """

    kind = models.CharField(_("Sự kiện"), max_length=16, choices=EntryKind.choices)
    nomination = models.ForeignKey(Nomination, on_delete=models.PROTECT, related_name="ledger")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("Tổ chức giới thiệu"))
    nominator = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("Người giới thiệu"))
    nominee = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("Người được giới thiệu"))
    occurred_on = models.DateField(_("Ngày"))
    recorded_at = models.DateTimeField(_("Thời điểm ghi"))
    data = models.JSONField(default=dict, blank=True)

    chained_fields = ("kind", "nomination", "organization", "nominator", "nominee", "occurred_on", "recorded_at",
                      "data")

    class Meta(HashChained.Meta):
        verbose_name = _("Sổ theo dõi trách nhiệm người giới thiệu")
        verbose_name_plural = _("Sổ theo dõi trách nhiệm người giới thiệu")
        ordering = ["seq"]
        # The nominator's record reads their entries newest first (``selectors.record_entries``).
        indexes = [models.Index(fields=["nominator", "occurred_on", "seq"]), models.Index(fields=["nomination", "seq"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.kind}"

    @property
    def owning_organization(self) -> Organization:
        return self.organization


@append_only
class StandardsNote(models.Model):
    """The organization board's judgement of one Regulation 144 standard for a nominee, with its note. The
    latest note of a standard is the one the check reads; an earlier one stays, as it was written."""

    nomination = models.ForeignKey(Nomination, on_delete=models.PROTECT, related_name="standards_notes")
    standard = models.CharField(_("Chuẩn mực"), max_length=32)
    met = models.BooleanField(_("Đạt"))
    note = models.TextField(_("Nhận xét của Ban Tổ chức"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Nhận xét chuẩn mực đạo đức")
        verbose_name_plural = _("Nhận xét chuẩn mực đạo đức")
        indexes = [models.Index(fields=["nomination", "standard", "recorded_at"])]

    def __str__(self) -> str:
        return f"{self.nomination_id} {self.standard}: {self.met}"


class ConfidenceOutcome(models.TextChoices):
    OK = "ok", _("Không quá một nửa phiếu tín nhiệm thấp")
    LOW_HALF = "low_half", _("Quá một nửa phiếu tín nhiệm thấp")
    LOW_TWO_THIRDS = "low_two_thirds", _("Từ hai phần ba phiếu tín nhiệm thấp")


@append_only
class ConfidenceVote(models.Model):
    """A confidence vote (Regulation 96) at a meeting of the organization's body: the ballots and who was
    convened and present that day (a snapshot), the base of the fractions as the province's setting said then,
    and who was left off the list and why."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="confidence_votes",
                                     verbose_name=_("Tổ chức"))
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="+", verbose_name=_("Hội nghị"))
    held_on = models.DateField(_("Ngày lấy phiếu"))
    year = models.PositiveSmallIntegerField(_("Năm"))
    convened = models.JSONField(_("Thành phần được triệu tập"), default=list)
    present = models.JSONField(_("Có mặt"), default=list)
    ballots_issued = models.PositiveIntegerField(_("Số phiếu phát ra"))
    ballots_returned = models.PositiveIntegerField(_("Số phiếu thu về"))
    base_rule = models.CharField(_("Căn cứ tính tỷ lệ"), max_length=12)
    left_out = models.JSONField(_("Không lấy phiếu"), default=list, blank=True)  # [{"tenure", "person", "why"}]
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Lấy phiếu tín nhiệm")
        verbose_name_plural = _("Lấy phiếu tín nhiệm")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.organization} ({self.held_on:%d/%m/%Y})"


@append_only
class ConfidenceResult(models.Model):
    """One cadre's counts on a confidence vote, and what follows from them."""

    vote = models.ForeignKey(ConfidenceVote, on_delete=models.PROTECT, related_name="results")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="confidence_results",
                               verbose_name=_("Cán bộ"))
    tenure = models.ForeignKey(Tenure, on_delete=models.PROTECT, related_name="+", verbose_name=_("Chức vụ"))
    high = models.PositiveIntegerField(_("Tín nhiệm cao"))
    confidence = models.PositiveIntegerField(_("Tín nhiệm"))
    low = models.PositiveIntegerField(_("Tín nhiệm thấp"))
    invalid = models.PositiveIntegerField(_("Phiếu không hợp lệ"))
    base = models.PositiveIntegerField(_("Căn cứ tính tỷ lệ"))
    outcome = models.CharField(_("Kết quả"), max_length=16, choices=ConfidenceOutcome.choices, db_index=True)
    reasons = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("Kết quả lấy phiếu tín nhiệm")
        verbose_name_plural = _("Kết quả lấy phiếu tín nhiệm")
        constraints = [models.UniqueConstraint(fields=["vote", "tenure"], name="confidence_once_a_post")]

    def __str__(self) -> str:
        return f"{self.person} — {self.outcome}"


@append_only
class LedgerCheckpoint(models.Model):
    """The ledger's size and head hash at a moment, signed by the deployment's Ed25519 key.

    Signed every day and on demand. A chain recomputed by someone who can write the table would not match
    the signed head; entries removed after a checkpoint (a restore rolled back) leave it longer than the
    chain. ``verify_ledger`` checks both.
    """

    size = models.PositiveBigIntegerField(_("Số bút toán"))
    head_hash = models.CharField(_("Mã băm cuối"), max_length=64)
    signed_at = models.DateTimeField(_("Thời điểm ký"))
    key_id = models.CharField(_("Mã khóa"), max_length=64)
    signature = models.CharField(_("Chữ ký"), max_length=200)

    class Meta:
        verbose_name = _("Điểm kiểm chứng sổ trách nhiệm")
        verbose_name_plural = _("Điểm kiểm chứng sổ trách nhiệm")
        ordering = ["-size", "-pk"]

    def __str__(self) -> str:
        return f"{self.size} · {self.head_hash[:12]}"


@append_only
class LedgerCountersignature(models.Model):
    """The superior organization board's countersignature of a checkpoint, from its page."""

    checkpoint = models.ForeignKey(LedgerCheckpoint, on_delete=models.PROTECT, related_name="countersignatures")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("Ban Tổ chức ký xác nhận"))
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(_("Thời điểm ký xác nhận"))
    # sha256 of the checkpoint's signed statement as the board read it on the page.
    statement_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("Ký xác nhận điểm kiểm chứng")
        verbose_name_plural = _("Ký xác nhận điểm kiểm chứng")
        constraints = [models.UniqueConstraint(fields=["checkpoint", "organization"], name="countersign_once")]

    def __str__(self) -> str:
        return f"{self.checkpoint} — {self.organization}"

    @property
    def owning_organization(self) -> Organization:
        return self.organization


class ActionProgramTemplate(models.Model):
    """The province's "5 clear" template for a candidate's action program: the prompt under each heading."""

    organization = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="+",
                                        verbose_name=_("Tổ chức"))
    headings = models.JSONField(_("Hướng dẫn từng mục"), default=dict)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Mẫu chương trình hành động")
        verbose_name_plural = _("Mẫu chương trình hành động")

    def __str__(self) -> str:
        return str(self.organization)

    @property
    def owning_organization(self) -> Organization:
        return self.organization
