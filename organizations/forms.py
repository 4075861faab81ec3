from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import DateField
from common.uploads import LimitedUploadForm

from .models import Position, RoleKind


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Tìm kiếm"), required=False, max_length=120,
                        widget=forms.TextInput(attrs={
                            "placeholder": _("Họ tên (có dấu hoặc không dấu) hoặc số thẻ"),
                            "type": "search", "class": "form-control"}))


class MemberImportForm(LimitedUploadForm):
    """The member-list upload (see ``common.uploads``)."""

    limit_setting = "IMPORT_MAX_BYTES"
    extensions = (".xlsx", ".csv")
    missing_message = _("Chọn tệp danh sách để tải lên.")
    extension_message = _("Chỉ nhận tệp .xlsx hoặc .csv.")

    file = forms.FileField(
        label=_("Tệp danh sách (.xlsx hoặc .csv)"),
        help_text=_("Dòng đầu là tên cột: Họ và tên, Ngày sinh, Giới tính, Số thẻ đảng viên, "
                    "Ngày vào Đảng, Ngày chính thức, Ngày bắt đầu sinh hoạt."),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx,.csv"}),
        required=False,  # checked in clean_file, after the size, so a cut upload reads "too large"
        error_messages={"empty": _("Tệp không có dữ liệu.")},
    )


# --- access -----------------------------------------------------------------------


class RoleGrantForm(forms.Form):
    """A role for an account, at the page's organization. The account is looked up in ``users`` only."""

    username = forms.CharField(label=_("Tài khoản"), max_length=150,
                               widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}))
    kind = forms.ChoiceField(label=_("Vai trò"), choices=RoleKind.choices,
                             widget=forms.Select(attrs={"class": "form-select"}))

    def __init__(self, *args, users, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.users = users

    def clean_username(self):
        name = self.cleaned_data["username"].strip()
        user = self.users.filter(username=name).first()
        if user is None:  # the same answer whether the account does not exist or is out of reach
            raise forms.ValidationError(_("Không tìm thấy tài khoản “%(u)s” trong phạm vi bạn quản lý.")
                                        % {"u": name})
        self.cleaned_data["user"] = user
        return name


class RoleRevokeForm(forms.Form):
    role = forms.ModelChoiceField(queryset=None)
    user = forms.ModelChoiceField(queryset=None)

    def __init__(self, *args, roles, users, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = roles
        self.fields["user"].queryset = users


# --- posts ------------------------------------------------------------------------


class TenureStartForm(forms.Form):
    card_number = forms.CharField(label=_("Số thẻ đảng viên"), max_length=20,
                                  widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}))
    position = forms.ModelChoiceField(label=_("Chức vụ"), queryset=Position.objects.all(),
                                      widget=forms.Select(attrs={"class": "form-select"}))
    body = forms.ModelChoiceField(label=_("Cơ quan lãnh đạo"), queryset=None, required=False,
                                  widget=forms.Select(attrs={"class": "form-select"}))
    start = DateField(label=_("Từ ngày"))
    acting = forms.BooleanField(label=_("Quyền, phụ trách"), required=False)
    concurrent = forms.BooleanField(label=_("Kiêm nhiệm"), required=False)
    decision_ref = forms.CharField(label=_("Số quyết định"), max_length=60, required=False,
                                   widget=forms.TextInput(attrs={"class": "form-control"}))

    def __init__(self, *args, organization, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["body"].queryset = organization.bodies.all()

    def clean_card_number(self):
        from .access import person_by_card_for

        card = self.cleaned_data["card_number"].strip()
        person = person_by_card_for(self.user, card)
        if person is None:  # alike for a card that does not exist and one out of reach
            raise forms.ValidationError(_("Không tìm thấy đảng viên có số thẻ %(c)s.") % {"c": card})
        self.cleaned_data["person"] = person
        return card


class TenureEndForm(forms.Form):
    end = DateField(label=_("Đến ngày (hết ngày)"))
    decision_ref = forms.CharField(label=_("Số quyết định"), max_length=60, required=False,
                                   widget=forms.TextInput(attrs={"class": "form-control"}))
