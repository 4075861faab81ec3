"""Reminders before each step's deadline, and the list of late organizations for their superior.

Run daily by Celery beat (``assessments.remind``). Each reminder is a row
(shown in the portal to the organization's office and, above it, in the late
list) and, when a mail relay is configured, an email to the holders of a role
at that organization. One row per organization, step and day: running twice
on one day sends nothing twice.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Count
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from organizations.models import AccessRole, Organization, today

from .choices import Step
from .models import Assessment, Period, PeriodStatus, Reminder

OPEN_STEPS = [Step.PENDING, Step.SELF_ASSESSED, Step.APPRAISED, Step.REVIEWED, Step.DECIDED]


def _emails_at(org_ids: set[int]) -> dict[int, list[str]]:
    """The email addresses of the users holding a role at each organization."""
    out: dict[int, list[str]] = defaultdict(list)
    roles = AccessRole.objects.filter(organization_id__in=org_ids).values_list("organization_id", "group_id")
    groups: dict[int, list[int]] = defaultdict(list)
    for org_id, group_id in roles:
        groups[group_id].append(org_id)
    users = get_user_model().objects.filter(groups__in=list(groups), is_active=True).exclude(email="")
    for email, group_id in users.values_list("email", "groups"):
        for org_id in groups.get(group_id, []):
            out[org_id].append(email)
    return out


def reminders_send(on: dt.date | None = None) -> dict:
    """Remind the organizations with subjects still in a step due within the next days; list the late ones."""
    on = on or today()
    ahead = dt.timedelta(days=settings.ASSESSMENT_REMIND_DAYS)
    made: list[Reminder] = []
    for period in Period.objects.filter(status=PeriodStatus.OPEN).select_related("organization"):
        for step in OPEN_STEPS:
            deadline = period.deadline_of(step)
            if deadline is None or not (on <= deadline <= on + ahead or deadline < on):
                continue
            waiting = (Assessment.objects.filter(period=period, state=step).values("organization_id")
                       .annotate(n=Count("pk")).values_list("organization_id", "n"))
            made += [Reminder(period=period, organization_id=org_id, step=step, late=deadline < on, pending=n,
                              deadline=deadline, sent_on=on) for org_id, n in waiting]
    with transaction.atomic():
        Reminder.objects.bulk_create(made, ignore_conflicts=True)
    sent = Reminder.objects.filter(sent_on=on, emailed=False).select_related("period", "organization")
    emailed = 0
    if settings.EMAIL_HOST and sent:
        emailed = _email(list(sent))
    return {"reminders": len(made), "late": sum(1 for r in made if r.late), "emailed": emailed}


def _email(reminders: list[Reminder]) -> int:
    """One mail per reminder to the organization's role holders; the late ones also to its superior's."""
    orgs = {r.organization_id for r in reminders}
    parents = {}
    for r in reminders:
        if r.late and r.organization.depth > 1:
            parents[r.pk] = r.organization.parent_path
    parent_ids = dict(Organization.objects.filter(path__in=set(parents.values())).values_list("path", "pk"))
    addresses = _emails_at(orgs | set(parent_ids.values()))
    messages = []
    for r in reminders:
        step = Step(r.step).label
        subject = (_("Quá hạn: %(step)s — %(org)s") if r.late else _("Sắp đến hạn: %(step)s — %(org)s")) % {
            "step": step, "org": r.organization.name}
        body = _("%(org)s còn %(n)s đối tượng ở bước “%(step)s” của kỳ %(period)s; hạn %(deadline)s.") % {
            "org": r.organization.name, "n": r.pending, "step": step, "period": r.period.title,
            "deadline": date_format(r.deadline, "SHORT_DATE_FORMAT")}
        to = list(addresses.get(r.organization_id, []))
        if r.late and r.pk in parents:
            to += addresses.get(parent_ids.get(parents[r.pk]), [])
        if to:
            messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, sorted(set(to))))
    sent = send_mass_mail(messages, fail_silently=False) if messages else 0
    Reminder.objects.filter(pk__in=[r.pk for r in reminders]).update(emailed=True)
    return sent
