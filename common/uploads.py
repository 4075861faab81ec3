"""Upload size limits enforced while the request body is read, not after it has been stored.

A view declares the largest upload it takes with ``@upload_limit("SETTING")``.
``LimitedUploadHandler`` comes first in ``FILE_UPLOAD_HANDLERS``: for such a
view it refuses a request whose declared length is already too large as soon
as the file part starts, and stops reading a body whose file bytes pass the
limit whatever the request declared, so no later handler writes the excess
to memory or disk. The view then finds ``upload_was_cut(request)`` true and
shows the size message.
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest
from django.template.defaultfilters import filesizeformat
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Room for the other fields and the multipart headers around the file.
FORM_OVERHEAD = 64 * 1024
_CUT = "_upload_was_cut"


def upload_limit(setting: str) -> Callable:
    """Mark a view as taking uploads of at most ``settings.<setting>`` bytes."""

    def decorate(view: Callable) -> Callable:
        view.upload_limit_setting = setting
        return view

    return decorate


def limit_for(request: HttpRequest | None) -> int | None:
    """The upload limit of the view ``request`` goes to, or None when it declares none."""
    if request is None:
        return None
    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
    setting = getattr(match.func, "upload_limit_setting", None)
    return getattr(settings, setting) if setting else None


def declared_too_large(request: HttpRequest, limit: int) -> bool:
    """Whether the request says, before a byte is read, that it carries more than ``limit``."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > limit + FORM_OVERHEAD


def too_large_message(limit: int) -> str:
    return _("Tệp quá lớn (tối đa %(size)s).") % {"size": filesizeformat(limit)}


def upload_was_cut(request: HttpRequest) -> bool:
    return getattr(request, _CUT, False)


class LimitedUploadHandler(FileUploadHandler):
    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.limit: int | None = None
        self.too_large = False
        self.received = 0

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.limit = limit_for(self.request)
        self.too_large = self.limit is not None and declared_too_large(self.request, self.limit)
        return None  # the parsing itself is left to Django

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        if self.too_large:
            self._cut()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if self.limit is not None:
            self.received += len(raw_data)
            if self.received > self.limit:
                self._cut()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler keeps the file

    def _cut(self) -> None:
        setattr(self.request, _CUT, True)
        # connection_reset: do not read the rest of the body either.
        raise StopUpload(connection_reset=True)


class LimitedUploadForm(forms.Form):
    """A form whose ``file`` is limited to ``settings.<limit_setting>`` bytes and a few extensions.

    ``too_large`` is true when the request was refused or cut for its size before the file arrived;
    the file field is optional so that such a request reads "too large", not "choose a file".
    """

    limit_setting = "IMPORT_MAX_BYTES"
    extensions: tuple[str, ...] = ()
    missing_message = gettext_lazy("Chọn tệp để tải lên.")
    extension_message = ""

    def __init__(self, *args, too_large: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.too_large = too_large

    @classmethod
    def limit(cls) -> int:
        return getattr(settings, cls.limit_setting)

    def clean_file(self):
        if self.too_large:
            raise forms.ValidationError(too_large_message(self.limit()))
        upload = self.cleaned_data.get("file")
        if not upload:
            raise forms.ValidationError(self.missing_message)
        if not upload.name.lower().endswith(self.extensions):
            raise forms.ValidationError(self.extension_message)
        if upload.size > self.limit():
            raise forms.ValidationError(too_large_message(self.limit()))
        return upload


def upload_form(request: HttpRequest, form_class: type[LimitedUploadForm], **kwargs) -> LimitedUploadForm:
    """``form_class`` for this request: unbound for a GET; refused on the declared length alone (so
    ``request.FILES`` is never read); else bound, knowing whether ``LimitedUploadHandler`` cut the body."""
    if request.method != "POST":
        return form_class(**kwargs)
    if declared_too_large(request, form_class.limit()):
        return form_class({}, too_large=True, **kwargs)
    files = request.FILES  # read through LimitedUploadHandler, which may cut it
    return form_class(request.POST, files, too_large=upload_was_cut(request), **kwargs)
