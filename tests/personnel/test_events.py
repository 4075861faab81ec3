"""An appointee's later events reach the responsibility ledger of the nomination that appointed them, and its
nominator, for good: a discipline (also after the nominator retired), a Not completed rating."""

from __future__ import annotations

import datetime as dt

import pytest

from audit.appendonly import verify_chain
from common.actors import SYSTEM
from organizations.models import DisciplineForm
from organizations.services import discipline_record, tenure_end
from personnel import services
from personnel.models import NominationState, ResponsibilityEntry

from .conftest import through_steps

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def appointed(committee, appointing):
    c = committee
    n = c.introduced()
    through_steps(c, n, [7, 6, 8, 6])
    n = services.nomination_appoint(nomination=n, decision=appointing.decision(D(2026, 4, 6)), start=D(2026, 4, 10),
                                    actor=c.clerk)
    assert n.state == NominationState.APPOINTED
    return n


def _events(n, kind):
    return list(ResponsibilityEntry.objects.filter(nomination=n, kind=kind))


def test_a_discipline_of_the_appointee_is_an_entry_of_the_nomination_and_its_nominator(committee, appointed,
                                                                                        province):
    c = committee
    discipline = discipline_record(form=DisciplineForm.REPRIMAND, decided_on=D(2026, 6, 1), decided_by=c.org,
                                   actor=SYSTEM, person=c.nominee, decision_ref="05-QĐ/UBKT",
                                   reason="Vi phạm quy chế làm việc")
    (entry,) = _events(appointed, "discipline")
    assert (entry.nominator_id, entry.nominee_id, entry.organization_id, entry.occurred_on) == (
        c.head.pk, c.nominee.pk, c.org.pk, D(2026, 6, 1))
    assert entry.data["discipline"] == discipline.pk and entry.data["form"] == "reprimand"
    assert verify_chain(ResponsibilityEntry) is None


def test_the_nominator_answers_for_it_after_retiring(committee, appointed):
    c = committee
    for tenure in c.head.tenures.filter(end__isnull=True):
        tenure_end(tenure=tenure, end=D(2026, 5, 31), actor=SYSTEM)  # the head retired
    assert c.org.head_on(D(2026, 7, 1)) is None
    discipline_record(form=DisciplineForm.WARNING, decided_on=D(2026, 7, 1), decided_by=c.org, actor=SYSTEM,
                      person=c.nominee, decision_ref="07-QĐ/UBKT", reason="Vi phạm")
    (entry,) = _events(appointed, "discipline")
    assert entry.nominator_id == c.head.pk and entry.data["form"] == "warning"
    assert ResponsibilityEntry.objects.filter(nominator=c.head, kind="discipline").count() == 1


def test_a_discipline_before_the_appointment_or_of_someone_never_appointed_is_not_an_entry(committee, appointing):
    c = committee
    n = c.introduced()
    through_steps(c, n, [7, 6, 8, 6])
    discipline_record(form=DisciplineForm.REPRIMAND, decided_on=D(2026, 4, 1), decided_by=c.org, actor=SYSTEM,
                      person=c.nominee, decision_ref="03-QĐ/UBKT", reason="Trước khi bổ nhiệm")
    discipline_record(form=DisciplineForm.REPRIMAND, decided_on=D(2026, 4, 1), decided_by=c.org, actor=SYSTEM,
                      person=c.members[7], decision_ref="04-QĐ/UBKT", reason="Không được giới thiệu")
    assert not ResponsibilityEntry.objects.filter(kind="discipline").exists()


def test_a_not_completed_rating_is_an_entry(committee, appointed, province, board_officer,
                                            django_capture_on_commit_callbacks, django_user_model):
    from assessments import services as assessments
    from assessments.choices import Level
    from tests.assessments.conftest import of, open_period
    from tests.assessments.test_services import COLLECTIVE, GOOD

    c = committee
    superuser = django_user_model.objects.create_superuser("root_admin")
    period = open_period(province.root, board_officer, capture=django_capture_on_commit_callbacks)
    p = province
    mine = of(period, c.nominee)
    for org in (p.cell_1, p.cell_2, p.grassroots, c.org):  # the lower levels are reviewed first
        collective = of(period, org)
        if org.kind != "cell":  # a committee: its own assessment, then the organization board's appraisal
            assessments.assessment_self_submit(assessment=collective, grades=COLLECTIVE, level=Level.GOOD, text="",
                                               actor=superuser)
            assessments.assessment_appraise(assessment=of(period, org), level=Level.GOOD, text="", actor=superuser)
        assessments.assessments_review(period=period, rows=[assessments.Row(collective.pk, grades=COLLECTIVE,
                                                                            level=Level.GOOD)], actor=superuser)
        assessments.assessments_decide(period=period, actor=superuser,
                                       decisions=[assessments.Decision(collective.pk, Level.GOOD)])
    assessments.assessment_self_submit(assessment=mine, grades=GOOD, level=Level.COMPLETED, text="", actor=superuser)
    assessments.assessment_appraise(assessment=of(period, c.nominee), level=Level.NOT_COMPLETED, text="",
                                    actor=superuser)  # a leader: the organization board appraises
    assessments.assessments_review(period=period, rows=[assessments.Row(mine.pk, grades=GOOD,
                                                                        level=Level.NOT_COMPLETED)], actor=superuser)
    assert not _events(appointed, "not_completed")  # proposed only: not yet an event
    assessments.assessments_decide(period=period, actor=superuser, decisions=[
        assessments.Decision(mine.pk, Level.NOT_COMPLETED, "Không hoàn thành chỉ tiêu")])
    (entry,) = _events(appointed, "not_completed")
    assert entry.nominator_id == c.head.pk and entry.data["year"] == 2026 and entry.data["assessment"] == mine.pk
