"""The "5 clear" template of a candidate's action program, which the province edits.

A candidate's action program states five things clearly (Hai Duong practice, RULES.md): the work, the people,
the schedule, the results and the responsibility. The province keeps one template, the prompt shown under each
heading on the nomination form; until it writes its own, ``DEFAULT_PROMPTS`` apply.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from audit.services import audit_record
from common.reasons import Refused
from organizations.access import authorize
from organizations.models import Organization

from .models import ActionProgramTemplate
from .permissions import MANAGE_PERSONNEL

MESSAGES = {
    "program_template_not_province": lambda p: gettext("Mẫu chương trình hành động do cấp tỉnh ban hành, không "
                                                        "phải %(org)s.") % p,
    "program_template_too_long": lambda p: gettext("Mỗi mục hướng dẫn không quá %(n)s ký tự.") % p,
}

PARTS = ("work", "people", "schedule", "results", "responsibility")
MAX_PROMPT = 1000

DEFAULT_PROMPTS = {
    "work": _("Những việc sẽ làm trong nhiệm kỳ, theo thứ tự ưu tiên."),
    "people": _("Ai chủ trì, ai phối hợp thực hiện từng việc."),
    "schedule": _("Thời hạn hoàn thành từng việc."),
    "results": _("Kết quả, sản phẩm cụ thể, đo được."),
    "responsibility": _("Trách nhiệm của người được giới thiệu nếu không hoàn thành."),
}


def province_of(organization: Organization) -> Organization:
    if organization.depth == 1:
        return organization
    return Organization.objects.get(path=organization.path[: organization.steplen])


def prompts_for(organization: Organization) -> dict[str, str]:
    """The prompts in force for a nomination of ``organization``: its province's template, else the defaults."""
    template = ActionProgramTemplate.objects.filter(organization=province_of(organization)).first()
    saved = template.headings if template else {}
    return {part: saved.get(part) or str(DEFAULT_PROMPTS[part]) for part in PARTS}


def program_template_save(*, organization: Organization, prompts: dict[str, str], actor) -> ActionProgramTemplate:
    """The province writes its template (only a province: the root of a tree)."""
    with transaction.atomic():
        organization = Organization.objects.select_for_update().get(pk=organization.pk)
        authorize(actor, MANAGE_PERSONNEL, organization)
        if organization.depth != 1:
            raise Refused.because("program_template_not_province", org=str(organization))
        cleaned = {part: str(prompts.get(part, "") or "").strip() for part in PARTS}
        too_long = [part for part, text in cleaned.items() if len(text) > MAX_PROMPT]
        if too_long:
            raise Refused.because("program_template_too_long", n=MAX_PROMPT)
        template, _created = ActionProgramTemplate.objects.update_or_create(organization=organization,
                                                                            defaults={"headings": cleaned})
        audit_record(actor=actor, action="program_template.save", obj=template, summary=str(organization),
                     data={"prompts": cleaned})
    return template
