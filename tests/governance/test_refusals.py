"""The services of the working regulations refuse with codes, read in the reader's language; dates are
kept as ISO in the reasons and shown through Django's formats; audit entries carry notes, not sentences."""

import datetime as dt

import pytest
from django.utils import translation

from audit.models import AuditEntry
from common.actors import SYSTEM
from common.reasons import Reason, Refused
from governance import services as svc
from governance.models import Field, Mode, WorkingRegulation
from organizations.models import BodyKind
from regulations.citations import CitationError

from .test_services import _meeting, committee  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db
D = dt.date


def test_an_adopted_version_refuses_with_a_code_that_reads_in_english(committee):  # noqa: F811
    with pytest.raises(Refused) as refused:
        svc.matter_add(regulation=committee["regulation"], actor=SYSTEM, code="X", title="X", field=Field.OTHER,
                       mode=Mode.COLLECTIVE, body_kind=BodyKind.EXECUTIVE)
    assert refused.value.codes == ["working_regulation_adopted"]
    assert refused.value.to_json() == [{"code": "working_regulation_adopted", "params": {}}]
    with translation.override("en"):
        assert str(refused.value) == "An adopted working regulation cannot be edited; create a new version."
    with translation.override("vi"):
        assert refused.value.messages == ["Quy chế đã ban hành không sửa được; hãy tạo phiên bản mới."]


def test_a_date_in_a_refusal_is_kept_as_iso_and_shown_through_the_formats(committee):  # noqa: F811
    draft = svc.regulation_draft(organization=committee["org"], title="Dự thảo", actor=SYSTEM)
    with pytest.raises(Refused) as refused:
        svc.regulation_adopt(regulation=draft, start=D(2020, 6, 1), actor=SYSTEM)
    assert refused.value.to_json() == [{"code": "working_regulation_start_not_after",
                                        "params": {"v": 1, "d": "2021-01-01"}}]
    with translation.override("en"):
        assert str(refused.value) == "The effective date must be after that of version 1 (01/01/2021)."


def test_a_decision_refused_is_a_refusal_with_its_citation(committee):  # noqa: F811
    meeting = _meeting(committee, absent=committee["members"][7:])
    with pytest.raises(Refused) as refused:
        svc.decision_record_collective(meeting=meeting, matter=committee["matters"]["NS-01"], title="X",
                                       votes_for=7, actor=SYSTEM)
    assert isinstance(refused.value, svc.DecisionRefused) and not refused.value.impossible
    assert refused.value.codes == ["quorum"]
    assert refused.value.messages == ["Chỉ có 7/11 thành viên có mặt; cần ít nhất 8. (Khoản 1 Điều 21 Quy định "
                                      "80-QĐ/TW)"]


def test_the_reasons_of_a_decision_keep_iso_dates(committee):  # noqa: F811
    meeting = _meeting(committee, date=D(2020, 12, 31))
    with pytest.raises(svc.DecisionRefused) as refused:
        svc.decision_record_collective(meeting=meeting, matter=committee["matters"]["NS-01"], title="X",
                                       votes_for=9, actor=SYSTEM)
    assert refused.value.reasons[0].params["date"] == "2020-12-31"
    assert "31/12/2020" in refused.value.reasons[0].message
    # a reason stored before dates were kept as ISO still reads
    old = Reason("no_regulation", {"org": "Đảng bộ xã", "date": "31/12/2020"})
    assert old.message == "Đảng bộ xã không có quy chế làm việc có hiệu lực vào ngày 31/12/2020."


def test_a_roll_call_refuses_every_bad_row_with_its_code(committee):  # noqa: F811
    meeting = _meeting(committee)
    rows = [svc.AttendanceRow(committee["members"][2].pk, False, ""), svc.AttendanceRow(10**9, True)]
    with pytest.raises(Refused) as refused:
        svc.attendance_save(meeting=meeting, rows=rows, actor=SYSTEM)
    assert refused.value.codes == ["attendance_reason_missing", "attendance_not_convened"]


def test_an_unknown_provision_is_a_refusal_with_a_code(committee):  # noqa: F811
    draft = svc.regulation_draft(organization=committee["org"], title="Dự thảo", actor=SYSTEM)
    with pytest.raises(CitationError) as refused:
        svc.matter_add(regulation=draft, actor=SYSTEM, code="X", title="X", field=Field.OTHER,
                       mode=Mode.COLLECTIVE, body_kind=BodyKind.EXECUTIVE,
                       provisions=[{"code": "124-QĐ/TW", "ref": "99"}])
    assert isinstance(refused.value, Refused) and refused.value.codes == ["citation_unknown_provision"]
    with translation.override("en"):
        assert "Điều 99" in str(refused.value) and "Quy định 124-QĐ/TW" in str(refused.value)


def test_the_adoption_is_audited_with_a_note_not_a_sentence(committee):  # noqa: F811
    draft = svc.regulation_draft(organization=committee["org"], title="Quy chế khóa 2025", actor=SYSTEM)
    svc.regulation_adopt(regulation=draft, start=D(2025, 10, 1), actor=SYSTEM)
    entry = AuditEntry.objects.filter(action="regulation.adopt", object_id=str(draft.pk)).get()
    assert entry.note == {"code": "working_regulation_in_force_from", "params": {"d": "2025-10-01"}}
    assert entry.summary == "Quy chế khóa 2025 #2"  # names and numbers, no sentence
    with translation.override("en"):
        assert entry.text.endswith("In force from 01/10/2025.")
    assert WorkingRegulation.objects.get(pk=draft.pk).start == D(2025, 10, 1)
