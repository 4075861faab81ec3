import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import DocKind, DocStatus, Document


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


class ImportForm(forms.Form):
    document = forms.ModelChoiceField(label=_("Văn bản"), queryset=Document.objects.order_by("code"),
                                      widget=forms.Select(attrs={"class": "form-select"}))
    file = forms.FileField(
        label=_("Tệp toàn văn (.txt hoặc .docx)"),
        help_text=_("Cấu trúc thông thường: “Chương I”, “Mục 1”, “Điều 12. Tiêu đề”, “1.” cho khoản, "
                    "“a)” cho điểm."),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".txt,.docx"}),
        error_messages={"empty": _("Tệp không có dữ liệu.")})

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".txt", ".docx")):
            raise forms.ValidationError(_("Chỉ nhận tệp .txt hoặc .docx."))
        if upload.size > 10 * 2**20:
            raise forms.ValidationError(_("Tệp quá lớn (tối đa 10 MB)."))
        if upload.name.lower().endswith(".txt"):
            content = upload.read()
            upload.seek(0)
            try:
                text = content.decode("utf-8-sig")
            except UnicodeDecodeError:
                return upload  # the parser says which encoding it needs
            if "\x00" in text:  # no text has one, and the database refuses it
                raise forms.ValidationError(_("Tệp có ký tự không hợp lệ (mã NUL); hãy lưu lại tệp rồi tải lên lại."))
        return upload
