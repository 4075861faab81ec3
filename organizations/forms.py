import datetime as dt

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from common.forms import DateField
from common.reasons import Refused
from common.uploads import LimitedUploadForm

from .models import DisciplineForm, Gender, OrgKind, Position, Relation, RoleKind, today
from .rules import DATE_FIELDS, FIELD_OF, FUTURE_CODES, future_reasons, member_date_reasons


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


# --- the tree, people, kinship, discipline -----------------------------------------------

_TEXT = {"class": "form-control"}
_SELECT = {"class": "form-select"}


def _text(label, max_length: int, required: bool = True) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, required=required,
                           widget=forms.TextInput(attrs={**_TEXT, "autocomplete": "off"}))


class OrganizationCreateForm(forms.Form):
    name = _text(_("Tên"), 255)
    code = forms.SlugField(label=_("Mã"), max_length=40, widget=forms.TextInput(attrs=_TEXT),
                           help_text=_("Chữ không dấu, số và dấu gạch ngang, duy nhất trong toàn hệ thống."))
    kind = forms.ChoiceField(label=_("Loại"), widget=forms.Select(attrs=_SELECT),
                             choices=[c for c in OrgKind.choices if c[0] != OrgKind.PROVINCIAL])


class OrganizationRenameForm(forms.Form):
    name = _text(_("Tên mới"), 255)


class CodeListInput(forms.TextInput):
    """A code typed, or picked from a list of organizations (name and code) shown as the user types."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.options: list[tuple[str, str]] = []

    def render(self, name, value, attrs=None, renderer=None):
        list_id = f"{(attrs or {}).get('id') or name}-list"
        field = super().render(name, value, {**(attrs or {}), "list": list_id}, renderer)
        options = format_html_join("", '<option value="{}">{}</option>', self.options)
        return format_html('{}<datalist id="{}">{}</datalist>', field, list_id, options)


class OrganizationMoveForm(forms.Form):
    """The new superior organization, by its code; the list offers the places the user may move it to
    (``selectors.move_targets``), a code typed otherwise is refused with its reason."""

    parent_code = forms.CharField(label=_("Mã tổ chức cấp trên mới"), max_length=40,
                                  widget=CodeListInput(attrs={**_TEXT, "autocomplete": "off"}))

    def __init__(self, *args, user, targets=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["parent_code"].widget.options = [(o.code, f"{o.name} ({o.code})") for o in targets]

    def clean_parent_code(self):
        from .access import MANAGE_MEMBERS, orgs_for

        code = self.cleaned_data["parent_code"].strip()
        parent = orgs_for(self.user, MANAGE_MEMBERS).filter(code=code).first()
        if parent is None:  # alike for a code that does not exist and one out of reach
            raise forms.ValidationError(_("Không tìm thấy tổ chức có mã %(c)s trong phạm vi bạn quản lý.")
                                        % {"c": code})
        self.cleaned_data["parent"] = parent
        return code


class OrganizationDissolveForm(forms.Form):
    on = DateField(label=_("Ngày giải thể, sáp nhập"))
    decision_ref = _text(_("Số quyết định"), 60, required=False)

    def clean_on(self) -> dt.date:
        return _not_ahead(self, "org_dissolve_in_future")


class PersonIdentityForm(forms.Form):
    """The identity fields of a party member (creation adds the cell's start date)."""

    full_name = _text(_("Họ và tên"), 120)
    gender = forms.ChoiceField(label=_("Giới tính"), choices=Gender.choices, widget=forms.Select(attrs=_SELECT))
    birth_date = DateField(label=_("Ngày sinh"), required=False)
    card_number = forms.RegexField(label=_("Số thẻ đảng viên"), regex=r"^\d{1,20}$", max_length=20, required=False,
                                   widget=forms.TextInput(attrs={**_TEXT, "autocomplete": "off"}),
                                   error_messages={"invalid": _("Số thẻ đảng viên chỉ gồm chữ số.")})
    join_date = DateField(label=_("Ngày vào Đảng"), required=False)
    official_date = DateField(label=_("Ngày chính thức"), required=False)

    def clean(self):
        data = super().clean()
        for reason in member_date_reasons(today=today(), **{f: data.get(f) for f in DATE_FIELDS if f in self.fields}):
            field = reason.params["field"] if reason.code == "person_future_date" else FIELD_OF[reason.code]
            self.add_error(field, Refused(reason))
        return data


class PersonCreateForm(PersonIdentityForm):
    start = DateField(label=_("Sinh hoạt tại chi bộ từ ngày"))


class KinshipDeclareForm(forms.Form):
    relative_card = _text(_("Số thẻ đảng viên của người thân"), 20)
    relation = forms.ChoiceField(label=_("Quan hệ"), choices=Relation.choices, widget=forms.Select(attrs=_SELECT))
    declared_on = DateField(label=_("Ngày kê khai"))

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_relative_card(self):
        from .access import person_by_card_for

        card = self.cleaned_data["relative_card"].strip()
        relative = person_by_card_for(self.user, card)
        if relative is None:  # alike for a card that does not exist and one out of reach
            raise forms.ValidationError(_("Không tìm thấy đảng viên có số thẻ %(c)s.") % {"c": card})
        self.cleaned_data["relative"] = relative
        return card

    def clean_declared_on(self) -> dt.date:
        return _not_ahead(self, "kinship_declared_in_future")


def _not_ahead(form: forms.Form, code: str) -> dt.date:
    """The date of ``form``'s field for ``code`` (``organizations.rules.FUTURE_CODES``), refused on the field when
    it lies after today, as the service would refuse it."""
    field = FUTURE_CODES[code]
    day = form.cleaned_data[field]
    reasons = future_reasons(code, day, today=today())
    if reasons:
        raise Refused(reasons)
    return day


class KinshipEndForm(forms.Form):
    ended_on = DateField(label=_("Ngày kết thúc"))


class DisciplineRecordForm(forms.Form):
    """A measure on the page's person or organization; the issuing body among the levels the user acts for."""

    form = forms.ChoiceField(label=_("Hình thức"), widget=forms.Select(attrs=_SELECT))
    decided_on = DateField(label=_("Ngày quyết định"))
    decided_by = forms.ModelChoiceField(label=_("Cấp quyết định"), queryset=None, widget=forms.Select(attrs=_SELECT))
    decision_ref = _text(_("Số quyết định"), 60, required=False)
    reason = forms.CharField(label=_("Lý do"), max_length=2000, required=False,
                             widget=forms.Textarea(attrs={**_TEXT, "rows": 3}))
    self_detected_remedied = forms.BooleanField(label=_("Tự phát hiện, đã khắc phục"), required=False)

    def __init__(self, *args, issuers, subject: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decided_by"].queryset = issuers
        unfit = DisciplineForm.DISSOLUTION if subject == "person" else DisciplineForm.EXPULSION
        self.fields["form"].choices = [c for c in DisciplineForm.choices if c[0] != unfit]

    def clean_decided_on(self) -> dt.date:
        return _not_ahead(self, "discipline_decided_in_future")


class DisciplineAnnulForm(forms.Form):
    annulled_on = DateField(label=_("Ngày hủy"))
    decided_by = forms.ModelChoiceField(label=_("Cấp quyết định hủy"), queryset=None,
                                        widget=forms.Select(attrs=_SELECT))
    decision_ref = _text(_("Số quyết định hủy"), 60, required=False)
    reason = forms.CharField(label=_("Lý do"), max_length=2000, required=False,
                             widget=forms.Textarea(attrs={**_TEXT, "rows": 3}))

    def __init__(self, *args, issuers, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decided_by"].queryset = issuers

    def clean_annulled_on(self) -> dt.date:
        return _not_ahead(self, "discipline_annul_in_future")
