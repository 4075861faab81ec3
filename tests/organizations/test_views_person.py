"""Person page and person search."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from organizations.models import Discipline, DisciplineForm, Kinship, Relation
from tests.factories import MembershipFactory, PersonFactory, TenureFactory, position

pytestmark = pytest.mark.django_db


def _records(response) -> list:
    """The records shown on the list page (a django-tables2 table), in order."""
    return [row.record for row in response.context["table"].page.object_list]


@pytest.fixture
def disciplined(province):
    person = PersonFactory(full_name="Đỗ Văn Kỷ Luật")
    MembershipFactory(person=person, organization=province.cell_2)
    Discipline.objects.create(person=person, owner=province.cell_2, form=DisciplineForm.WARNING,
                              decided_on=dt.date(2024, 4, 2),
                              decision_ref="12-QĐ/UBKT", reason="Vi phạm quy định")
    Kinship.objects.create(person=person, relative=PersonFactory(full_name="Đỗ Thị Vợ"),
                           relation=Relation.SPOUSE, organization=province.cell_2)
    return person


def test_search_ignores_diacritics_and_case(client, province, board_officer, an):
    MembershipFactory(organization=province.cell_2, person__full_name="Nguyễn Văn Ân")
    MembershipFactory(organization=province.cell_2, person__full_name="Trần Thị Bình")
    client.force_login(board_officer)
    names = [p.full_name for p in _records(client.get("/people/?q=nguyen van an"))]
    assert sorted(names) == ["Nguyễn Văn An", "Nguyễn Văn Ân"]  # "an" folds both
    names = [p.full_name for p in _records(client.get("/people/?q=NGUYỄN VĂN ÂN"))]
    assert sorted(names) == ["Nguyễn Văn An", "Nguyễn Văn Ân"]
    names = [p.full_name for p in _records(client.get("/people/?q=binh"))]
    assert names == ["Trần Thị Bình"]
    assert [p.full_name for p in _records(client.get("/people/?q=0100000001"))] == ["Nguyễn Văn An"]


def test_search_only_finds_people_the_user_may_see(client, province, outsider, an):
    client.force_login(outsider)
    assert client.get("/people/?q=nguyen").context["table"].page.paginator.count == 0


def test_search_paginates(client, province, board_officer, settings):
    settings.SEARCH_PAGE_SIZE = 10
    for i in range(23):
        MembershipFactory(organization=province.cell_1, person__full_name=f"Hoàng Văn Số {i:02d}")
    client.force_login(board_officer)
    page = client.get("/people/?q=hoang&page=3").context["table"].page
    assert page.paginator.count == 23 and len(page.object_list) == 3


def test_person_page_shows_memberships_and_tenures(client, province, board_officer, an):
    TenureFactory(person=an, position=position("cell-secretary"), organization=province.cell_1)
    client.force_login(board_officer)
    response = client.get(an.get_absolute_url())
    html = response.content.decode()
    assert "Nguyễn Văn An" in html and "Bí thư chi bộ" in html and "Chi bộ thôn 1" in html
    assert response.context["current"].organization == province.cell_1


def test_disciplines_and_kin_only_for_those_who_may_see_them(client, province, staff_a, inspector_a,
                                                               disciplined):
    client.force_login(staff_a)  # may see the person, not the discipline
    response = client.get(disciplined.get_absolute_url())
    assert response.status_code == 200 and response.context["disciplines"] is None
    assert "12-QĐ/UBKT" not in response.content.decode()
    client.force_login(inspector_a)
    response = client.get(disciplined.get_absolute_url())
    assert "12-QĐ/UBKT" in response.content.decode() and "Đỗ Thị Vợ" in response.content.decode()


def test_a_member_sees_their_own_record_only(client, province, an, disciplined):
    client.force_login(an.user)
    assert client.get(an.get_absolute_url()).status_code == 200
    assert client.get(disciplined.get_absolute_url()).status_code == 404
    assert client.get(province.cell_1.get_absolute_url()).status_code == 404


def test_outsider_gets_404_for_a_person(client, province, outsider, an):
    client.force_login(outsider)
    assert client.get(an.get_absolute_url()).status_code == 404


def test_person_page_query_count_is_fixed(client, province, board_officer, an):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(an.get_absolute_url()).status_code == 200
        return len(ctx)

    client.force_login(board_officer)
    # One measure first: what it may do is asked once per organization holding records, not per record.
    Discipline.objects.create(person=an, owner=province.cell_1, form=DisciplineForm.REPRIMAND,
                              decided_on=dt.date(2009, 1, 1))
    count()
    few = count()
    for i in range(8):
        TenureFactory(person=an, position=position("executive-member"), organization=province.grassroots,
                      start=dt.date(2000 + i, 1, 1), end=dt.date(2000 + i, 12, 31))
        Discipline.objects.create(person=an, owner=province.cell_1, form=DisciplineForm.REPRIMAND,
                                  decided_on=dt.date(2010 + i, 1, 1))
    assert count() == few <= 14  # two of them: whether the reader may open a nominator's record (personnel)


def test_exact_matches_come_first_and_namesakes_show_cell_and_birth_year(client, province, board_officer):
    import datetime as dt

    MembershipFactory(organization=province.cell_1, person__full_name="Nguyễn Văn Anh",
                      person__birth_date=dt.date(1970, 1, 1))
    for cell, year in ((province.cell_2, 1985), (province.cell_b, 1962)):
        MembershipFactory(organization=cell, person__full_name="Nguyễn Văn An", person__birth_date=dt.date(year, 2, 3))
    MembershipFactory(organization=province.cell_1, person__full_name="Lê Nguyễn Văn An")
    client.force_login(board_officer)
    response = client.get("/people/?q=nguyen van an")
    names = [p.full_name for p in _records(response)]
    assert names[:2] == ["Nguyễn Văn An", "Nguyễn Văn An"]  # the exact ones, before "Anh" and longer names
    assert set(names[2:]) == {"Lê Nguyễn Văn An", "Nguyễn Văn Anh"}
    html = response.content.decode()
    for text in ("Chi bộ thôn 2", "1985", "Chi bộ cơ sở Trường B", "1962"):
        assert text in html


def test_the_person_search_exports_what_it_found(client, province, board_officer):
    import io

    import openpyxl

    for i in range(3):
        MembershipFactory(organization=province.cell_1, person__full_name=f"Đỗ Thị Xuất {i}")
    MembershipFactory(organization=province.cell_1, person__full_name="Người Khác")
    client.force_login(board_officer)
    response = client.get("/people/?q=do thi xuat&export=xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("STT", "Họ và tên", "Năm sinh")
    assert sorted(r[1] for r in rows[1:]) == ["Đỗ Thị Xuất 0", "Đỗ Thị Xuất 1", "Đỗ Thị Xuất 2"]


def test_the_person_search_costs_a_fixed_number_of_queries(client, province, board_officer,
                                                          django_assert_max_num_queries):
    for i in range(30):
        MembershipFactory(organization=province.cell_1, person__full_name=f"Hoàng Văn Số {i:02d}")
    client.force_login(board_officer)
    client.get("/people/?q=hoang")
    with django_assert_max_num_queries(8):
        assert client.get("/people/?q=hoang").status_code == 200


def test_each_word_must_begin_a_word_of_the_name(client, province, board_officer):
    for name in ("Phạm Thị Lan", "Trần Văn Toàn", "Lê Anh Tuấn", "Vũ Thị An"):
        MembershipFactory(organization=province.cell_1, person__full_name=name)
    client.force_login(board_officer)
    names = {p.full_name for p in _records(client.get("/people/?q=an"))}
    assert names == {"Lê Anh Tuấn", "Vũ Thị An"}  # not "Lan", not "Toàn"
