"""The demo's personnel work: every kind, a rejection, and a retired head whose appointee was disciplined."""

import pytest
from django.core.management import call_command

from audit.appendonly import verify_chain
from organizations.models import Tenure
from personnel.models import EntryKind, Nomination, NominationKind, NominationState, PlanningEntry, ResponsibilityEntry

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_personnel_work_through_the_services(settings):
    settings.DEBUG = True
    call_command("seed_demo", "--scale", "small", stdout=open("/dev/null", "w"))
    kinds = set(Nomination.objects.values_list("kind", flat=True))
    assert kinds == set(NominationKind.values)
    assert Nomination.objects.filter(state=NominationState.REJECTED).count() == 1
    assert PlanningEntry.objects.count() >= 5
    assert verify_chain(ResponsibilityEntry) is None
    # The head who introduced the appointed deputy holds no post any more; their record keeps the discipline.
    appointed = Nomination.objects.get(state=NominationState.APPOINTED)
    assert not Tenure.objects.filter(person=appointed.nominator, end__isnull=True,
                                     organization=appointed.organization).exists()
    events = list(ResponsibilityEntry.objects.filter(nominator=appointed.nominator).values_list("kind", flat=True))
    assert events[-2:] == [EntryKind.APPOINTED, EntryKind.DISCIPLINE]
