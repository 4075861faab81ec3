"""The pages of the office (the tree, people, kinship) and of the inspection committee (discipline, its register)."""

import datetime as dt
import io

import openpyxl
import pytest

from audit.models import AuditEntry
from organizations.models import Discipline, DisciplineAnnulment, DisciplineForm, Kinship, Organization, Person
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
D = dt.date


def _errors(response) -> str:
    return response.content.decode()


def test_the_office_adds_renames_moves_and_dissolves_from_the_pages(client, province, staff_a):
    client.force_login(staff_a)
    gr = province.grassroots
    assert client.get(f"/org/{gr.pk}/new/").status_code == 200
    response = client.post(f"/org/{gr.pk}/new/", {"name": "Chi bộ thôn 3", "code": "thon-3", "kind": "cell"})
    new = Organization.objects.get(code="thon-3")
    assert response.status_code == 302 and new.path.startswith(gr.path)
    assert client.post(f"/org/{new.pk}/rename/", {"name": "Chi bộ thôn Ba"}).status_code == 302
    assert Organization.objects.get(pk=new.pk).name == "Chi bộ thôn Ba"
    Organization.objects.filter(pk=province.cell_2.pk).update(code="cb-2")
    other = Organization.objects.filter(pk=province.grassroots.pk).get()
    # Into a cell: refused, the reason shown, the input kept, nothing moved.
    refused = client.post(f"/org/{new.pk}/move/", {"parent_code": "cb-2"})
    assert refused.status_code == 400 and "là chi bộ" in _errors(refused) and 'value="cb-2"' in _errors(refused)
    assert Organization.objects.get(pk=new.pk).path.startswith(other.path)
    assert client.post(f"/org/{new.pk}/dissolve/", {"on": "30/06/2026", "decision_ref": "5-QĐ/ĐU"}).status_code == 302
    assert Organization.objects.get(pk=new.pk).dissolved_on == D(2026, 6, 30)
    assert AuditEntry.objects.filter(action__startswith="organization.").count() == 3


def test_a_code_out_of_reach_reads_like_one_that_does_not_exist(client, province, staff_a):
    Organization.objects.filter(pk=province.sub_b.pk).update(code="khoi-b")
    client.force_login(staff_a)
    out_of_reach = client.post(f"/org/{province.cell_1.pk}/move/", {"parent_code": "khoi-b"})
    missing = client.post(f"/org/{province.cell_1.pk}/move/", {"parent_code": "khong-co"})
    assert "Không tìm thấy tổ chức có mã khoi-b" in _errors(out_of_reach)
    assert "Không tìm thấy tổ chức có mã khong-co" in _errors(missing)
    assert Organization.objects.get(pk=province.cell_1.pk).path == province.cell_1.path


def test_bad_input_is_shown_on_the_form_never_a_500(client, province, staff_a):
    client.force_login(staff_a)
    for url, data in [(f"/org/{province.grassroots.pk}/new/", {"name": "", "code": "có dấu", "kind": "x"}),
                      (f"/org/{province.cell_1.pk}/people/new/", {
                          "full_name": "A", "gender": "male", "join_date": "01/01/2010",
                          "official_date": "01/01/2000", "start": "99/99/9999"}),
                      (f"/org/{province.cell_1.pk}/dissolve/", {})]:
        response = client.post(url, data)
        assert response.status_code == 400, url
        assert "invalid-feedback" in _errors(response)


def test_the_office_creates_and_corrects_a_member_and_declares_kin(client, province, staff_a, an):
    client.force_login(staff_a)
    response = client.post(f"/org/{province.cell_1.pk}/people/new/", {
        "full_name": "Lê Thị Hoa", "gender": "female", "card_number": "0300000001", "join_date": "19/05/2015",
        "start": "05/01/2026"})
    hoa = Person.objects.get(card_number="0300000001")
    assert response.status_code == 302 and hoa.cell_on(D(2026, 1, 5)) == province.cell_1
    page = client.get(f"/people/{hoa.pk}/correct/")
    assert page.status_code == 200 and 'value="Lê Thị Hoa"' in _errors(page)
    response = client.post(f"/people/{hoa.pk}/correct/", {"full_name": "Lê Thị Hòa", "gender": "female",
                                                          "card_number": "0300000001", "join_date": "19/05/2015"})
    assert response.status_code == 302 and Person.objects.get(pk=hoa.pk).full_name == "Lê Thị Hòa"
    taken = client.post(f"/people/{hoa.pk}/correct/", {"full_name": "Lê Thị Hòa", "gender": "female",
                                                       "card_number": an.card_number})
    assert taken.status_code == 400 and "đã được cấp cho một người khác" in _errors(taken)
    assert an.full_name not in _errors(taken)
    response = client.post(f"/people/{hoa.pk}/kinship/new/", {"relative_card": an.card_number, "relation": "spouse",
                                                              "declared_on": "01/02/2026"})
    kinship = Kinship.objects.get()
    assert response.status_code == 302 and kinship.organization == province.cell_1
    assert client.post(f"/kinships/{kinship.pk}/end/", {"ended_on": "01/01/2026"}).status_code == 302
    assert Kinship.objects.get().ended_on is None  # before the declaration: refused, shown as a message
    assert client.post(f"/kinships/{kinship.pk}/end/", {"ended_on": "01/03/2026"}).status_code == 302
    assert Kinship.objects.get().ended_on == D(2026, 3, 1)


def test_the_inspection_committee_records_annuls_and_lists_discipline(client, province, inspector_a, an, settings):
    settings.PAGE_SIZE = 1
    client.force_login(inspector_a)
    assert "Sổ kỷ luật" in client.get("/").content.decode()
    for day, form in (("02/04/2026", "warning"), ("03/04/2026", "reprimand")):
        response = client.post(f"/people/{an.pk}/discipline/new/", {
            "form": form, "decided_on": day, "decided_by": province.sub_a.pk, "decision_ref": f"1{day[:2]}-QĐ/UBKT",
            "self_detected_remedied": "on" if form == "reprimand" else ""})
        assert response.status_code == 302
    assert client.post(f"/org/{province.cell_2.pk}/discipline/new/", {
        "form": "reprimand", "decided_on": "05/04/2026", "decided_by": province.grassroots.pk}).status_code == 302
    warning = Discipline.objects.get(form=DisciplineForm.WARNING)
    assert client.post(f"/disciplines/{warning.pk}/annul/", {"annulled_on": "01/05/2026",
                                                             "decided_by": province.sub_a.pk}).status_code == 302
    assert DisciplineAnnulment.objects.get().discipline == warning
    register = client.get("/disciplines/?annulled=no")
    assert register.status_code == 200 and register.context["table"].paginator.count == 2
    export = client.get("/disciplines/?annulled=no&sort=decided_on&export=xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(export.content)).active.iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in rows] == [an.full_name, province.cell_2.name]
    assert client.get("/disciplines/?self_detected_remedied=yes").context["table"].paginator.count == 1


def test_the_register_and_the_discipline_pages_are_for_those_who_hold_the_permission(
        client, province, staff_a, board_officer, an):
    client.force_login(staff_a)  # the office sees no discipline
    assert "Sổ kỷ luật" not in client.get("/").content.decode()
    assert client.get("/disciplines/").status_code == 404
    assert client.get(f"/people/{an.pk}/discipline/new/").status_code == 403
    client.force_login(board_officer)  # the board reads the register, records nothing
    assert client.get("/disciplines/").status_code == 200
    assert client.get(f"/people/{an.pk}/discipline/new/").status_code == 403
    assert client.get(f"/people/{an.pk}/correct/").status_code == 403


def test_a_member_of_another_cell_is_out_of_sight(client, province, staff_a):
    stranger = MembershipFactory(organization=province.cell_b).person
    client.force_login(staff_a)
    for url in (f"/people/{stranger.pk}/correct/", f"/people/{stranger.pk}/kinship/new/"):
        assert client.get(url).status_code == 404


def test_the_register_costs_the_same_whatever_its_length(client, province, inspector_a, django_assert_max_num_queries):
    from organizations.services import discipline_record

    client.force_login(inspector_a)

    def add(n: int) -> None:
        for i in range(n):
            person = MembershipFactory(organization=province.cell_1, start=D(2010, 1, 1)).person
            discipline_record(person=person, form=DisciplineForm.REPRIMAND, decided_on=D(2026, 1, 1 + i),
                              decided_by=province.sub_a, actor=inspector_a)

    add(1)
    with django_assert_max_num_queries(12):
        assert client.get("/disciplines/").status_code == 200
    add(9)
    with django_assert_max_num_queries(12):
        assert client.get("/disciplines/").status_code == 200


def test_the_register_finds_a_member_as_the_person_search_does(client, province, inspector_a):
    from organizations.models import Person
    from tests.factories import DisciplineFactory

    for name in ("Nguyễn Văn An", "Trần Thị Lan"):
        person = MembershipFactory(organization=province.cell_1, person__full_name=name).person
        DisciplineFactory(person=person, owner=province.cell_1)
    client.force_login(inspector_a)
    found = [row.record.person.full_name for row in
             client.get("/disciplines/?q=an").context["table"].page.object_list]
    assert found == [p.full_name for p in Person.objects.search("an")] == ["Nguyễn Văn An"]  # not "Lan"


def test_the_tree_admin_offers_no_move_form():
    from django.contrib import admin
    from treebeard.forms import MoveNodeForm

    assert not issubclass(admin.site._registry[Organization].form, MoveNodeForm)


def test_the_register_offers_an_annulment_only_at_the_issuing_body_or_above(client, province, inspector_a):
    from common.actors import SYSTEM
    from organizations.services import discipline_record

    person = MembershipFactory(organization=province.cell_1, start=D(2010, 1, 1)).person
    by_province = discipline_record(person=person, form=DisciplineForm.WARNING, decided_on=D(2026, 3, 1),
                                    decided_by=province.root, actor=SYSTEM)
    by_a = discipline_record(person=person, form=DisciplineForm.REPRIMAND, decided_on=D(2026, 4, 1),
                             decided_by=province.sub_a, actor=SYSTEM)
    client.force_login(inspector_a)
    html = client.get("/disciplines/").content.decode()
    assert f"/disciplines/{by_a.pk}/annul/" in html and f"/disciplines/{by_province.pk}/annul/" not in html
