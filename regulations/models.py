"""Legal documents, their versions and provision trees.

A provision is addressed by its document's code and a stable anchor
("dieu-12.khoan-4.diem-a"), never by a database id: an anchor survives a new
import of the text, so citations to an unchanged provision stay valid.
The status of a document on a date is computed from its dates and from the
documents that replace it; it is never stored by hand.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from common.text import fold


class DocKind(models.TextChoices):
    CHARTER = "charter", _("Điều lệ")
    LAW = "law", _("Luật")
    REGULATION = "regulation", _("Quy định")
    GUIDANCE = "guidance", _("Hướng dẫn")
    RESOLUTION = "resolution", _("Nghị quyết")
    DIRECTIVE = "directive", _("Chỉ thị")
    CONCLUSION = "conclusion", _("Kết luận")
    DECISION = "decision", _("Quyết định")
    WORKING_REGULATION = "working_regulation", _("Quy chế làm việc")


class DocStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    PENDING = "pending", _("Chưa có hiệu lực")
    IN_FORCE = "in_force", _("Đang có hiệu lực")
    EXPIRED = "expired", _("Hết hiệu lực")
    REPLACED = "replaced", _("Đã được thay thế")


class DocumentQuerySet(models.QuerySet):
    def in_force_on(self, on: dt.date) -> DocumentQuerySet:
        """Documents in force on ``on``: started, not ended, not replaced by then."""
        replaced = Document.objects.filter(replaces=OuterRef("pk"), effective_from__lte=on)
        return self.filter(effective_from__lte=on).filter(
            Q(effective_to__isnull=True) | Q(effective_to__gte=on)).exclude(Exists(replaced))

    def with_status(self, status: str, on: dt.date) -> DocumentQuerySet:
        replaced = Exists(Document.objects.filter(replaces=OuterRef("pk"), effective_from__lte=on))
        if status == DocStatus.DRAFT:
            return self.filter(effective_from__isnull=True)
        if status == DocStatus.PENDING:
            return self.filter(effective_from__gt=on)
        if status == DocStatus.IN_FORCE:
            return self.in_force_on(on)
        if status == DocStatus.REPLACED:
            return self.filter(effective_from__lte=on).filter(replaced)
        if status == DocStatus.EXPIRED:
            return self.filter(effective_from__lte=on, effective_to__lt=on).exclude(replaced)
        raise ValueError(status)


class Document(models.Model):
    """A text of the catalog, identified by who issued it, its number and symbol, and its date.

    Party numbers restart with each term (the 14th term's regulations began again at 01-QĐ/TW in February
    2026), so ``code`` alone is not unique: the database holds (issuer, code, issue date) unique, and a
    citation that names a shared code must add the date (``regulations.citations.document_named``).
    """

    code = models.CharField(_("Số, ký hiệu"), max_length=40, db_index=True)
    slug = models.SlugField(max_length=60, unique=True, editable=False)
    kind = models.CharField(_("Loại văn bản"), max_length=20, choices=DocKind.choices)
    title = models.CharField(_("Trích yếu"), max_length=400)
    # How a Vietnamese reader names it in a citation: "Quy định 124-QĐ/TW", "Điều lệ Đảng".
    citation_name = models.CharField(_("Tên khi trích dẫn"), max_length=120, blank=True)
    issuing_body = models.CharField(_("Cơ quan ban hành"), max_length=200, blank=True)
    signer = models.CharField(_("Người ký"), max_length=120, blank=True)
    issue_date = models.DateField(_("Ngày ban hành"), null=True, blank=True)
    effective_from = models.DateField(_("Có hiệu lực từ"), null=True, blank=True)
    effective_to = models.DateField(_("Hết hiệu lực sau ngày"), null=True, blank=True,
                                    help_text=_("Ngày cuối cùng còn hiệu lực (ví dụ hết thời gian thí điểm)."))
    replaces = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="replaced_by",
                                      verbose_name=_("Thay thế văn bản"))
    note = models.TextField(_("Ghi chú"), blank=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("Văn bản")
        verbose_name_plural = _("Văn bản")
        ordering = ["-issue_date", "code"]
        permissions = [("import_document", _("Nhập toàn văn văn bản"))]
        constraints = [
            models.UniqueConstraint(fields=["issuing_body", "code", "issue_date"], name="document_identity",
                                    violation_error_message=_("Đã có văn bản cùng cơ quan ban hành, số, ký hiệu "
                                                              "và ngày ban hành.")),
            # A draft has no date yet; NULLs are distinct in the constraint above, so one more for them.
            models.UniqueConstraint(fields=["issuing_body", "code"], condition=Q(issue_date__isnull=True),
                                    name="document_identity_undated"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_from__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="document_ends_after_start",
                violation_error_message=_("Ngày hết hiệu lực không được trước ngày có hiệu lực."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    def save(self, *args, **kwargs) -> None:
        base = slugify(fold(self.code).replace("/", "-"))
        if self.slug != base and not self.slug.startswith(f"{base}-"):
            self.slug = self._free_slug(base)
        if not self.citation_name:
            self.citation_name = f"{self.get_kind_display()} {self.code}"
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("regulations:document", args=[self.slug])

    def _free_slug(self, base: str) -> str:
        """The code's slug; for a second text with the same code, the code and its date (the first keeps its
        address)."""
        others = Document.objects.exclude(pk=self.pk)
        taken = set(others.filter(slug__startswith=base).values_list("slug", flat=True))  # one query
        stem = f"{base}-{self.issue_date}" if self.issue_date else base  # an ISO date
        candidates = list(dict.fromkeys([base, stem])) + [f"{stem}-{n}" for n in range(2, 100)]
        free = next((slug for slug in candidates if slug not in taken), None)
        while free is None or free in taken:
            # Past 99 texts of one code and date: a random suffix, the stem cut to fit the column.
            suffix = uuid.uuid4().hex[:8]
            free = f"{stem[:self._meta.get_field('slug').max_length - len(suffix) - 1]}-{suffix}"
        return free

    def status_on(self, on: dt.date | None = None) -> str:
        on = on or timezone.localdate()
        if self.effective_from is None:
            return DocStatus.DRAFT
        if on < self.effective_from:
            return DocStatus.PENDING
        if any(r.effective_from and r.effective_from <= on for r in self.replaced_by.all()):
            return DocStatus.REPLACED
        if self.effective_to and on > self.effective_to:
            return DocStatus.EXPIRED
        return DocStatus.IN_FORCE

    def status_label_on(self, on: dt.date | None = None) -> str:
        return DocStatus(self.status_on(on)).label


class DocumentVersion(models.Model):
    """One imported text of a document; older versions stay readable."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("Lần nhập"))
    is_current = models.BooleanField(_("Bản hiện hành"), default=True)
    is_skeleton = models.BooleanField(
        _("Chỉ có khung điều khoản"), default=False,
        help_text=_("Khung do cổng tự soạn (số điều, tiêu đề ngắn); toàn văn do người dùng nhập."))
    source_name = models.CharField(_("Nguồn"), max_length=255, blank=True)
    imported_at = models.DateTimeField(_("Thời điểm nhập"), default=timezone.now)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+", verbose_name=_("Người nhập"))
    changes = models.JSONField(_("Thay đổi so với bản trước"), default=dict, blank=True)

    class Meta:
        verbose_name = _("Phiên bản văn bản")
        verbose_name_plural = _("Phiên bản văn bản")
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="version_number_once"),
            models.UniqueConstraint(fields=["document"], condition=Q(is_current=True),
                                    name="one_current_version"),
        ]

    def __str__(self) -> str:
        return f"{self.document.code} (lần {self.number})"


class Level(models.TextChoices):
    CHAPTER = "chuong", _("Chương")
    SECTION = "muc", _("Mục")
    ARTICLE = "dieu", _("Điều")
    CLAUSE = "khoan", _("Khoản")
    POINT = "diem", _("Điểm")


class Provision(models.Model):
    version = models.ForeignKey(DocumentVersion, on_delete=models.CASCADE, related_name="provisions")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="children")
    level = models.CharField(_("Cấp"), max_length=6, choices=Level.choices)
    number = models.CharField(_("Số"), max_length=10)
    heading = models.CharField(_("Tiêu đề"), max_length=500, blank=True)
    text = models.TextField(_("Nội dung"), blank=True)
    order = models.PositiveIntegerField(_("Thứ tự"))
    anchor = models.CharField(_("Mã neo"), max_length=120)
    # heading + text folded to ASCII: the portable search column (SQLite and snippets)
    search_text = models.TextField(editable=False, blank=True)
    search_vector = SearchVectorField(null=True, editable=False)  # PostgreSQL only, filled by SQL

    class Meta:
        verbose_name = _("Điều khoản")
        verbose_name_plural = _("Điều khoản")
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "anchor"], name="anchor_once_per_version"),
        ]
        # PostgreSQL's GIN indexes (full text, trigram) are created in migration 0002.

    def __str__(self) -> str:
        return self.citation()

    def save(self, *args, **kwargs) -> None:
        self.search_text = fold(f"{self.heading} {self.text}")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("regulations:provision", args=[self.version.document.slug, self.anchor])

    def label(self) -> str:
        return f"{self.get_level_display()} {self.number}"

    def citation(self) -> str:
        """"Điểm a Khoản 4 Điều 12 Quy định 124-QĐ/TW": smallest unit first."""
        from .citations import render_anchor  # noqa: PLC0415  (citations imports models)

        return render_anchor(self.version.document, self.anchor)


class CitationQuerySet(models.QuerySet):
    def of(self, obj: models.Model) -> CitationQuerySet:
        from django.contrib.contenttypes.models import ContentType

        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)

    def within(self, scopes: list[str] | None) -> CitationQuerySet:
        """Rows whose ``scope`` starts with one of ``scopes`` (``None``: every row)."""
        if scopes is None:
            return self
        if not scopes:
            return self.none()
        condition = Q()
        for scope in scopes:
            condition |= Q(scope__startswith=scope)
        return self.filter(condition)


class Citation(models.Model):
    """A record of another app resting on a provision (or on a whole document: ``anchor`` empty).

    The other apps write these rows through ``regulations.services.citations_set``;
    a provision's "cited by" is one indexed query over them. ``scope`` is an
    opaque prefix key the citing app gives (the owning organization's tree
    path), so a reader is shown only the rows of the scopes they may see.
    """

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="citations",
                                 verbose_name=_("Văn bản"))
    anchor = models.CharField(_("Mã neo"), max_length=120, blank=True)
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    scope = models.CharField(max_length=255, blank=True)
    label = models.CharField(_("Nội dung"), max_length=400)
    url = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    objects = CitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Trích dẫn")
        verbose_name_plural = _("Trích dẫn")
        ordering = ["document", "anchor", "scope", "id"]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "document", "anchor"],
                                    name="citation_once_per_record"),
        ]
        indexes = [
            models.Index(fields=["document", "anchor", "scope"], name="citation_cited_by"),
            models.Index(fields=["content_type", "object_id"], name="citation_of_record"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def ref(self) -> str:
        """The short reference ("9.5") of the anchor, for forms."""
        from .citations import ref_for  # noqa: PLC0415  (citations imports models)

        return ref_for(self.anchor)

    def text(self) -> str:
        from .citations import render_anchor  # noqa: PLC0415

        return render_anchor(self.document, self.anchor)


class TextImportStatus(models.TextChoices):
    PREVIEWED = "previewed", _("Chờ xác nhận")
    COMMITTED = "committed", _("Đã trở thành bản hiện hành")
    CANCELLED = "cancelled", _("Đã hủy")


class TextImport(models.Model):
    """An uploaded text waiting for confirmation: its parsed changes against the current version."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="imports",
                                 verbose_name=_("Văn bản"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("Người tải lên"))
    uploaded_at = models.DateTimeField(_("Thời điểm tải lên"), default=timezone.now)
    file_name = models.CharField(_("Tên tệp"), max_length=255)
    content = models.BinaryField(_("Nội dung tệp"))
    # The current version's number when previewed (0: none): confirming after another import is refused.
    base_number = models.PositiveIntegerField(default=0)
    changes = models.JSONField(_("Thay đổi so với bản hiện hành"), default=dict, blank=True)
    status = models.CharField(_("Trạng thái"), max_length=10, choices=TextImportStatus.choices,
                              default=TextImportStatus.PREVIEWED)
    version = models.ForeignKey(DocumentVersion, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("Phiên bản đã tạo"))

    class Meta:
        verbose_name = _("Lượt nhập toàn văn")
        verbose_name_plural = _("Lượt nhập toàn văn")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.document.code}: {self.file_name}"

    def get_absolute_url(self) -> str:
        return reverse("regulations:import_preview", args=[self.pk])
