"""The province's "5 clear" template of the candidates' action programs: one page to read and edit it."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from organizations import access

from . import programs
from .permissions import MANAGE_PERSONNEL, VIEW_PERSONNEL
from .reasons import PROGRAM_LABELS


class ProgramTemplateForm(forms.Form):
    def __init__(self, *args, initial_prompts: dict[str, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for part in programs.PARTS:
            self.fields[part] = forms.CharField(
                label=PROGRAM_LABELS[part], required=False, max_length=programs.MAX_PROMPT,
                initial=initial_prompts[part], widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
                help_text=_("Để trống: dùng hướng dẫn mặc định."))


def program_template(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the template in force; POST (the province's office): save it."""
    org = access.get_organization_for(request, pk)
    if VIEW_PERSONNEL not in org.perms:
        raise PermissionDenied
    # The template belongs to the province: below it, the page shows the province's prompts, read only.
    may_edit = MANAGE_PERSONNEL in org.perms and org.depth == 1
    if request.method == "POST" and not may_edit:
        raise PermissionDenied
    form = ProgramTemplateForm(request.POST or None, initial_prompts=programs.prompts_for(org))
    if request.method == "POST" and form.is_valid():
        try:
            programs.program_template_save(organization=org, prompts=form.cleaned_data, actor=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã lưu mẫu chương trình hành động."))
            return redirect("personnel:program_template", pk=org.pk)
    return render(request, "personnel/program_template.html", {"org": org, "form": form, "may_edit": may_edit})
