"""The services' rules that need the database: order of review, head versus collective, Not completed
twice, discipline read from the records, frozen results, quarters, reminders."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from assessments import services as svc
from assessments.choices import Level, Step, SubjectKind
from assessments.models import Assessment, PeerGroup, Reminder
from assessments.reminders import reminders_send
from organizations.models import Discipline, DisciplineAnnulment, DisciplineForm

from .conftest import of, open_period

GOOD = {"politics": 5, "ethics": 4, "lifestyle": 4, "example": 4, "innovation": 4, "self_criticism": 4, "tasks": 60}
TOP = {"politics": 5, "ethics": 5, "lifestyle": 5, "example": 5, "innovation": 5, "self_criticism": 5, "tasks": 68}
COLLECTIVE = {"building": 8, "organization": 8, "inspection": 8, "tasks": 62}


def _codes(exc) -> set[str]:
    return {r.code for r in exc.reasons} | {r.code for rows in exc.rows.values() for r in rows}


def test_individuals_wait_for_their_collective(world, period_2026):
    period = period_2026
    member = of(period, world.members[0])
    with pytest.raises(svc.Refused) as refused:
        svc.assessments_review(period=period, rows=[svc.Row(member.pk, grades=GOOD, level=Level.GOOD)],
                               actor=world.cell_staff)
    assert "collective_first" in _codes(refused.value)
    assert of(period, world.members[0]).state == Step.PENDING
    # In one act the collective goes first and its members after it.
    svc.assessments_review(period=period, actor=world.cell_staff, rows=[
        svc.Row(member.pk, grades=GOOD, level=Level.GOOD),
        svc.Row(of(period, world.province.cell_1).pk, grades=COLLECTIVE, level=Level.GOOD)])
    assert of(period, world.members[0]).state == Step.REVIEWED


def test_a_committee_waits_for_its_cells(world, period_2026, django_user_model):
    period, p = period_2026, world.province
    grassroots = of(period, p.grassroots)
    svc.assessment_self_submit(assessment=grassroots, grades=COLLECTIVE, level=Level.GOOD, text="",
                               actor=world.grassroots_staff)
    superuser = django_user_model.objects.create_superuser("root_admin")
    svc.assessment_appraise(assessment=of(period, p.grassroots), level=Level.GOOD, text="", actor=superuser)
    with pytest.raises(svc.Refused) as refused:
        svc.assessments_review(period=period, actor=world.grassroots_staff,
                               rows=[svc.Row(grassroots.pk, grades=COLLECTIVE, level=Level.GOOD)])
    assert "lower_levels_first" in _codes(refused.value)
    assert "2 tổ chức trực thuộc" in str(refused.value.rows[grassroots.pk][0])


def test_a_head_rated_above_the_collective_is_flagged_or_blocked_as_the_period_says(world, period_2026,
                                                                                   django_user_model):
    period, p = period_2026, world.province
    superuser = django_user_model.objects.create_superuser("root_admin")
    secretary = of(period, world.secretary)
    svc.assessment_self_submit(assessment=secretary, grades=TOP, level=Level.EXCELLENT, text="", actor=superuser)
    svc.assessment_appraise(assessment=of(period, world.secretary), level=Level.EXCELLENT, text="", actor=superuser)
    svc.assessments_review(period=period, actor=superuser, rows=[
        svc.Row(of(period, p.cell_1).pk, grades=COLLECTIVE, level=Level.GOOD),
        svc.Row(secretary.pk, grades=TOP, level=Level.EXCELLENT)])
    goods = [svc.Row(of(period, m).pk, grades=GOOD, level=Level.GOOD) for m in world.members]
    svc.assessments_review(period=period, actor=superuser, rows=goods)
    decisions = [svc.Decision(r.assessment_id, Level.GOOD) for r in goods]
    decisions.append(svc.Decision(of(period, p.cell_1).pk, Level.COMPLETED))
    svc.assessments_decide(period=period, decisions=decisions, actor=superuser)
    period.head_above_collective = "block"
    period.save()
    with pytest.raises(svc.Refused) as refused:  # the secretary Good, above the cell's Completed
        svc.assessments_decide(period=period, actor=superuser, decisions=[svc.Decision(secretary.pk, Level.GOOD)])
    assert "head_above_collective" in _codes(refused.value)
    period.head_above_collective = "warn"
    period.save()
    svc.assessments_decide(period=period, actor=superuser, decisions=[svc.Decision(secretary.pk, Level.GOOD)])
    assert of(period, world.secretary).flag_head_above


def _decide(period, people, level, actor, org_rows=()):
    rows = [svc.Row(a.pk, grades=COLLECTIVE, level=Level.GOOD) for a in org_rows]
    rows += [svc.Row(of(period, m).pk, grades=GOOD, level=level) for m in people]
    svc.assessments_review(period=period, rows=rows, actor=actor)
    svc.assessments_decide(period=period, actor=actor,
                           decisions=[svc.Decision(r.assessment_id, level if r.assessment_id not in
                                                   {a.pk for a in org_rows} else Level.GOOD,
                                                   "Có lý do" if level == Level.NOT_COMPLETED else "")
                                      for r in rows])


def test_not_completed_two_years_running_is_flagged(world, board_officer, django_capture_on_commit_callbacks,
                                                    django_user_model):
    superuser = django_user_model.objects.create_superuser("root_admin")
    root, cell = world.province.root, world.province.cell_1
    last = open_period(root, board_officer, year=2025, capture=django_capture_on_commit_callbacks)
    _decide(last, world.members[:1], Level.NOT_COMPLETED, superuser, [of(last, cell)])
    this = open_period(root, board_officer, year=2026, capture=django_capture_on_commit_callbacks)
    _decide(this, world.members[:2], Level.NOT_COMPLETED, superuser, [of(this, cell)])
    assert of(this, world.members[0]).flag_twice
    assert not of(this, world.members[1]).flag_twice  # only once


def test_discipline_in_the_year_caps_the_level_unless_self_detected_and_remedied(world, period_2026):
    period, cell = period_2026, world.province.cell_1
    Discipline.objects.create(person=world.members[0], owner=cell, form=DisciplineForm.REPRIMAND,
                              decided_on=dt.date(2026, 5, 1))
    Discipline.objects.create(person=world.members[1], owner=cell, form=DisciplineForm.REPRIMAND,
                              decided_on=dt.date(2026, 5, 1), self_detected_remedied=True)
    rows = [svc.Row(of(period, cell).pk, grades=COLLECTIVE, level=Level.GOOD)]
    rows += [svc.Row(of(period, m).pk, grades=GOOD, level=Level.GOOD) for m in world.members[:2]]
    svc.assessments_review(period=period, rows=rows, actor=world.cell_staff)
    with pytest.raises(svc.Refused) as refused:
        svc.assessments_decide(period=period, actor=world.grassroots_staff,
                               decisions=[svc.Decision(r.assessment_id, Level.GOOD) for r in rows])
    assert "disciplined" in _codes(refused.value)
    assert set(refused.value.rows) == {of(period, world.members[0]).pk}
    svc.assessments_decide(period=period, actor=world.grassroots_staff, decisions=[
        svc.Decision(rows[0].assessment_id, Level.GOOD),
        svc.Decision(rows[1].assessment_id, Level.NOT_COMPLETED),
        svc.Decision(rows[2].assessment_id, Level.GOOD)])
    assert of(period, world.members[1]).level == Level.GOOD


def test_an_annulled_discipline_no_longer_caps_the_level(world, period_2026):
    period, cell = period_2026, world.province.cell_1
    measure = Discipline.objects.create(person=world.members[0], owner=cell, form=DisciplineForm.REPRIMAND,
                                        decided_on=dt.date(2026, 5, 1))
    DisciplineAnnulment.objects.create(discipline=measure, annulled_on=dt.date(2026, 8, 1))
    rows = [svc.Row(of(period, cell).pk, grades=COLLECTIVE, level=Level.GOOD),
            svc.Row(of(period, world.members[0]).pk, grades=GOOD, level=Level.GOOD)]
    svc.assessments_review(period=period, rows=rows, actor=world.cell_staff)
    svc.assessments_decide(period=period, actor=world.grassroots_staff,
                           decisions=[svc.Decision(r.assessment_id, Level.GOOD) for r in rows])
    assert of(period, world.members[0]).level == Level.GOOD


def test_a_decided_result_is_frozen(world, period_2026):
    period, cell = period_2026, world.province.cell_1
    rows = [svc.Row(of(period, cell).pk, grades=COLLECTIVE, level=Level.GOOD),
            svc.Row(of(period, world.members[0]).pk, grades=GOOD, level=Level.GOOD)]
    svc.assessments_review(period=period, rows=rows, actor=world.cell_staff)
    svc.assessments_decide(period=period, actor=world.grassroots_staff,
                           decisions=[svc.Decision(r.assessment_id, Level.GOOD) for r in rows])
    for call in (lambda: svc.assessments_review(period=period, rows=rows, actor=world.cell_staff),
                 lambda: svc.assessments_decide(period=period, actor=world.grassroots_staff,
                                                decisions=[svc.Decision(rows[1].assessment_id, Level.COMPLETED)])):
        with pytest.raises(svc.Refused) as refused:
            call()
        assert "wrong_step" in _codes(refused.value)
    assert of(period, world.members[0]).level == Level.GOOD
    group = PeerGroup.objects.get(pk=of(period, world.members[0]).peer_group_id)
    assert group.good == 1 and group.excellent == 0


def test_a_quarter_reviews_only_leaders_by_default(world, board_officer, django_capture_on_commit_callbacks):
    quarter = open_period(world.province.root, board_officer, year=2026, quarter=2,
                          capture=django_capture_on_commit_callbacks)
    assert set(Assessment.objects.filter(period=quarter).values_list("kind", flat=True)) == {SubjectKind.LEADER}
    assert quarter.decision_by == dt.date(2026, 6, 14)  # before the 15th of the quarter's last month


def test_a_2024_period_runs_under_regulation_124_and_cites_it(world, board_officer,
                                                              django_capture_on_commit_callbacks):
    from regulations.models import Citation

    old = open_period(world.province.root, board_officer, year=2024, capture=django_capture_on_commit_callbacks)
    assert old.scheme == "reg124"
    codes = set(Citation.objects.of(old).values_list("document__code", flat=True))
    assert {"124-QĐ/TW", "25-HD/BTCTW", "144-QĐ/TW"} <= codes and "366-QĐ/TW" not in codes
    member = of(old, world.members[0])
    assert member.form == "02A" and of(old, world.secretary).form == "02B"


def test_reminders_before_a_deadline_and_the_late_list(world, period_2026, settings):
    settings.EMAIL_HOST = "relay.local"
    world.cell_staff.email = "vanphong.thon1@example.org"
    world.cell_staff.save()
    result = reminders_send(on=dt.date(2026, 12, 8))  # two days before the self-assessment deadline
    assert result["reminders"] > 0 and result["late"] == 0
    reminder = Reminder.objects.get(organization=world.province.cell_1, step=Step.PENDING)
    assert reminder.pending == 1 + 4 + 1 and not reminder.late  # collective, members, secretary
    assert any("vanphong.thon1@example.org" in m.to for m in mail.outbox)
    sent = len(mail.outbox)
    assert reminders_send(on=dt.date(2026, 12, 8))["reminders"] == result["reminders"]
    assert len(mail.outbox) == sent  # the same day again: nothing sent twice
    late = reminders_send(on=dt.date(2026, 12, 11))
    assert late["late"] > 0
    assert Reminder.objects.get(organization=world.province.cell_1, step=Step.PENDING, late=True)


def test_today_s_reminders_show_on_the_period_page_to_those_who_may_see_them(client, world, period_2026, outsider,
                                                                             clock):
    clock.move_to(dt.datetime(2026, 12, 8, 9, 0))
    reminders_send()
    client.force_login(world.cell_staff)
    page = client.get(period_2026.get_absolute_url()).content.decode()
    assert 'data-testid="reminders"' in page and world.province.cell_1.name in page
    client.force_login(outsider)  # committee B sees its own, not A's
    page = client.get(period_2026.get_absolute_url()).content.decode()
    assert world.province.cell_b.name in page and world.province.cell_1.name not in page


def test_the_deciding_level_merges_peer_groups_before_deciding(client, world, period_2026, django_user_model):
    from assessments.models import PeerGroup

    period, grassroots = period_2026, world.province.grassroots
    members = PeerGroup.objects.get(period=period, organization=grassroots, kind=SubjectKind.MEMBER)
    cells = PeerGroup.objects.get(period=period, organization=grassroots, kind=SubjectKind.COLLECTIVE)
    url = f"/assessments/periods/{period.pk}/org/{grassroots.pk}/peer-groups/"
    client.force_login(world.cell_staff)  # the cell is not the deciding level
    assert client.get(url).status_code == 404
    client.force_login(world.grassroots_staff)
    assert client.get(url).status_code == 200
    response = client.post(url + "merge/", {"source": cells.pk, "target": members.pk})
    assert response.status_code == 302
    assert not PeerGroup.objects.filter(pk=cells.pk).exists()
    members.refresh_from_db()
    assert members.size == 4 + 3 + 2  # the members of both cells and the two cells
    assert of(period, world.province.cell_1).peer_group_id == members.pk
    # Once a decision is taken in a group it can no longer be merged.
    leaders = PeerGroup.objects.get(period=period, organization=grassroots, kind=SubjectKind.LEADER)
    rows = [svc.Row(of(period, world.province.cell_1).pk, grades=COLLECTIVE, level=Level.GOOD),
            svc.Row(of(period, world.members[0]).pk, grades=GOOD, level=Level.GOOD)]
    svc.assessments_review(period=period, rows=rows, actor=world.cell_staff)
    svc.assessments_decide(period=period, actor=world.grassroots_staff,
                           decisions=[svc.Decision(r.assessment_id, Level.GOOD) for r in rows])
    response = client.post(url + "merge/", {"source": leaders.pk, "target": members.pk})
    assert response.status_code == 400 and "không gộp được nữa" in response.content.decode()
    assert PeerGroup.objects.filter(pk=leaders.pk).exists()


def test_the_deciding_level_splits_a_peer_group_by_organization(client, world, period_2026):
    from assessments.models import PeerGroup
    from audit.models import AuditEntry

    period, grassroots, cell_1 = period_2026, world.province.grassroots, world.province.cell_1
    members = PeerGroup.objects.get(period=period, organization=grassroots, kind=SubjectKind.MEMBER)
    size = members.size
    in_cell_1 = Assessment.objects.filter(period=period, peer_group=members, organization=cell_1).count()
    assert 0 < in_cell_1 < size
    url = f"/assessments/periods/{period.pk}/org/{grassroots.pk}/peer-groups/"
    client.force_login(world.cell_staff)  # the cell is not the deciding level
    assert client.post(url + "split/", {"group": members.pk, "name": "X", "organizations": [cell_1.pk]}
                       ).status_code == 404
    client.force_login(world.grassroots_staff)
    assert client.get(url + "split/").status_code == 405
    page = client.get(url).content.decode()
    assert 'data-testid="split-form"' in page and cell_1.name in page
    # Refusals change nothing: no name, no organization, every organization of the group.
    every = list(Assessment.objects.filter(peer_group=members).values_list("organization_id", flat=True).distinct())
    for data, message in [({"name": "  ", "organizations": [cell_1.pk]}, "Nhập tên nhóm mới"),
                          ({"name": "Chi bộ cơ quan"}, "Chọn ít nhất một tổ chức"),
                          ({"name": "Chi bộ cơ quan", "organizations": every}, "ít nhất một đối tượng")]:
        response = client.post(url + "split/", {"group": members.pk, **data})
        assert response.status_code == 400
        assert any(m in response.content.decode() for m in message.split("|")), message
    assert PeerGroup.objects.filter(period=period, organization=grassroots).count() == 3
    response = client.post(url + "split/", {"group": members.pk, "name": " Chi bộ  cơ quan ",
                                 "organizations": [cell_1.pk]})
    assert response.status_code == 302
    new = PeerGroup.objects.get(period=period, organization=grassroots, name="Chi bộ cơ quan")
    members.refresh_from_db()
    assert (new.size, members.size, new.kind) == (in_cell_1, size - in_cell_1, SubjectKind.MEMBER)
    assert set(Assessment.objects.filter(peer_group=new).values_list("organization_id", flat=True)) == {cell_1.pk}
    assert AuditEntry.objects.filter(action="assessments.peer_group_split").count() == 1
    # The same name twice is refused.
    response = client.post(url + "split/", {"group": members.pk, "name": "Chi bộ cơ quan",
                                 "organizations": [world.province.cell_2.pk]})
    assert response.status_code == 400 and "đã có nhóm tên này" in response.content.decode()
    # The quota is then counted in the new group: deciding a member of cell 1 counts there.
    rows = [svc.Row(of(period, cell_1).pk, grades=COLLECTIVE, level=Level.GOOD),
            svc.Row(of(period, world.members[0]).pk, grades=GOOD, level=Level.GOOD)]
    svc.assessments_review(period=period, rows=rows, actor=world.cell_staff)
    svc.assessments_decide(period=period, actor=world.grassroots_staff,
                           decisions=[svc.Decision(r.assessment_id, Level.GOOD) for r in rows])
    new.refresh_from_db()
    assert new.good == 1
    with pytest.raises(ValidationError, match="không tách được nữa"):
        svc.peer_group_split(period=period, group=new, name="Khác", organizations=[cell_1],
                             actor=world.grassroots_staff)

