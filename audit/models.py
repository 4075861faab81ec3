"""The audit trail: one append-only row per state-changing service call.

It sits below every other app (it imports none of them) so that each
service, in any app, writes its entry in the same transaction as its change.
The database refuses UPDATE, DELETE and TRUNCATE on the table (``audit.appendonly``).
"""

from django.conf import settings
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from common.reasons import Reason, text_of

from .appendonly import ChainHead, append_only

__all__ = ["AuditEntry", "ChainHead"]


@append_only
class AuditEntry(models.Model):
    at = models.DateTimeField(_("Thời điểm"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("Người thực hiện"),
    )
    action = models.CharField(_("Thao tác"), max_length=80, db_index=True)
    object_type = models.CharField(_("Loại đối tượng"), max_length=80)
    object_id = models.CharField(_("Mã đối tượng"), max_length=40)
    # The names the act concerns (people, organizations, files), in no language: "Nguyễn Văn An → Chi bộ 3".
    summary = models.CharField(_("Tóm tắt"), max_length=300, blank=True)
    # What reads as a sentence, kept as a reason code and parameters (``common.reasons``), rendered when shown.
    note = models.JSONField(_("Ghi chú"), null=True, blank=True)
    data = models.JSONField(_("Dữ liệu"), default=dict, blank=True)

    class Meta:
        verbose_name = _("Mục nhật ký")
        verbose_name_plural = _("Nhật ký thao tác")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        # Shown in the portal's time zone (Asia/Ho_Chi_Minh), whatever the database stores (UTC).
        at = formats.date_format(timezone.localtime(self.at), "SHORT_DATETIME_FORMAT")
        return f"{at} {self.action} {self.object_type}#{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    @property
    def text(self) -> str:
        """The summary and the note, the note in the reader's language."""
        note = text_of(Reason.from_json(self.note)) if self.note else ""
        return " · ".join(part for part in (self.summary, note) if part)
