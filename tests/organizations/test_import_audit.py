"""The member import's audit entries: names in the summary, sentences as codes read in the reader's language,
and the complete list of the people written."""

import datetime as dt

import pytest
from django.utils import translation

from audit.models import AuditEntry
from common.actors import SYSTEM
from common.reasons import Refused
from organizations.models import Person
from organizations.services import member_import_commit, member_import_preview, member_imports_purge, tenure_end
from tests.factories import TenureFactory, position

pytestmark = pytest.mark.django_db
CSV = ("Họ và tên,Giới tính,Ngày vào Đảng\n"
       + "".join(f"Người Thứ {i},Nữ,19/05/2010\n" for i in range(1, 13)))


def test_the_audit_of_an_import_reads_in_english_for_an_english_reader(province, staff_a):
    batch, _rows = member_import_preview(organization=province.cell_1, file_name="ds.csv", content=CSV.encode(),
                                         actor=staff_a)
    assert member_import_commit(batch=batch, actor=staff_a) == 12
    preview = AuditEntry.objects.get(action="import.preview")
    commit = AuditEntry.objects.get(action="import.commit")
    assert preview.summary == "ds.csv" and commit.summary == str(province.cell_1)
    assert preview.text == "ds.csv · 12 dòng, 0 lỗi"
    with translation.override("en"):
        assert preview.text == "ds.csv · 12 rows, 0 errors"
        assert commit.text == f"{province.cell_1} · 12 members into {province.cell_1}"
    # Every person written, none cut.
    assert commit.data["count"] == 12
    assert sorted(commit.data["people"]) == sorted(Person.objects.values_list("pk", flat=True))


def test_the_purge_is_noted_as_a_code(province):
    member_imports_purge(actor=SYSTEM)
    entry = AuditEntry.objects.get(action="import.purge")
    assert entry.summary == "" and entry.note["code"] == "import_purged"
    with translation.override("en"):
        assert "imports deleted" in entry.text


def test_a_refusal_keeps_its_date_as_data_and_formats_it_when_read(province):
    tenure = TenureFactory(position=position("secretary"), organization=province.grassroots,
                           start=dt.date(2020, 10, 1), end=dt.date(2024, 3, 5))
    with pytest.raises(Refused) as refused:
        tenure_end(tenure=tenure, end=dt.date(2025, 1, 1), actor=SYSTEM)
    assert refused.value.to_json() == [{"code": "tenure_already_ended", "params": {"d": "2024-03-05"}}]
    assert "05/03/2024" in str(refused.value)
    with translation.override("en"):
        assert str(refused.value) == "This post already ended on 05/03/2024."
