from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Tìm kiếm"), required=False, max_length=120,
                        widget=forms.TextInput(attrs={
                            "placeholder": _("Họ tên (có dấu hoặc không dấu) hoặc số thẻ"),
                            "type": "search", "class": "form-control"}))


def too_large_message() -> str:
    return _("Tệp quá lớn (tối đa %(mb)s MB).") % {"mb": settings.IMPORT_MAX_BYTES // 2**20}


class MemberImportForm(forms.Form):
    """The upload; ``too_large`` when the request was refused or cut for its size before the file arrived."""

    file = forms.FileField(
        label=_("Tệp danh sách (.xlsx hoặc .csv)"),
        help_text=_("Dòng đầu là tên cột: Họ và tên, Ngày sinh, Giới tính, Số thẻ đảng viên, "
                    "Ngày vào Đảng, Ngày chính thức, Ngày bắt đầu sinh hoạt."),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx,.csv"}),
        required=False,  # checked in clean_file, after the size, so a cut upload reads "too large"
        error_messages={"empty": _("Tệp không có dữ liệu.")},
    )

    def __init__(self, *args, too_large: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.too_large = too_large

    def clean_file(self):
        if self.too_large:
            raise forms.ValidationError(too_large_message())
        upload = self.cleaned_data.get("file")
        if not upload:
            raise forms.ValidationError(_("Chọn tệp danh sách để tải lên."))
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Chỉ nhận tệp .xlsx hoặc .csv."))
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(too_large_message())
        return upload
