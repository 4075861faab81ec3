from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Tìm kiếm"), required=False, max_length=120,
                        widget=forms.TextInput(attrs={
                            "placeholder": _("Họ tên (có dấu hoặc không dấu) hoặc số thẻ"),
                            "type": "search", "class": "form-control"}))


class MemberImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp danh sách (.xlsx hoặc .csv)"),
        help_text=_("Dòng đầu là tên cột: Họ và tên, Ngày sinh, Giới tính, Số thẻ đảng viên, "
                    "Ngày vào Đảng, Ngày chính thức, Ngày bắt đầu sinh hoạt."),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx,.csv"}),
        error_messages={"empty": _("Tệp không có dữ liệu."),
                        "required": _("Chọn tệp danh sách để tải lên.")},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Chỉ nhận tệp .xlsx hoặc .csv."))
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("Tệp quá lớn (tối đa %(mb)s MB).")
                                        % {"mb": settings.IMPORT_MAX_BYTES // 2**20})
        return upload
