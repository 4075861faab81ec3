"""The planning register of a subtree and its add and remove pages, as a committee clerk uses them."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from audit.models import AuditEntry
from common.actors import SYSTEM
from personnel import services
from personnel.models import PlanningEntry

from ..factories import MembershipFactory, PersonFactory, position

pytestmark = pytest.mark.django_db
D = dt.date
ADDED = D(2025, 12, 1)


def plan(org, person, code="deputy-secretary", term="2025-2030", by=None, on=ADDED, ref="15-QĐ/TU"):
    return services.planning_add(organization=org, person=person, position=position(code), term=term,
                                 added_on=on, added_ref=ref, added_by=by or org, actor=SYSTEM)


def member(org, name, card):
    person = PersonFactory(full_name=name, card_number=card)
    MembershipFactory(person=person, organization=org)
    return person


@pytest.fixture
def register(province):
    """Three planned cadres of A's subtree (one of them removed since), one of B's."""
    an = member(province.cell_1, "Trần Văn An", "0300000001")
    binh = member(province.cell_1, "Lê Thị Bình", "0300000002")
    chi = member(province.cell_2, "Âu Văn Chí", "0300000003")
    outside = member(province.cell_b, "Phạm Văn Dũng", "0300000004")
    entries = {
        "an": plan(province.sub_a, an, by=province.root),
        "binh": plan(province.grassroots, binh, code="secretary", term="2020-2025"),
        "chi": plan(province.grassroots, chi, code="executive-member"),
        "outside": plan(province.sub_b, outside),
    }
    services.planning_remove(entry=entries["binh"], removed_on=D(2026, 6, 1), removed_ref="7-QĐ/ĐU",
                             removed_by=province.grassroots, reason="Chuyển công tác", actor=SYSTEM)
    return entries


def url(org) -> str:
    return f"/org/{org.pk}/planning/"


def names(response) -> list[str]:
    return [row.record.person.full_name for row in response.context["table"].page.object_list]


def exported(client, address: str) -> list[tuple]:
    response = client.get(address + ("&" if "?" in address else "?") + "export=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True))


# --- the register ---------------------------------------------------------------------------------------


def test_the_register_shows_the_standing_entries_of_the_subtree_in_vietnamese_name_order(client, province, staff_a,
                                                                                        register):
    client.force_login(staff_a)
    response = client.get(url(province.sub_a))
    assert response.status_code == 200
    # By given name: An, Chí (Bình was removed; Dũng is B's); not "Âu" first as a plain string sort would.
    assert names(response) == ["Trần Văn An", "Âu Văn Chí"]
    everyone = client.get(url(province.sub_a) + "?state=all&sort=person")
    assert names(everyone) == ["Trần Văn An", "Lê Thị Bình", "Âu Văn Chí"]
    backwards = client.get(url(province.sub_a) + "?state=all&sort=-person")
    assert names(backwards) == ["Âu Văn Chí", "Lê Thị Bình", "Trần Văn An"]
    by_position = client.get(url(province.sub_a) + "?state=all&sort=position")
    assert names(by_position) == ["Lê Thị Bình", "Trần Văn An", "Âu Văn Chí"]  # Bí thư, Phó Bí thư, Ủy viên


def test_the_filters_select_the_rows(client, province, staff_a, register):
    client.force_login(staff_a)
    base = url(province.sub_a)
    assert names(client.get(base + "?state=removed")) == ["Lê Thị Bình"]
    assert names(client.get(base + "?state=all&term=2020-2025")) == ["Lê Thị Bình"]
    assert names(client.get(base + f"?state=all&organization={province.grassroots.pk}")) == [
        "Lê Thị Bình", "Âu Văn Chí"]
    assert names(client.get(base + f"?position={position('executive-member').pk}")) == ["Âu Văn Chí"]
    assert names(client.get(base + "?state=all&q=chi")) == ["Âu Văn Chí"]  # diacritics ignored
    assert names(client.get(base + "?q=0300000001")) == ["Trần Văn An"]
    # A cell's register: only its own subtree.
    assert names(client.get(url(province.grassroots) + "?state=all")) == ["Lê Thị Bình", "Âu Văn Chí"]


def test_the_export_holds_exactly_the_filtered_rows_of_every_page(client, province, staff_a, register, settings):
    settings.PAGE_SIZE = 1
    client.force_login(staff_a)
    address = url(province.sub_a) + "?state=all&sort=person"
    page = client.get(address)
    assert page.context["table"].paginator.count == 3 and len(names(page)) == 1
    rows = exported(client, address)
    assert [r[0] for r in rows] == [1, 2, 3]
    assert [r[1] for r in rows] == ["Trần Văn An", "Lê Thị Bình", "Âu Văn Chí"]
    header = next(openpyxl.load_workbook(io.BytesIO(client.get(address + "&export=xlsx").content)).active.iter_rows(
        max_row=1, values_only=True))
    assert "Họ và tên" in header and "" not in header  # the actions column is not exported
    binh = next(r for r in rows if r[1] == "Lê Thị Bình")
    assert "7-QĐ/ĐU" in binh and "Chuyển công tác" in binh
    filtered = exported(client, url(province.sub_a) + f"?state=all&organization={province.grassroots.pk}")
    assert sorted(r[1] for r in filtered) == ["Lê Thị Bình", "Âu Văn Chí"]


def test_the_register_costs_the_same_queries_for_5_and_50_rows(client, province, staff_a,
                                                                django_assert_max_num_queries):
    client.force_login(staff_a)

    def grow(to: int) -> None:
        for i in range(PlanningEntry.objects.count(), to):
            person = member(province.cell_1, f"Cán Bộ Số {i}", f"04{i:08d}")
            plan(province.sub_a if i % 2 else province.grassroots, person, term=f"20{i % 3}5-2030")

    grow(5)
    client.get(url(province.sub_a))  # warm caches (content types, the session)
    with django_assert_max_num_queries(12) as five:
        assert client.get(url(province.sub_a)).status_code == 200
    grow(50)
    with django_assert_max_num_queries(len(five.captured_queries)) as fifty:
        response = client.get(url(province.sub_a))
    assert len(response.context["table"].page.object_list) == 50
    assert len(fifty.captured_queries) == len(five.captured_queries)


def test_an_outsider_gets_404_everywhere_and_changes_nothing(client, province, outsider, register):
    client.force_login(outsider)
    entry = register["an"]
    before = (PlanningEntry.objects.count(), PlanningEntry.objects.filter(removed_on__isnull=True).count(),
              AuditEntry.objects.count())
    org = province.sub_a.pk
    for method, address, data in [
        ("get", f"/org/{org}/planning/", {}),
        ("get", f"/org/{org}/planning/?export=xlsx", {}),
        ("get", f"/org/{org}/planning/add/", {}),
        ("post", f"/org/{org}/planning/add/", {"person_card": "0300000002", "position": position("secretary").pk,
                                               "term": "2025-2030", "decision_ref": "1-QĐ",
                                               "decision_date": "01/11/2026", "decided_by": org}),
        ("get", f"/planning/{entry.pk}/remove/", {}),
        ("post", f"/planning/{entry.pk}/remove/", {"decision_ref": "2-QĐ", "decision_date": "01/11/2026",
                                                   "decided_by": org, "reason": "Lạ"}),
        ("get", f"/org/{org}/planning/import/", {}),
        ("get", f"/org/{org}/planning/import/template/", {}),
        ("get", f"/org/{org}/planning/import/abc/", {}),
    ]:
        assert getattr(client, method)(address, data).status_code == 404, (method, address)
    assert (PlanningEntry.objects.count(), PlanningEntry.objects.filter(removed_on__isnull=True).count(),
            AuditEntry.objects.count()) == before


def test_a_member_without_a_role_gets_404(client, province, an, register):
    """A member's role shows his own record only: no organization, so not its planning either."""
    client.force_login(an.user)
    for org in (province.sub_a, province.cell_1):
        assert client.get(url(org)).status_code == 404
        assert client.get(f"/org/{org.pk}/planning/add/").status_code == 404
    assert client.get(f"/planning/{register['an'].pk}/remove/").status_code == 404


def test_who_may_read_may_not_act(client, province, inspector_a, register):
    client.force_login(inspector_a)
    page = client.get(url(province.sub_a))
    assert page.status_code == 200 and names(page) == ["Trần Văn An", "Âu Văn Chí"]
    html = page.content.decode()
    assert "/planning/add/" not in html and "/remove/" not in html and "/planning/import/" not in html
    assert client.get(f"/org/{province.sub_a.pk}/planning/add/").status_code == 403
    assert client.get(f"/planning/{register['an'].pk}/remove/").status_code == 403
    assert client.get(f"/org/{province.sub_a.pk}/planning/import/").status_code == 403


def test_the_clerk_sees_the_acts_on_standing_entries_only(client, province, staff_a, register):
    client.force_login(staff_a)
    html = client.get(url(province.sub_a) + "?state=all").content.decode()
    assert f"/planning/{register['an'].pk}/remove/" in html
    assert f"/planning/{register['binh'].pk}/remove/" not in html  # removed already
    assert f"/org/{province.sub_a.pk}/planning/add/" in html and f"/org/{province.sub_a.pk}/planning/import/" in html


# --- adding and removing -----------------------------------------------------------------------------------


def add_data(province, **kw) -> dict:
    data = {"person_card": "0300000002", "position": position("standing-member").pk, "term": "2025-2030",
            "decision_ref": "21-QĐ/TU", "decision_date": "02/11/2026", "decided_by": province.root.pk}
    data.update(kw)
    return data


def test_the_clerk_adds_a_cadre_by_card_number(client, province, staff_a, register):
    client.force_login(staff_a)
    form = client.get(f"/org/{province.sub_a.pk}/planning/add/")
    assert form.status_code == 200
    # The deciding levels: A and those above it, nothing beside or below.
    choices = {str(o) for o in form.context["form"].fields["decided_by"].queryset}
    assert choices == {province.sub_a.name, province.root.name}
    response = client.post(f"/org/{province.sub_a.pk}/planning/add/", add_data(province), follow=True)
    assert response.redirect_chain[-1][0] == url(province.sub_a)
    entry = PlanningEntry.objects.get(person__card_number="0300000002", position__code="standing-member")
    assert (entry.organization, entry.term, entry.added_on, entry.added_ref, entry.added_by) == (
        province.sub_a, "2025-2030", D(2026, 11, 2), "21-QĐ/TU", province.root)
    assert AuditEntry.objects.filter(action="planning.add", object_id=str(entry.pk), actor=staff_a).exists()
    assert "Lê Thị Bình" in names(response)


def test_the_clerk_adds_a_member_chosen_from_the_select(client, province, staff_a, register):
    client.force_login(staff_a)
    chi = register["chi"].person
    form = client.get(f"/org/{province.sub_a.pk}/planning/add/").context["form"]
    assert chi in form.fields["person"].queryset
    assert register["outside"].person not in form.fields["person"].queryset  # B's member is not A's
    client.post(f"/org/{province.sub_a.pk}/planning/add/", add_data(province, person_card="", person=chi.pk))
    assert PlanningEntry.objects.filter(person=chi, organization=province.sub_a, position__code="standing-member")\
        .exists()


def test_a_refused_add_keeps_every_input(client, province, staff_a, register):
    client.force_login(staff_a)
    before = PlanningEntry.objects.count(), AuditEntry.objects.count()
    # Trần Văn An is planned for Phó Bí thư of A in 2025-2030 already: the service refuses.
    data = add_data(province, person_card="0300000001", position=position("deputy-secretary").pk,
                    decision_ref="99-QĐ/TU")
    response = client.post(f"/org/{province.sub_a.pk}/planning/add/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "đã có trong quy hoạch chức danh Phó Bí thư nhiệm kỳ 2025-2030" in html
    assert 'value="0300000001"' in html and 'value="99-QĐ/TU"' in html and 'value="02/11/2026"' in html
    form = response.context["form"]
    assert form["position"].value() == str(position("deputy-secretary").pk)
    assert form["decided_by"].value() == str(province.root.pk)
    assert (PlanningEntry.objects.count(), AuditEntry.objects.count()) == before


def test_a_date_ahead_is_refused_on_its_field(client, province, staff_a, register):
    client.force_login(staff_a)
    response = client.post(f"/org/{province.sub_a.pk}/planning/add/", add_data(province, decision_date="01/12/2026"))
    assert response.status_code == 400
    assert response.context["form"].errors["decision_date"] == ["Ngày quyết định (01/12/2026) không được sau hôm nay."]


def test_a_card_out_of_reach_reads_like_a_card_that_does_not_exist(client, province, staff_a, register):
    client.force_login(staff_a)
    address = f"/org/{province.sub_a.pk}/planning/add/"
    known = client.post(address, add_data(province, person_card="0300000004"))  # B's member
    unknown = client.post(address, add_data(province, person_card="0399999999"))
    assert known.status_code == unknown.status_code == 400
    assert [str(e).replace("0300000004", "<card>") for e in known.context["form"].errors["person_card"]] == \
        [str(e).replace("0399999999", "<card>") for e in unknown.context["form"].errors["person_card"]]
    assert "Phạm Văn Dũng" not in known.content.decode()


def test_the_clerk_removes_an_entry_by_a_decision(client, province, staff_a, register):
    client.force_login(staff_a)
    entry = register["chi"]
    address = f"/planning/{entry.pk}/remove/"
    assert client.get(address).status_code == 200
    response = client.post(address, {"decision_ref": "30-QĐ/ĐU", "decision_date": "03/11/2026",
                                     "decided_by": province.sub_a.pk, "reason": "Không còn đủ tiêu chuẩn"})
    assert response.status_code == 302 and response["Location"] == url(province.grassroots)
    entry.refresh_from_db()
    assert (entry.removed_on, entry.removed_ref, entry.removed_by, entry.removal_reason) == (
        D(2026, 11, 3), "30-QĐ/ĐU", province.sub_a, "Không còn đủ tiêu chuẩn")
    assert AuditEntry.objects.filter(action="planning.remove", object_id=str(entry.pk)).exists()


def test_a_refused_removal_keeps_every_input(client, province, staff_a, register):
    client.force_login(staff_a)
    entry = register["chi"]  # added 01/12/2025
    data = {"decision_ref": "31-QĐ/ĐU", "decision_date": "01/01/2025", "decided_by": province.grassroots.pk,
            "reason": "Chuyển công tác"}
    response = client.post(f"/planning/{entry.pk}/remove/", data)
    assert response.status_code == 400
    assert response.context["form"].errors["decision_date"] == [
        "Ngày đưa ra khỏi quy hoạch không được trước ngày phê duyệt (01/12/2025)."]
    html = response.content.decode()
    assert 'value="31-QĐ/ĐU"' in html and 'value="Chuyển công tác"' in html
    entry.refresh_from_db()
    assert entry.removed_on is None


def test_a_removed_entry_is_not_removed_twice(client, province, staff_a, register):
    client.force_login(staff_a)
    entry = register["binh"]
    response = client.post(f"/planning/{entry.pk}/remove/", {
        "decision_ref": "32-QĐ/ĐU", "decision_date": "03/11/2026", "decided_by": province.grassroots.pk,
        "reason": "Lần nữa"})
    assert response.status_code == 400
    assert "Đã đưa ra khỏi quy hoạch ngày 01/06/2026." in response.content.decode()
    entry.refresh_from_db()
    assert entry.removed_ref == "7-QĐ/ĐU"


def test_the_remove_page_only_answers_get_and_post(client, province, staff_a, register):
    client.force_login(staff_a)
    assert client.put(f"/planning/{register['an'].pk}/remove/").status_code == 405


def test_a_name_links_to_the_person_only_for_a_reader_who_may_open_the_page(client, province, staff_a, register):
    """A cadre of B planned for a post of A (an external source): A's clerk reads the row, not B's member page."""
    outside = register["outside"].person
    entry = plan(province.sub_a, outside, code="standing-member", by=province.root)
    client.force_login(staff_a)
    page = client.get(url(province.sub_a))
    html = page.content.decode()
    assert "Phạm Văn Dũng" in html and f'href="/people/{outside.pk}/"' not in html
    assert f'href="/people/{register["an"].person_id}/"' in html
    assert client.get(f"/people/{outside.pk}/").status_code == 404  # the promise the missing link keeps
    assert f"/planning/{entry.pk}/remove/" in html  # the entry is A's to remove all the same


def test_the_form_shows_the_help_of_its_fields(client, province, staff_a):
    client.force_login(staff_a)
    html = client.get(f"/org/{province.sub_a.pk}/planning/add/").content.decode()
    assert 'id="id_term_helptext"' in html and "Ví dụ 2025-2030." in html
