"""Committee staff of B get 404 on every object and page of organization A, and learn nothing from card numbers.

One of each record is built under A's grassroots committee (a meeting, a
collective and an individual decision, a draft working regulation, an
assignment, a member import into one of its cells). Every page and POST
action that takes one of their ids, and every org-level page of A, must
answer 404 to the outsider and change nothing, while staff of A reach the
same pages: the 404 is about the organization, not the URL.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from audit.models import AuditEntry
from common.actors import SYSTEM
from governance import services as svc
from governance.models import Assignment, Decision, Field, Matter, Meeting, WorkingRegulation
from organizations.models import (
    Discipline,
    DisciplineAnnulment,
    ImportStatus,
    Kinship,
    MemberImport,
    Membership,
    Organization,
    Person,
    Tenure,
)
from organizations.services import member_import_preview
from personnel.models import Nomination, PlanningEntry, ProcedureStep
from reports.models import Report
from tests.governance.test_views_working import _committee

pytestmark = pytest.mark.django_db
D = dt.date
CSV = "Họ và tên,Giới tính,Ngày vào Đảng\nLê Thị Mai,Nữ,19/05/2010\n"


@pytest.fixture
def world(province, staff_a, settings):
    executive, people, collective, individual = _committee(province.grassroots)
    meeting = svc.meeting_open(body=executive, date=D(2026, 3, 2), title="HN tháng 3", actor=SYSTEM)
    report_meeting = svc.meeting_open(body=executive, date=D(2026, 3, 9), title="HN nghe báo cáo", actor=SYSTEM)
    collective_decision = svc.decision_record_collective(meeting=meeting, matter=collective, title="Nghị quyết",
                                                         votes_for=5, actor=SYSTEM)
    individual_decision = svc.decision_record_individual(
        organization=province.grassroots, matter=individual, date=D(2026, 3, 3), title="Chi hội nghị",
        signatory=people[0], actor=SYSTEM)
    draft = svc.regulation_draft(organization=province.grassroots, title="Bản mới", actor=SYSTEM)
    assignment = svc.assignment_add(organization=province.grassroots, person=people[1], field=Field.FINANCE,
                                    description="Phụ trách tài chính", start=D(2026, 1, 1), actor=SYSTEM)
    batch, _rows = member_import_preview(organization=province.cell_1, file_name="a.csv",
                                         content=CSV.encode(), actor=staff_a)
    assert batch.status == ImportStatus.PREVIEWED  # a POST would write a member
    people[1].card_number = "0400000002"
    people[1].save()
    tenure = Tenure.objects.filter(organization=province.grassroots).first()
    from organizations.models import DisciplineForm, Relation
    from organizations.services import discipline_record, kinship_declare
    from tests.factories import MembershipFactory

    member = MembershipFactory(organization=province.cell_1, start=D(2020, 1, 1)).person
    kinship = kinship_declare(person=member, relative=people[1], relation=Relation.SIBLING,
                              declared_on=D(2025, 1, 1), actor=SYSTEM)
    discipline = discipline_record(person=member, form=DisciplineForm.REPRIMAND, decided_on=D(2025, 2, 1),
                                   decided_by=province.sub_a, actor=SYSTEM)
    from personnel.services import nomination_draft
    from tests.factories import position

    nomination = nomination_draft(organization=province.grassroots, kind="deputy", nominee=people[1],
                                  position=position("deputy-secretary"), source="internal", nominator=people[0],
                                  actor=SYSTEM)
    # The head's introduction, for the nominator's record (the province lets grassroots heads use the power).
    settings.PERSONNEL_PILOT_SCOPE = [*settings.PERSONNEL_PILOT_SCOPE, "grassroots"]
    from personnel.services import nomination_introduce

    nomination_introduce(nomination=nomination_draft(
        organization=province.grassroots, kind="election", nominee=people[2], position=position("standing-member"),
        source="internal", nominator=people[0], planning_exception_ref="5-QĐ/ĐU", actor=SYSTEM,
        action_program={k: "Rõ" for k in ("work", "people", "schedule", "results", "responsibility")}),
        on=D(2026, 3, 4), actor=SYSTEM)
    from personnel.services import planning_add

    planning = planning_add(organization=province.grassroots, person=member, position=tenure.position,
                            term="2025-2030", added_on=D(2025, 12, 1), added_ref="15-QĐ/TU", added_by=province.sub_a,
                            actor=SYSTEM)
    return {"nomination": nomination, "tenure": tenure, "member": member, "kinship": kinship, "discipline": discipline,
            "planning": planning,
            "people": people, "collective": collective, "individual": individual, "meeting": meeting,
            "report_meeting": report_meeting, "collective_decision": collective_decision,
            "individual_decision": individual_decision, "draft": draft, "assignment": assignment, "batch": batch}


def _snapshot(w) -> dict:
    meeting = Meeting.objects.get(pk=w["meeting"].pk)
    decision = Decision.objects.get(pk=w["individual_decision"].pk)
    return {
        "audit": AuditEntry.objects.count(),
        "decisions": Decision.objects.count(),
        "meeting_status": meeting.status,
        "attendance": sorted(meeting.attendance.values_list("person_id", "present", "absence_reason")),
        "reported_on": decision.reported_on,
        "regulations": sorted(WorkingRegulation.objects.values_list("pk", "start")),
        "matters": Matter.objects.count(),
        "meetings": Meeting.objects.count(),
        "assignments": Assignment.objects.count(),
        "import_status": MemberImport.objects.get(pk=w["batch"].pk).status,
        "people": Person.objects.count(),
        "memberships": Membership.objects.count(),
        "tenures": sorted(Tenure.objects.values_list("pk", "end")),
        "tree": sorted(Organization.objects.values_list("pk", "name", "path", "dissolved_on")),
        "names": sorted(Person.objects.values_list("pk", "full_name")),
        "kinships": sorted(Kinship.objects.values_list("pk", "ended_on")),
        "disciplines": Discipline.objects.count(),
        "annulments": DisciplineAnnulment.objects.count(),
        "reports": Report.objects.count(),
        "nominations": sorted(Nomination.objects.values_list("pk", "state", "rationale")),
        "steps": ProcedureStep.objects.count(),
        "planning": sorted(PlanningEntry.objects.values_list("pk", "removed_on")),
    }


def _requests(province, w) -> list[tuple[str, str, dict]]:
    """(method, url, data): every page and action of A, with data that would act if it were allowed."""
    meeting, draft, batch = w["meeting"], w["draft"], w["batch"]
    people, collective, individual = w["people"], w["collective"], w["individual"]
    decision = w["individual_decision"]
    gr = province.grassroots.pk
    attendance = {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1",
                  "form-0-person": str(people[1].pk), "form-0-reason": "Ốm"}
    vote = {"matter": collective.pk, "title": "Nghị quyết mới", "votes_for": 5, "votes_against": 0,
            "abstaining": 0, "ballot": collective.ballot}
    return [
        ("get", f"/working-regulations/{draft.pk}/", {}),
        ("get", f"/working-regulations/{w['collective'].regulation_id}/", {}),
        ("post", f"/working-regulations/{draft.pk}/adopt/", {"start": "01/01/2026", "adoption_ref": "1-QĐ"}),
        ("get", f"/meetings/{meeting.pk}/", {}),
        ("post", f"/meetings/{meeting.pk}/attendance/", attendance),
        ("post", f"/meetings/{meeting.pk}/decisions/", vote),
        ("post", f"/meetings/{meeting.pk}/approve/", {}),
        ("get", f"/decisions/{w['collective_decision'].pk}/", {}),
        ("get", f"/decisions/{decision.pk}/", {}),
        ("post", f"/decisions/{decision.pk}/report-back/", {"meeting": w["report_meeting"].pk}),
        ("get", f"/imports/{batch.pk}/", {}),
        ("post", f"/imports/{batch.pk}/", {}),
        ("get", f"/org/{gr}/working-regulations/", {}),
        ("post", f"/org/{gr}/working-regulations/", {"template": "grassroots", "title": "Quy chế lạ"}),
        ("get", f"/org/{gr}/meetings/new/", {}),
        ("post", f"/org/{gr}/meetings/new/", {"body": w["meeting"].body_id, "date": "10/03/2026",
                                              "title": "HN lạ"}),
        ("get", f"/org/{gr}/decisions/new/", {}),
        ("post", f"/org/{gr}/decisions/new/", {"matter": individual.pk, "date": "04/03/2026", "title": "Chi lạ",
                                               "signatory": people[0].pk}),
        ("post", f"/org/{gr}/assignments/new/", {"person_card": "0400000002", "field": "finance",
                                                 "description": "Phụ trách lạ", "start": "01/02/2026"}),
        ("get", f"/org/{gr}/responsibilities/", {}),
        ("get", f"/org/{gr}/irregular/", {}),
        ("get", f"/org/{gr}/decisions-dashboard/", {}),
        ("get", f"/org/{gr}/members/", {}),
        ("get", f"/org/{province.cell_1.pk}/members/", {}),
        ("get", f"/org/{gr}/import/", {}),
        ("get", f"/org/{province.cell_1.pk}/import/", {}),
        ("post", f"/org/{province.cell_1.pk}/import/", {}),
        ("get", f"/org/{gr}/posts/", {}),
        ("post", f"/org/{gr}/posts/new/", {"card_number": "0400000002", "position": w["tenure"].position_id,
                                           "start": "01/02/2026"}),
        ("post", f"/tenures/{w['tenure'].pk}/end/", {"end": "01/02/2026"}),
        ("get", f"/org/{gr}/new/", {}),
        ("post", f"/org/{gr}/new/", {"name": "Chi bộ lạ", "code": "la", "kind": "cell"}),
        ("get", f"/org/{gr}/rename/", {}),
        ("post", f"/org/{gr}/rename/", {"name": "Tên lạ"}),
        ("get", f"/org/{gr}/move/", {}),
        ("post", f"/org/{gr}/move/", {"parent_code": province.sub_b.code}),
        ("get", f"/org/{province.cell_2.pk}/dissolve/", {}),
        ("post", f"/org/{province.cell_2.pk}/dissolve/", {"on": "01/02/2026"}),
        ("get", f"/org/{province.cell_1.pk}/people/new/", {}),
        ("post", f"/org/{province.cell_1.pk}/people/new/", {"full_name": "Người Lạ", "gender": "male",
                                                            "start": "01/02/2026"}),
        ("get", f"/org/{gr}/discipline/new/", {}),
        ("post", f"/org/{gr}/discipline/new/", {"form": "reprimand", "decided_on": "01/02/2026",
                                                "decided_by": province.sub_a.pk}),
        ("get", f"/people/{w['member'].pk}/correct/", {}),
        ("post", f"/people/{w['member'].pk}/correct/", {"full_name": "Tên Lạ", "gender": "male"}),
        ("get", f"/people/{w['member'].pk}/kinship/new/", {}),
        ("post", f"/people/{w['member'].pk}/kinship/new/", {"relative_card": "0400000002", "relation": "other",
                                                            "declared_on": "01/02/2026"}),
        ("get", f"/people/{w['member'].pk}/discipline/new/", {}),
        ("post", f"/people/{w['member'].pk}/discipline/new/", {"form": "reprimand", "decided_on": "01/02/2026",
                                                               "decided_by": province.sub_a.pk}),
        ("post", f"/kinships/{w['kinship'].pk}/end/", {"ended_on": "01/02/2026"}),
        ("get", f"/disciplines/{w['discipline'].pk}/annul/", {}),
        ("post", f"/disciplines/{w['discipline'].pk}/annul/", {"annulled_on": "01/03/2026",
                                                               "decided_by": province.sub_a.pk}),
        ("get", f"/org/{gr}/planning/", {}),
        ("get", f"/org/{gr}/planning/add/", {}),
        ("post", f"/org/{gr}/planning/add/", {"person_card": "0400000002", "position": w["tenure"].position_id,
                                              "term": "2030-2035", "decision_ref": "1-QĐ",
                                              "decision_date": "01/02/2026", "decided_by": gr}),
        ("get", f"/planning/{w['planning'].pk}/remove/", {}),
        ("post", f"/planning/{w['planning'].pk}/remove/", {"decision_ref": "2-QĐ", "decision_date": "01/02/2026",
                                                           "decided_by": gr, "reason": "Lạ"}),
        ("get", f"/org/{gr}/planning/import/", {}),
        ("get", f"/org/{gr}/planning/import/template/", {}),
        ("post", f"/reports/meeting/{meeting.pk}/minutes/", {}),
        ("post", f"/reports/org/{gr}/register/", {"from": "01/01/2026", "to": "31/12/2026"}),
        *_personnel_requests(province, w),
    ]


def _personnel_requests(province, w) -> list[tuple[str, str, dict]]:
    n, gr = w["nomination"].pk, province.grassroots.pk
    return [
        ("get", f"/org/{gr}/nominations/", {}),
        ("get", f"/org/{gr}/nominations/new/", {}),
        ("post", f"/org/{gr}/nominations/new/", {"kind": "standard", "position": w["tenure"].position_id,
                                                 "nominee_card": "0400000002", "source": "internal"}),
        ("get", f"/nominations/{n}/", {}),
        ("get", f"/nominations/{n}/edit/", {}),
        ("post", f"/nominations/{n}/edit/", {"source": "internal", "rationale": "Lạ"}),
        ("post", f"/nominations/{n}/introduce/", {"on": "01/03/2026"}),
        ("get", f"/nominations/{n}/steps/new/", {}),
        ("post", f"/nominations/{n}/steps/new/", {"meeting": w["meeting"].pk, "issued": 5, "returned": 5,
                                                  "valid": 5, "invalid": 0, "nominee_votes": 5}),
        ("get", f"/nominations/{n}/appoint/", {}),
        ("post", f"/nominations/{n}/appoint/", {"decision": w["collective_decision"].pk, "start": "01/04/2026"}),
        ("post", f"/nominations/{n}/withdraw/", {"w-reason": "Lạ"}),
        ("post", f"/nominations/{n}/correct/", {"c-reason": "Lạ"}),
        ("get", f"/people/{w['people'][0].pk}/nominations-made/", {}),
    ]


def test_the_outsider_gets_404_on_every_object_and_page_of_a(client, province, outsider, world):
    before = _snapshot(world)
    client.force_login(outsider)
    answers = {}
    for method, url, data in _requests(province, world):
        answers[f"{method.upper()} {url}"] = getattr(client, method)(url, data).status_code
    wrong = {k: v for k, v in answers.items() if v != 404}
    assert not wrong, f"not 404 for the outsider: {wrong}"
    assert _snapshot(world) == before


def test_staff_of_a_reach_the_same_pages(client, province, staff_a, inspector_a, world):
    """The control: the URLs are right, only the organization makes the outsider's 404."""
    answers = {}
    for method, url, _data in _requests(province, world):
        if method != "get":
            continue
        # The queue of irregular decisions, the dashboard and discipline are the inspection committee's pages.
        actor = inspector_a if url.endswith(("/irregular/", "/decisions-dashboard/", "/nominations-made/")) \
            or "discipline" in url else staff_a
        client.force_login(actor)
        answers[f"GET {url} as {actor.username}"] = client.get(url).status_code
    wrong = {k: v for k, v in answers.items() if v not in (200, 302)}
    assert not wrong, f"staff of A do not reach: {wrong}"


def _form_errors(html: str, card: str) -> list[str]:
    """The error texts of a form page, the card number itself replaced."""
    found = re.findall(r'class="[^"]*(?:invalid-feedback|errorlist|alert-danger)[^"]*"[^>]*>(.*?)</', html, re.S)
    return [re.sub(r"\s+", " ", e).strip().replace(card, "<card>") for e in found]


def test_a_card_number_of_a_tells_the_outsider_nothing(client, province, outsider, world):
    _executive, b_people, _collective, b_individual = _committee(province.sub_b)
    b_people[0].card_number = "0500000001"
    b_people[0].save()
    a_card = world["people"][0].card_number
    assert a_card and Person.objects.filter(card_number=a_card).exists()
    nowhere = "0999999999"
    assert not Person.objects.filter(card_number=nowhere).exists()
    before = (Decision.objects.count(), Assignment.objects.count(), AuditEntry.objects.count())
    client.force_login(outsider)
    url = f"/org/{province.sub_b.pk}/decisions/new/"
    form = {"matter": b_individual.pk, "date": "04/03/2026", "title": "Chi hội nghị"}
    a_person = world["people"][0]  # the signatory is a choice among B's post holders: A's people are none
    known = client.post(url, {**form, "signatory": a_person.pk})
    unknown = client.post(url, {**form, "signatory": 10**9})
    assert known.status_code == unknown.status_code == 200
    known_errors = _form_errors(known.content.decode(), str(a_person.pk))
    unknown_errors = _form_errors(unknown.content.decode(), str(10**9))
    assert known_errors == unknown_errors and known_errors
    assert str(a_person) not in known.content.decode()

    url = f"/org/{province.sub_b.pk}/assignments/new/"
    form = {"field": "finance", "description": "Phụ trách tài chính", "start": "01/01/2026"}
    known = client.post(url, {**form, "person_card": a_card}, follow=True)
    unknown = client.post(url, {**form, "person_card": nowhere}, follow=True)
    known_messages = [str(m).replace(a_card, "<card>") for m in known.context["messages"]]
    unknown_messages = [str(m).replace(nowhere, "<card>") for m in unknown.context["messages"]]
    assert known_messages == unknown_messages and any("Không tìm thấy đảng viên" in m for m in known_messages)
    assert (Decision.objects.count(), Assignment.objects.count(), AuditEntry.objects.count()) == before


def test_every_record_of_an_organization_declares_it():
    """A model with a path to an organization (a foreign key to one, or to a record that has one) says which
    organization owns it, so ``get_owned_for`` serves it. People are reached through their memberships."""
    from django.apps import apps

    from organizations.models import Organization

    def reaches_organization(model, seen=()) -> bool:
        for field in model._meta.get_fields():
            if field.many_to_one and field.concrete and field.related_model not in seen:
                target = field.related_model
                if target is Organization or (target._meta.app_label in ("organizations", "governance", "assessments")
                                              and reaches_organization(target, (*seen, model))):
                    return True
        return False

    models = [m for app in ("organizations", "governance", "assessments", "jobs", "reports")
              for m in apps.get_app_config(app).get_models()]
    undeclared = [m._meta.label for m in models
                  if m is not Person and reaches_organization(m) and not hasattr(m, "owning_organization")]
    assert undeclared == []
