"""The organization tree, people and their dated roles, access roles and member imports.

Everything about people is dated with an inclusive ``start``/``end`` ("từ
ngày ... đến ngày ..."): ``end`` is the last day held, ``None`` means still
held. "Who was the head of X on D" is a query, never a stored flag.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from common.text import fold, name_sort_key

__all__ = [
    "OrgKind",
    "OrganizationQuerySet",
    "OrganizationManager",
    "Organization",
    "Gender",
    "PersonStatus",
    "PersonQuerySet",
    "Person",
    "DatedQuerySet",
    "DatedRecord",
    "Membership",
    "BodyKind",
    "Body",
    "PositionRole",
    "Position",
    "TenureQuerySet",
    "Tenure",
    "Relation",
    "Kinship",
    "DisciplineForm",
    "Discipline",
    "DisciplineAnnulment",
    "RoleKind",
    "AccessRole",
    "ImportStatus",
    "MemberImport",
    "today",
    "active_on_q",
    "CELL_KINDS",
]


def today() -> dt.date:
    return timezone.localdate()


def active_on_q(on: dt.date, prefix: str = "") -> Q:
    """Rows whose inclusive [start, end] period contains ``on``."""
    return Q(**{f"{prefix}start__lte": on}) & (
        Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": on})
    )


# --- Organization tree ------------------------------------------------------


class OrgKind(models.TextChoices):
    PROVINCIAL = "provincial", _("Đảng bộ tỉnh")
    SUBORDINATE = "subordinate", _("Đảng bộ trực thuộc")
    # A commune, ward or special-zone committee: directly under the province since 07/2025.
    COMMUNE = "commune", _("Đảng bộ xã, phường, đặc khu")
    GRASSROOTS_COMMITTEE = "grassroots_committee", _("Đảng bộ cơ sở")
    GRASSROOTS_CELL = "grassroots_cell", _("Chi bộ cơ sở")
    CELL = "cell", _("Chi bộ trực thuộc")
    AGENCY = "agency", _("Cơ quan, đơn vị")


# Kinds in which party members are registered ("sinh hoạt").
CELL_KINDS = (OrgKind.GRASSROOTS_CELL, OrgKind.CELL)


class OrganizationQuerySet(MP_NodeQuerySet):
    def in_subtree(self, org: Organization) -> OrganizationQuerySet:
        """The node and all its descendants: one indexed prefix filter."""
        return self.filter(path__startswith=org.path)

    def active(self) -> OrganizationQuerySet:
        return self.filter(dissolved_on__isnull=True)


class OrganizationManager(MP_NodeManager.from_queryset(OrganizationQuerySet)):
    def get_queryset(self) -> OrganizationQuerySet:
        return OrganizationQuerySet(self.model, using=self._db).order_by("path")


class Organization(MP_Node):
    name = models.CharField(_("Tên"), max_length=255)
    code = models.SlugField(_("Mã"), max_length=40, unique=True)
    kind = models.CharField(_("Loại"), max_length=24, choices=OrgKind.choices, db_index=True)
    dissolved_on = models.DateField(_("Ngày giải thể, sáp nhập"), null=True, blank=True)

    node_order_by = None  # siblings keep the order they were added in
    objects = OrganizationManager()

    class Meta:
        verbose_name = _("Tổ chức")
        verbose_name_plural = _("Tổ chức")
        # Permissions on organizations are declared by each app (``<app>/permissions.py``),
        # not here: see ``organizations.permissions``.
        indexes = [
            # LIKE 'prefix%' uses this index on PostgreSQL whatever the collation.
            models.Index(fields=["path"], name="org_path_prefix",
                         opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organizations:organization", args=[self.pk])

    @property
    def is_cell(self) -> bool:
        return self.kind in CELL_KINDS

    @property
    def owning_organization(self) -> Organization:
        return self

    @property
    def parent_path(self) -> str:
        """The path of the organization above ("" for the root; no query)."""
        return self.path[: -self.steplen]

    def ancestor_paths(self) -> list[str]:
        """Paths of the node and every ancestor, root first (no query)."""
        return [self.path[: i * self.steplen] for i in range(1, self.depth + 1)]

    def head_on(self, on: dt.date | None = None) -> Person | None:
        """The head on a date; a substantive holder before an acting one."""
        tenure = (
            Tenure.objects.filter(organization=self, position__role=PositionRole.HEAD)
            .active_on(on or today())
            .select_related("person")
            .order_by("acting", "start")
            .first()
        )
        return tenure.person if tenure else None


# --- People -----------------------------------------------------------------


class Gender(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")


class PersonStatus(models.TextChoices):
    ACTIVE = "active", _("Đang sinh hoạt")
    TRANSFERRED = "transferred", _("Đã chuyển sinh hoạt ra ngoài tỉnh")
    DECEASED = "deceased", _("Đã từ trần")
    LEFT = "left", _("Đã ra khỏi Đảng")


class PersonQuerySet(models.QuerySet):
    def search(self, query: str) -> PersonQuerySet:
        """Every word of the query begins a word of the name (diacritics ignored) or the card number.

        "an" finds "An" and "Anh", not "Lan" or "Toàn". Both forms of the name test
        use the trigram index on PostgreSQL (a leading space is a word start to it).
        """
        qs = self
        for word in fold(query).split():
            qs = qs.filter(Q(search_name__startswith=word) | Q(search_name__contains=f" {word}")
                           | Q(card_number__startswith=word))
        return qs

    def members_of(self, org: Organization, on: dt.date | None = None,
                   subtree: bool = False) -> PersonQuerySet:
        memberships = Membership.objects.active_on(on or today())
        memberships = (memberships.in_subtree(org) if subtree
                       else memberships.filter(organization=org))
        return self.filter(pk__in=memberships.values("person_id"))


class Person(models.Model):
    full_name = models.CharField(_("Họ và tên"), max_length=120)
    # The name folded to ASCII lower case ("nguyen van an"): search ignores diacritics.
    search_name = models.CharField(max_length=120, db_index=True, editable=False)
    # Digits whose plain order is the Vietnamese order of names (common.text.name_sort_key).
    sort_name = models.CharField(max_length=600, db_index=True, editable=False, default="")
    birth_date = models.DateField(_("Ngày sinh"), null=True, blank=True)
    gender = models.CharField(_("Giới tính"), max_length=8, choices=Gender.choices)
    card_number = models.CharField(_("Số thẻ đảng viên"), max_length=20, unique=True,
                                   null=True, blank=True)
    join_date = models.DateField(_("Ngày vào Đảng"), null=True, blank=True)
    official_date = models.DateField(_("Ngày chính thức"), null=True, blank=True)
    status = models.CharField(_("Tình trạng"), max_length=16, choices=PersonStatus.choices,
                              default=PersonStatus.ACTIVE)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                null=True, blank=True, related_name="person",
                                verbose_name=_("Tài khoản"))

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("Đảng viên")
        verbose_name_plural = _("Đảng viên")
        ordering = ["sort_name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(official_date__isnull=True) | Q(join_date__isnull=True)
                | Q(official_date__gte=models.F("join_date")),
                name="person_official_after_join",
                violation_error_message=_("Ngày chính thức không được trước ngày vào Đảng."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs) -> None:
        self.search_name = fold(self.full_name)
        self.sort_name = name_sort_key(self.full_name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("organizations:person", args=[self.pk])

    def membership_on(self, on: dt.date | None = None) -> Membership | None:
        return (self.memberships.active_on(on or today())
                .select_related("organization").first())

    def cell_on(self, on: dt.date | None = None) -> Organization | None:
        """The cell the person belonged to on ``on``, or else the last one they belonged to."""
        membership = self.membership_on(on) or (
            self.memberships.filter(start__lte=on or today()).select_related("organization")
            .order_by("-start").first())
        return membership.organization if membership else None

    def relatives(self) -> PersonQuerySet:
        """Declared relatives, whichever side declared the kinship."""
        return Person.objects.filter(
            Q(kinships_declared_as_relative__person=self, kinships_declared_as_relative__ended_on__isnull=True)
            | Q(kinships__relative=self, kinships__ended_on__isnull=True)
        ).distinct()


class DatedQuerySet(models.QuerySet):
    def active_on(self, on: dt.date | None = None):
        return self.filter(active_on_q(on or today()))

    def in_subtree(self, org: Organization):
        return self.filter(organization__path__startswith=org.path)


class DatedRecord(models.Model):
    """A record that holds from ``start`` to ``end``, both inclusive; ``end`` empty = still running.

    Memberships, tenures, working-regulation versions and assignments share it:
    one queryset method (``active_on``) and one check constraint. Where two
    records must not share a day, the app adds an exclusion constraint on
    PostgreSQL and a trigger on SQLite (see the apps' ``0002`` migrations).
    """

    start = models.DateField(_("Từ ngày"))
    end = models.DateField(_("Đến ngày"), null=True, blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        abstract = True
        constraints = [
            # A record without a start yet (a draft) passes: NULL compares as unknown.
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="%(app_label)s_%(class)s_end_after_start",
                violation_error_message=_("Ngày kết thúc không được trước ngày bắt đầu."),
            ),
        ]

    def active_on(self, on: dt.date | None = None) -> bool:
        on = on or today()
        return self.start is not None and self.start <= on and (self.end is None or on <= self.end)


class Membership(DatedRecord):
    """A person registered in a party cell from ``start`` to ``end`` (inclusive).

    No two memberships of one person overlap: the database refuses it
    (an exclusion constraint on PostgreSQL, triggers on SQLite; see
    migration 0002).
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships",
                               verbose_name=_("Đảng viên"))
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT,
                                     related_name="memberships", verbose_name=_("Chi bộ"))
    note = models.CharField(_("Ghi chú"), max_length=255, blank=True)

    class Meta(DatedRecord.Meta):
        verbose_name = _("Sinh hoạt đảng")
        verbose_name_plural = _("Sinh hoạt đảng")
        ordering = ["-start"]
        indexes = [models.Index(fields=["organization", "start", "end"])]

    def __str__(self) -> str:
        return f"{self.person} — {self.organization}"

    @property
    def owning_organization(self) -> Organization:
        return self.organization


class BodyKind(models.TextChoices):
    EXECUTIVE = "executive", _("Ban Chấp hành")
    STANDING = "standing", _("Ban Thường vụ")
    STANDING_BOARD = "standing_board", _("Thường trực")
    LEADERSHIP = "leadership", _("Tập thể lãnh đạo")
    CELL_MEETING = "cell_meeting", _("Hội nghị chi bộ")


class Body(models.Model):
    """A leadership body of an organization; its members come from tenures."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE,
                                     related_name="bodies", verbose_name=_("Tổ chức"))
    kind = models.CharField(_("Loại"), max_length=16, choices=BodyKind.choices)

    class Meta:
        verbose_name = _("Cơ quan lãnh đạo")
        verbose_name_plural = _("Cơ quan lãnh đạo")
        ordering = ["organization_id", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "kind"], name="body_one_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.organization}"

    def get_absolute_url(self) -> str:
        return self.organization.get_absolute_url() + f"#body-{self.pk}"

    @property
    def owning_organization(self) -> Organization:
        return self.organization

    def members_on(self, on: dt.date | None = None) -> PersonQuerySet:
        """Members in office on ``on``; a cell meeting is every member registered in the cell."""
        if self.kind == BodyKind.CELL_MEETING:
            return Person.objects.members_of(self.organization, on)
        tenures = self.tenures.active_on(on or today())
        return Person.objects.filter(pk__in=tenures.values("person_id"))


class PositionRole(models.TextChoices):
    HEAD = "head", _("Người đứng đầu")
    DEPUTY = "deputy", _("Cấp phó")
    MEMBER = "member", _("Thành viên")


class PositionWork(models.TextChoices):
    """The posts the Law on Anti-Corruption (Art. 20(3)) keeps a head's or deputy's close family out of."""

    NONE = "", _("Không thuộc diện")
    PERSONNEL = "personnel", _("Quản lý tổ chức, nhân sự")
    ACCOUNTING = "accounting", _("Kế toán")
    CASHIER = "cashier", _("Thủ quỹ")
    STOREKEEPER = "storekeeper", _("Thủ kho")


class Position(models.Model):
    """A kind of post (Bí thư, Phó Bí thư, Giám đốc ...); reference data."""

    code = models.SlugField(_("Mã"), max_length=40, unique=True)
    title = models.CharField(_("Chức vụ"), max_length=120)
    role = models.CharField(_("Vai trò"), max_length=8, choices=PositionRole.choices)
    rank = models.PositiveSmallIntegerField(_("Thứ tự"), default=100)
    work = models.CharField(_("Thuộc diện Điều 20 khoản 3 Luật Phòng, chống tham nhũng"), max_length=12,
                            choices=PositionWork.choices, blank=True, default="")

    class Meta:
        verbose_name = _("Chức vụ")
        verbose_name_plural = _("Chức vụ")
        ordering = ["rank", "title"]

    def __str__(self) -> str:
        return self.title


class TenureQuerySet(DatedQuerySet):
    def heads(self):
        return self.filter(position__role=PositionRole.HEAD)


class Tenure(DatedRecord):
    """A person holds a position in an organization (and, if any, in one of its bodies)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="tenures",
                               verbose_name=_("Người giữ chức vụ"))
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="tenures",
                                 verbose_name=_("Chức vụ"))
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT,
                                     related_name="tenures", verbose_name=_("Tổ chức"))
    body = models.ForeignKey(Body, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="tenures", verbose_name=_("Cơ quan lãnh đạo"))
    acting = models.BooleanField(_("Quyền, phụ trách"), default=False)
    concurrent = models.BooleanField(_("Kiêm nhiệm"), default=False)
    decision_ref = models.CharField(_("Số quyết định"), max_length=60, blank=True)

    objects = TenureQuerySet.as_manager()

    class Meta(DatedRecord.Meta):
        verbose_name = _("Nhiệm kỳ, chức vụ")
        verbose_name_plural = _("Nhiệm kỳ, chức vụ")
        ordering = ["-start"]
        indexes = [models.Index(fields=["organization", "start", "end"])]

    def __str__(self) -> str:
        return f"{self.person} — {self.position} — {self.organization}"

    @property
    def owning_organization(self) -> Organization:
        return self.organization

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.body_id and self.organization_id and self.body.organization_id != self.organization_id:
            raise ValidationError({"body": _("Cơ quan lãnh đạo phải thuộc chính tổ chức này.")})


class Relation(models.TextChoices):
    SPOUSE = "spouse", _("Vợ, chồng")
    PARENT = "parent", _("Cha, mẹ")
    CHILD = "child", _("Con")
    SIBLING = "sibling", _("Anh, chị, em ruột")
    IN_LAW = "in_law", _("Cha, mẹ, anh, chị, em bên vợ (chồng)")
    OTHER = "other", _("Khác")


class KinshipQuerySet(models.QuerySet):
    def active_on(self, on: dt.date | None = None) -> KinshipQuerySet:
        """Kinships declared by ``on`` and not ended before it."""
        on = on or today()
        return self.filter(Q(declared_on__lte=on) & (Q(ended_on__isnull=True) | Q(ended_on__gte=on)))

    def in_subtree(self, org: Organization) -> KinshipQuerySet:
        return self.filter(organization__path__startswith=org.path)


class Kinship(models.Model):
    """A declared relative, read by conflict-of-interest checks (either direction).

    ``organization`` is the organization that holds the declaration (the declarer's cell when it was made):
    stored, so the access layer never has to guess it from memberships that may be missing. An ended
    kinship (a divorce) stays as a record; a new declaration of the same pair may follow it.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="kinships",
                               verbose_name=_("Người kê khai"))
    relative = models.ForeignKey(Person, on_delete=models.CASCADE,
                                 related_name="kinships_declared_as_relative",
                                 verbose_name=_("Người thân"))
    relation = models.CharField(_("Quan hệ"), max_length=8, choices=Relation.choices)
    declared_on = models.DateField(_("Ngày kê khai"), default=today)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="kinships",
                                     verbose_name=_("Tổ chức quản lý"))
    ended_on = models.DateField(_("Ngày kết thúc"), null=True, blank=True)

    objects = KinshipQuerySet.as_manager()

    class Meta:
        verbose_name = _("Quan hệ gia đình")
        verbose_name_plural = _("Quan hệ gia đình")
        ordering = ["-declared_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["person", "relative"], condition=Q(ended_on__isnull=True),
                                    name="kinship_once_running"),
            models.CheckConstraint(condition=~Q(person=models.F("relative")),
                                   name="kinship_not_self"),
            models.CheckConstraint(condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("declared_on")),
                                   name="kinship_ends_after_declared"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_relation_display()}: {self.relative}"

    @property
    def owning_organization(self) -> Organization:
        return self.organization


class DisciplineForm(models.TextChoices):
    REPRIMAND = "reprimand", _("Khiển trách")
    WARNING = "warning", _("Cảnh cáo")
    REMOVAL = "removal", _("Cách chức")
    EXPULSION = "expulsion", _("Khai trừ")
    DISSOLUTION = "dissolution", _("Giải tán")


class DisciplineQuerySet(models.QuerySet):
    def standing(self) -> DisciplineQuerySet:
        """Measures not annulled: the ones the rules count."""
        return self.filter(annulment__isnull=True)

    def in_subtree(self, org: Organization) -> DisciplineQuerySet:
        return self.filter(owner__path__startswith=org.path)


class Discipline(models.Model):
    """A disciplinary measure on a person or on an organization (exactly one).

    ``owner`` is the organization that holds the record: the organization disciplined, or the person's
    cell on the day of the decision. It is stored (the access layer reads it), never derived when asked.
    A measure is never changed or deleted: an annulment is a new act (``DisciplineAnnulment``).
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, null=True, blank=True,
                               related_name="disciplines", verbose_name=_("Đảng viên"))
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, null=True,
                                     blank=True, related_name="disciplines",
                                     verbose_name=_("Tổ chức"))
    owner = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="disciplines_held",
                              verbose_name=_("Tổ chức quản lý"))
    form = models.CharField(_("Hình thức"), max_length=12, choices=DisciplineForm.choices)
    decided_on = models.DateField(_("Ngày quyết định"))
    decision_ref = models.CharField(_("Số quyết định"), max_length=60, blank=True)
    decided_by = models.ForeignKey(Organization, on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="disciplines_decided",
                                   verbose_name=_("Cấp quyết định"))
    reason = models.TextField(_("Lý do"), blank=True)
    self_detected_remedied = models.BooleanField(
        _("Tự phát hiện, đã khắc phục"), default=False,
        help_text=_("Vi phạm do tự phát hiện và đã chủ động khắc phục."),
    )

    objects = DisciplineQuerySet.as_manager()

    class Meta:
        verbose_name = _("Kỷ luật")
        verbose_name_plural = _("Kỷ luật")
        ordering = ["-decided_on"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(organization__isnull=True))
                | (Q(person__isnull=True) & Q(organization__isnull=False)),
                name="discipline_one_subject",
                violation_error_message=_("Kỷ luật phải thuộc đúng một đảng viên hoặc một tổ chức."),
            ),
            # Expulsion is for a person, dissolution for an organization.
            models.CheckConstraint(
                condition=~(Q(form="expulsion") & Q(person__isnull=True))
                & ~(Q(form="dissolution") & Q(organization__isnull=True)),
                name="discipline_form_fits_subject",
                violation_error_message=_("Hình thức kỷ luật không phù hợp với đối tượng."),
            ),
        ]
        indexes = [models.Index(fields=["decided_on"])]

    def __str__(self) -> str:
        return f"{self.get_form_display()} — {self.person or self.organization}"

    @property
    def owning_organization(self) -> Organization:
        return self.owner


class DisciplineAnnulment(models.Model):
    """The annulment of a disciplinary measure by a competent body: a recorded act of its own."""

    discipline = models.OneToOneField(Discipline, on_delete=models.PROTECT, related_name="annulment",
                                      verbose_name=_("Quyết định kỷ luật"))
    annulled_on = models.DateField(_("Ngày hủy"))
    decision_ref = models.CharField(_("Số quyết định hủy"), max_length=60, blank=True)
    decided_by = models.ForeignKey(Organization, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("Cấp quyết định hủy"))
    reason = models.TextField(_("Lý do"), blank=True)

    class Meta:
        verbose_name = _("Hủy quyết định kỷ luật")
        verbose_name_plural = _("Hủy quyết định kỷ luật")

    def __str__(self) -> str:
        return f"{self.discipline} ({self.annulled_on.isoformat()})"

    @property
    def owning_organization(self) -> Organization:
        return self.discipline.owner


# --- Access -----------------------------------------------------------------


class RoleKind(models.TextChoices):
    PROVINCE_BOARD = "province_board", _("Ban Tổ chức Tỉnh ủy")
    COMMITTEE_STAFF = "committee_staff", _("Cán bộ văn phòng cấp ủy")
    HEAD = "head", _("Người đứng đầu")
    INSPECTION = "inspection", _("Ủy ban Kiểm tra")
    MEMBER = "member", _("Đảng viên")


class AccessRole(models.Model):
    """A role at an organization, held through a Django group.

    django-guardian grants the role's permissions to the group on the
    organization; ``organizations.access`` extends each grant to the subtree.
    """

    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="access_role")
    kind = models.CharField(_("Vai trò"), max_length=16, choices=RoleKind.choices)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE,
                                     related_name="access_roles", verbose_name=_("Tổ chức"))

    class Meta:
        verbose_name = _("Vai trò truy cập")
        verbose_name_plural = _("Vai trò truy cập")
        constraints = [
            models.UniqueConstraint(fields=["kind", "organization"], name="role_once_per_org"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.organization}"

    @property
    def owning_organization(self) -> Organization:
        return self.organization


# --- Imports ----------------------------------------------------------------


class ImportStatus(models.TextChoices):
    PREVIEWED = "previewed", _("Đã xem trước")
    COMMITTED = "committed", _("Đã ghi vào cơ sở dữ liệu")
    REJECTED = "rejected", _("Có lỗi, không ghi")


class MemberImport(models.Model):
    """An uploaded member list: previewed first, then written all-or-nothing."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT,
                                     related_name="member_imports", verbose_name=_("Chi bộ"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("Người nhập"))
    uploaded_at = models.DateTimeField(_("Thời điểm tải lên"), auto_now_add=True)
    file_name = models.CharField(_("Tên tệp"), max_length=255)
    content = models.BinaryField()
    status = models.CharField(_("Trạng thái"), max_length=12, choices=ImportStatus.choices)
    row_count = models.PositiveIntegerField(_("Số dòng"), default=0)
    # Each error is {"row": n or None, "code": "...", "params": {...}}, rendered by imports.error_message.
    errors = models.JSONField(_("Lỗi"), default=list, blank=True)
    # The rows as parsed at preview ({"row": n, "full_name": ..., "join_date": "2010-05-19", ...}):
    # the confirmation writes these, it does not read the file again.
    rows = models.JSONField(_("Các dòng đã đọc"), default=list, blank=True)
    committed_at = models.DateTimeField(_("Thời điểm ghi"), null=True, blank=True)

    class Meta:
        verbose_name = _("Lượt nhập danh sách")
        verbose_name_plural = _("Lượt nhập danh sách")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.file_name} → {self.organization}"

    def get_absolute_url(self) -> str:
        return reverse("organizations:import_preview", args=[self.pk])

    @property
    def owning_organization(self) -> Organization:
        return self.organization
