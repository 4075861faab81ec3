import datetime as dt
import sys

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from common.uploads import LimitedUploadForm

from .models import DocKind, DocStatus, Document
from .parser import parse, read_lines


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Từ khóa"), required=False, max_length=200, widget=forms.TextInput(
        attrs={"type": "search", "class": "form-control",
               "placeholder": _("Ví dụ: xep loai chat luong (có dấu hoặc không dấu)")}))
    kind = forms.ChoiceField(label=_("Loại văn bản"), required=False,
                             choices=[("", _("Mọi loại"))] + DocKind.choices,
                             widget=forms.Select(attrs={"class": "form-select"}))
    on = forms.DateField(label=_("Còn hiệu lực vào ngày"), required=False,
                         widget=forms.DateInput(attrs={"class": "form-control", "placeholder": "dd/mm/yyyy"}))


class DocumentFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại văn bản"), required=False,
                             choices=[("", _("Mọi loại"))] + DocKind.choices,
                             widget=forms.Select(attrs={"class": "form-select"}))
    status = forms.ChoiceField(label=_("Tình trạng"), required=False,
                               choices=[("", _("Mọi tình trạng"))] + DocStatus.choices,
                               widget=forms.Select(attrs={"class": "form-select"}))
    on = forms.DateField(label=_("Tại ngày"), required=False,
                         widget=forms.DateInput(attrs={"class": "form-control", "placeholder": "dd/mm/yyyy"}))

    def date(self) -> dt.date:
        return (self.cleaned_data.get("on") if self.is_valid() else None) or timezone.localdate()


class DocumentChoiceField(forms.ModelChoiceField):
    """Texts by code, date and title: two texts of different terms may share a code."""

    def label_from_instance(self, document: Document) -> str:
        issued = date_format(document.issue_date, "SHORT_DATE_FORMAT") if document.issue_date else "—"
        return f"{document.code} ({issued}) — {document.title}"


class ImportForm(LimitedUploadForm):
    """The full text of a document; beyond the upload's checks, what the database cannot hold."""

    limit_setting = "REGULATION_IMPORT_MAX_BYTES"
    extensions = (".txt", ".docx")
    missing_message = _("Chọn tệp toàn văn để tải lên.")
    extension_message = _("Chỉ nhận tệp .txt hoặc .docx.")

    document = DocumentChoiceField(label=_("Văn bản"), queryset=Document.objects.order_by("code", "issue_date"),
                                   widget=forms.Select(attrs={"class": "form-select"}))
    file = forms.FileField(
        label=_("Tệp toàn văn (.txt hoặc .docx)"),
        help_text=_("Cấu trúc thông thường: “Chương I”, “Mục 1”, “Điều 12. Tiêu đề”, “1.” cho khoản, "
                    "“a)” cho điểm."),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".txt,.docx"}),
        required=False,  # checked in clean_file, after the size, so a cut upload reads "too large"
        error_messages={"empty": _("Tệp không có dữ liệu.")})

    def clean_file(self):
        upload = super().clean_file()
        content = upload.read()
        upload.seek(0)
        try:
            lines = read_lines(upload.name, content)
        except ValueError:
            return upload  # the import reports an unreadable file with its own message
        if any("\x00" in line for line in lines):  # no text has one, and the database refuses it
            raise forms.ValidationError(_("Tệp có ký tự không hợp lệ (mã NUL); hãy lưu lại tệp rồi tải lên lại."))
        # The parser refuses a number the database cannot hold (the import refuses it too); said here at once.
        for reason in parse(lines).errors:
            if reason.code == "regulation_text_number_too_long":
                if reason.params["digits"] > sys.get_int_max_str_digits():  # not even a number to Python
                    raise forms.ValidationError(_("Văn bản có số điều, khoản quá dài."))
                raise forms.ValidationError(str(reason))
        return upload
