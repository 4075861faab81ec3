"""The nomination's record (hồ sơ giới thiệu nhân sự): requested from the nomination, rendered by the report job,
with the wider conference's results only for whoever may read them, and verified byte for byte."""

from __future__ import annotations

import datetime as dt
import io
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from guardian.shortcuts import assign_perm
from pypdf import PdfReader

from audit.models import AuditEntry
from common.actors import SYSTEM
from common.reasons import Refused
from governance import services as gov
from governance.models import Field, Meeting, Mode, WorkingRegulation
from jobs.models import Job, JobStatus
from jobs.services import job_execute, job_start
from organizations.models import BodyKind, RoleKind
from organizations.services import role_grant
from personnel import services as personnel
from personnel.models import LedgerCheckpoint, Nomination, NominationState, ProcedureStep, ResponsibilityEntry
from reports import services
from reports.documents import render_html
from reports.documents.nomination import nomination_context
from reports.models import Report, ReportKind
from reports.render import html_to_pdf
from tests.factories import PersonFactory, TenureFactory, UserFactory, position
from tests.personnel import conftest as personnel_fixtures
from tests.personnel.conftest import PROGRAM, Committee, counts
from tests.reports.hostile_text import HOSTILE, assert_safe

committee = personnel_fixtures.committee  # the subordinate committee of the personnel tests, a fixture here too

pytestmark = pytest.mark.django_db
D = dt.date
SECRET_CANDIDATE = "Đinh Thị Kín Đáo"  # votes at the wider conference only: printed only where they may be read


def _text(pdf: bytes) -> str:
    """The PDF's text, whitespace normalised (lines wrap where the columns end)."""
    return " ".join("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def _report(response) -> Report:
    assert response.status_code == 302, response.content[:300]
    report = Report.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    assert response["Location"] == report.get_absolute_url()
    report.refresh_from_db()
    return report


def _through_the_steps(c: Committee) -> Nomination:
    """The head's deputy, introduced on 02/03 and taken through steps 2-5; the wider conference (step 2) met
    with one member away and counted an other candidate's votes as well."""
    n = c.introduced()
    outsider_candidate = PersonFactory(full_name=SECRET_CANDIDATE)
    personnel.step_record(nomination=n, meeting=c.meeting(D(2026, 3, 9), c.executive, absent=1,
                                                          title="Hội nghị mở rộng tháng 3"),
                          counts=counts(8, {c.nominee.pk: 7, outsider_candidate.pk: 1}), actor=c.clerk)
    personnel.step_record(nomination=n, meeting=c.meeting(D(2026, 3, 16), title="Ban Thường vụ giới thiệu"),
                          counts=counts(9, {c.nominee.pk: 6}), actor=c.clerk)
    personnel.step_record(nomination=n, meeting=c.meeting(D(2026, 3, 20), c.executive, title="Cán bộ chủ chốt"),
                          counts=counts(9, {c.nominee.pk: 8}, invalid=1), actor=c.clerk)
    personnel.step_record(nomination=n, meeting=c.meeting(D(2026, 3, 23), title="Ban Thường vụ biểu quyết"),
                          counts=counts(9, {c.nominee.pk: 5}), actor=c.clerk)
    n.refresh_from_db()
    assert n.state == NominationState.SELECTED
    return n


@pytest.fixture
def selected(committee) -> Nomination:
    return _through_the_steps(committee)


def _appoint(c: Committee, n: Nomination) -> Nomination:
    """The standing committee's decision appoints the selected deputy: the nomination has ended."""
    regulation = WorkingRegulation.objects.create(organization=c.org, version=1, title="Quy chế làm việc khóa 2025")
    matter = gov.matter_add(regulation=regulation, actor=SYSTEM, code="NS-02", title="Bổ nhiệm cán bộ",
                            field=Field.PERSONNEL, mode=Mode.COLLECTIVE, body_kind=BodyKind.STANDING, ballot="secret")
    gov.regulation_adopt(regulation=regulation, start=D(2025, 9, 1), actor=SYSTEM)
    meeting = c.meeting(D(2026, 3, 30), title="Ban Thường vụ quyết định nhân sự")
    decision = gov.decision_record_collective(meeting=meeting, matter=matter, votes_for=9, ballot="secret",
                                              title="Bổ nhiệm đồng chí Ủy viên Thường vụ 3 giữ chức Phó Bí thư",
                                              actor=SYSTEM)
    return personnel.nomination_appoint(nomination=n, decision=decision, start=D(2026, 4, 1), actor=c.clerk)


def _print(client, user, n: Nomination, capture) -> Report:
    client.force_login(user)
    with capture(execute=True):
        response = client.post(f"/reports/nomination/{n.pk}/record/")
    report = _report(response)
    assert report.job.status == JobStatus.SUCCEEDED, report.job.error
    return report


# --- what the record shows ------------------------------------------------------------------------------


def test_the_clerk_prints_the_record_without_the_wider_conference_s_results(
        client, committee, selected, django_capture_on_commit_callbacks):
    c, n = committee, selected
    report = _print(client, c.clerk, n, django_capture_on_commit_callbacks)
    assert (report.kind, report.organization, report.requested_by) == (ReportKind.NOMINATION, c.org, c.clerk)
    # The decision taken at the request, kept with the report and with its job: the worker printed that.
    assert report.params == {"nomination": n.pk, "confidential": False}
    assert report.job.params == {"kind": "nomination", "nomination": n.pk, "confidential": False}
    assert report.title == "Hồ sơ giới thiệu nhân sự Ủy viên Thường vụ 3 — Phó Bí thư — Đảng bộ Khối A"
    text = _text(report.file.read())
    for expected in [
        "ĐẢNG BỘ TỈNH THỬ NGHIỆM", "ĐẢNG BỘ KHỐI A", "ĐẢNG CỘNG SẢN VIỆT NAM", "HỒ SƠ GIỚI THIỆU NHÂN SỰ",
        # the submission
        "I. Nội dung giới thiệu", "Giới thiệu bổ nhiệm cấp phó của người đứng đầu (Điều 3 Quy định 142)",
        "Căn cứ: Điều 3 Quy định 142", "Tổ chức giới thiệu: Đảng bộ Khối A", "Chức danh: Phó Bí thư",
        "Người được giới thiệu: Ủy viên Thường vụ 3", "Người giới thiệu: Ủy viên Thường vụ 0",
        "Chức vụ làm căn cứ thẩm quyền: Bí thư, Đảng bộ Khối A, từ ngày 01/09/2025 đến nay",
        "Nguồn nhân sự: Nguồn nhân sự tại chỗ", "Ngày giới thiệu: 02/03/2026", "Lý do giới thiệu Có năng lực",
        "Chương trình hành động “5 rõ”", "1 Rõ việc", PROGRAM["work"], "5 Rõ trách nhiệm", PROGRAM["responsibility"],
        # the steps
        "V. Các bước quy trình", "Bước 1: Người đứng đầu giới thiệu nhân sự",
        "Bước 2: Hội nghị mở rộng giới thiệu nhân sự (kết quả không công bố)", "Hội nghị mở rộng tháng 3",
        "Ngày họp: 09/03/2026", "triệu tập 9 đồng chí; có mặt 8, vắng mặt 1",
        "Biên bản kiểm phiếu: Kết quả không công bố", "Bước 3: Tập thể lãnh đạo giới thiệu nhân sự",
        "Ban Thường vụ Đảng bộ Khối A", "16/03/2026", "số phiếu phát ra 9; số phiếu thu về 9; số phiếu hợp lệ 9; "
        "số phiếu không hợp lệ 0", "Ngưỡng: cần ít nhất 5 phiếu (quá 1/2 của 9 thành viên đương nhiệm)",
        "Kết quả: Được lựa chọn", "Căn cứ: Quy định 377-QĐ/TW", "Cần ít nhất 6 người có mặt",
        "số phiếu hợp lệ 8; số phiếu không hợp lệ 1", "Bước 5: Tập thể lãnh đạo biểu quyết nhân sự", "Kết quả: Đạt",
        "VI. Quyết định của cấp có thẩm quyền", "Chưa có quyết định của cấp có thẩm quyền.",
        # the ledger
        "IV. Sổ theo dõi trách nhiệm người giới thiệu", "STT Số bút toán Sự kiện Ngày", "Giới thiệu",
        "Kết quả bước quy trình (bước 2)", "Được lựa chọn", "chưa có điểm kiểm chứng",
        "Bản in không có kết quả hội nghị mở rộng", f"Trang 1/{report.pages}", "Số liệu đến",
    ]:
        assert expected in text, expected
    # The roll call of each meeting, by name (the snapshot of its members), the absent one marked.
    assert text.count("Ủy viên Thường vụ 8") >= 4 and "Vắng mặt" in text
    # Step 2: neither its counts nor the other candidate's votes.
    assert SECRET_CANDIDATE not in text and "số phiếu phát ra 8" not in text
    assert "Kết quả bước quy trình (bước 2)" in text  # its ledger entry is listed (its hash, not its data)
    flat = text.replace(" ", "")
    entries = list(ResponsibilityEntry.objects.filter(nomination=n).order_by("seq"))
    assert [e.kind for e in entries] == ["introduced", "step", "step", "step", "step", "selected"]
    for e in entries:
        assert e.hash in flat and e.prev_hash in flat
    assert text.count("chưa có điểm kiểm chứng") == len(entries)


def test_the_province_board_s_print_has_the_results_and_is_not_the_clerk_s(
        client, committee, selected, board_officer, django_capture_on_commit_callbacks):
    c, n = committee, selected
    board = _print(client, board_officer, n, django_capture_on_commit_callbacks)
    clerk = _print(client, c.clerk, n, django_capture_on_commit_callbacks)
    assert board.params == {"nomination": n.pk, "confidential": True}
    assert clerk.params == {"nomination": n.pk, "confidential": False}
    assert board.sha256 != clerk.sha256
    text = _text(board.file.read())
    assert SECRET_CANDIDATE in text and "Kết quả không công bố" not in text
    assert "số phiếu phát ra 8; số phiếu thu về 8; số phiếu hợp lệ 8" in text
    assert re.search(r"1 Ủy viên Thường vụ 3 7 2 " + SECRET_CANDIDATE + " 1", text)  # votes per candidate
    assert "Bản in có kết quả hội nghị mở rộng" in text
    # The clerk cannot open the board's print: not its page, not its file; their own, yes.
    client.force_login(c.clerk)
    assert client.get(board.get_absolute_url()).status_code == 403
    assert client.get(f"/reports/{board.pk}/download/").status_code == 403
    assert client.get(f"/reports/{clerk.pk}/download/").status_code == 200
    client.force_login(board_officer)
    assert client.get(f"/reports/{board.pk}/download/").status_code == 200


def test_once_the_nomination_has_ended_the_clerk_s_print_has_the_results(
        client, committee, selected, django_capture_on_commit_callbacks):
    c = committee
    before = _print(client, c.clerk, selected, django_capture_on_commit_callbacks)
    n = _appoint(c, selected)
    assert n.finished
    after = _print(client, c.clerk, n, django_capture_on_commit_callbacks)
    assert after.params == {"nomination": n.pk, "confidential": True}
    text = _text(after.file.read())
    assert SECRET_CANDIDATE in text and "số phiếu phát ra 8" in text
    for expected in ["Trạng thái: Đã có quyết định (ngày 30/03/2026)",
                     "Nội dung quyết định: Bổ nhiệm đồng chí Ủy viên Thường vụ 3 giữ chức Phó Bí thư",
                     "Cấp quyết định: Đảng bộ Khối A, Ban Thường vụ", "Ngày quyết định: 30/03/2026",
                     "9 tán thành, 0 không tán thành, 0 không biểu quyết", "Tình trạng: Hợp lệ",
                     "Giữ chức vụ từ ngày: 01/04/2026", "Có quyết định bổ nhiệm, phê chuẩn"]:
        assert expected in text, (expected, text[text.find("III."):text.find("III.") + 600])
    # The print made before the end keeps the version decided then.
    assert SECRET_CANDIDATE not in _text(before.file.read())
    client.force_login(c.clerk)
    assert client.get(after.get_absolute_url()).status_code == 200


def test_each_entry_shows_the_latest_checkpoint_that_covers_it(committee, selected):
    entries = list(ResponsibilityEntry.objects.filter(nomination=selected).order_by("seq"))
    now = timezone.now()
    older = LedgerCheckpoint.objects.create(size=entries[1].seq, head_hash=entries[1].hash, key_id="portal-2026",
                                            signed_at=now - dt.timedelta(hours=2), signature="b2xkZXI=" * 11)
    latest = LedgerCheckpoint.objects.create(size=entries[3].seq, head_hash=entries[3].hash, key_id="portal-2026",
                                             signed_at=now - dt.timedelta(hours=1), signature="bGF0ZXN0" * 11)
    later = LedgerCheckpoint.objects.create(size=entries[-1].seq, head_hash=entries[-1].hash, key_id="portal-2026",
                                            signed_at=now + dt.timedelta(days=1), signature="bmV4dA==" * 11)
    context = nomination_context({"nomination": selected.pk, "confidential": False}, now)
    assert [row["checkpoint"] for row in context["ledger"]] == [latest] * 4 + [None] * 2
    assert context["checkpoints"] == [latest]
    html = render_html("x", services.Document("reports/nomination_record.html", context), now)
    text = _text(html_to_pdf(html).pdf)
    signed = timezone.localtime(latest.signed_at).strftime("%d/%m/%Y %H:%M")
    assert text.count(f"Điểm kiểm chứng {latest.size} bút toán, ký lúc {signed}") == 4
    assert text.count("chưa có điểm kiểm chứng") == 2
    flat = text.replace(" ", "")
    assert "Các điểm kiểm chứng" in text and latest.head_hash in flat and "portal-2026" in text
    assert later.signature[:16] not in flat and older.signature[:16] not in flat  # not signed by then / not latest


def test_the_record_reads_a_fixed_number_of_queries(committee, selected, django_assert_max_num_queries):
    now = timezone.now()
    entries = list(ResponsibilityEntry.objects.filter(nomination=selected).order_by("seq"))
    LedgerCheckpoint.objects.create(size=entries[-1].seq, head_hash=entries[-1].hash, key_id="k",
                                    signed_at=now - dt.timedelta(minutes=5), signature="s")
    nomination_context({"nomination": selected.pk, "confidential": True}, now)  # cited documents cached
    with django_assert_max_num_queries(15):  # the dossier's personal record (2) and standards check (6)
        context = nomination_context({"nomination": selected.pk, "confidential": True}, now)
    assert len(context["steps"]) == 5 and len(context["ledger"]) == 6


def test_a_dismissal_prints_its_grounds_and_procedure(committee, province):
    c = committee
    holder = PersonFactory(full_name="Vũ Văn Miễn")
    tenure = TenureFactory(person=holder, position=position("secretary"), organization=province.grassroots,
                           start=D(2024, 5, 1))
    n = personnel.nomination_draft(organization=c.org, target=province.grassroots, kind="subordinate_dismissal",
                                   position=tenure.position, nominee=holder, source="internal", nominator=c.head,
                                   dismissed_tenure=tenure, grounds="Đơn vị đạt dưới 70% chỉ tiêu năm 2025",
                                   procedure="Đã lấy ý kiến tập thể lãnh đạo ngày 10/11/2026", actor=SYSTEM)
    now = timezone.now()
    context = nomination_context({"nomination": n.pk, "confidential": False}, now)
    text = _text(html_to_pdf(render_html("x", services.Document("reports/nomination_record.html", context),
                                         now)).pdf)
    for expected in ["Miễn nhiệm người đứng đầu đơn vị trực thuộc (Điều 5 Quy định 142)",
                     "Nơi có chức danh: Đảng bộ xã Hòa Bình", "Người bị đề nghị miễn nhiệm: Vũ Văn Miễn",
                     "Căn cứ, trình tự miễn nhiệm", "Chức vụ bị miễn nhiệm: Bí thư, Đảng bộ xã Hòa Bình, từ ngày "
                     "01/05/2024", "Căn cứ miễn nhiệm: Đơn vị đạt dưới 70% chỉ tiêu năm 2025",
                     "Trình tự, thủ tục đã thực hiện: Đã lấy ý kiến tập thể lãnh đạo ngày 10/11/2026",
                     "Trạng thái: Dự thảo", "Chưa có bước nào được ghi.", "Các bước chưa thực hiện: Người đứng đầu "
                     "đề xuất nhân sự; Tập thể lãnh đạo thống nhất", "Chưa có bút toán nào."]:
        assert expected in text, expected
    assert "Chương trình hành động" not in text


# --- the same bytes, verified ---------------------------------------------------------------------------


def test_the_same_data_give_the_same_bytes_and_report_verify_passes(
        client, committee, selected, board_officer, django_capture_on_commit_callbacks):
    report = _print(client, board_officer, selected, django_capture_on_commit_callbacks)
    first = services._render(report, report.data_as_of)[0]
    second = services._render(report, report.data_as_of)[0]
    assert first == second
    with report.file.open("rb") as handle:
        assert handle.read() == first
    reader = PdfReader(io.BytesIO(first))
    assert "/ID" not in reader.trailer  # no file identifier
    assert reader.metadata["/CreationDate"] == reader.metadata["/ModDate"]
    out = StringIO()
    call_command("report_verify", str(report.pk), stdout=out)
    assert "file intact; same as a fresh rendering" in out.getvalue()
    # A checkpoint signed after the data were read changes nothing in the stored record.
    entries = list(ResponsibilityEntry.objects.filter(nomination=selected).order_by("seq"))
    LedgerCheckpoint.objects.create(size=entries[-1].seq, head_hash=entries[-1].hash, key_id="k",
                                    signed_at=report.data_as_of + dt.timedelta(minutes=1), signature="s")
    check = services.report_verify(report)
    assert check.file_intact and check.data_unchanged and check.same_template


# --- who may ask, and what is refused -------------------------------------------------------------------


def _refused_without_writing(code: str, **request) -> None:
    counted = (Report, Job, AuditEntry)
    before = {m: m.objects.count() for m in counted}
    with pytest.raises(Refused) as refused:
        services.nomination_record_request(**request)
    assert refused.value.codes == [code]
    assert {m: m.objects.count() for m in counted} == before


def test_an_outsider_gets_404_and_printing_is_a_post(client, committee, selected, outsider):
    url = f"/reports/nomination/{selected.pk}/record/"
    client.force_login(outsider)
    assert client.post(url).status_code == 404
    assert client.post("/reports/nomination/99999999999999999999/record/").status_code == 404
    client.force_login(committee.clerk)
    assert client.get(url).status_code == 405
    assert Report.objects.count() == 0
    _refused_without_writing("not_permitted", nomination=selected, actor=outsider)


def test_a_member_without_the_personnel_permission_is_refused(client, committee, selected, province):
    member = UserFactory(username="dangvien_a")
    role_grant(user=member, kind=RoleKind.MEMBER, organization=province.sub_a, actor=SYSTEM)
    _refused_without_writing("not_permitted", nomination=selected, actor=member)
    # One who sees the organization but not its personnel work: the page refuses (403), and so does the service.
    viewer = UserFactory(username="xem_to_chuc")
    assign_perm("view_organization", viewer, province.sub_a)
    client.force_login(viewer)
    assert client.post(f"/reports/nomination/{selected.pk}/record/").status_code == 403
    _refused_without_writing("not_permitted", nomination=selected, actor=viewer)


def test_a_nomination_outside_the_organization_named_is_refused(committee, selected, province, outsider):
    counted = (Report, Job, AuditEntry)
    before = {m: m.objects.count() for m in counted}
    with pytest.raises(Refused) as refused:
        services.report_request(kind=ReportKind.NOMINATION, organization=province.sub_b, title="x",
                                params={"nomination": selected.pk, "confidential": True}, actor=outsider)
    assert refused.value.codes == ["report_outside_scope"]
    assert {m: m.objects.count() for m in counted} == before


def test_the_requester_cannot_choose_the_version(committee, selected, django_capture_on_commit_callbacks):
    """Parameters asking for the results are overruled by what the requester may read."""
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_request(kind=ReportKind.NOMINATION, organization=committee.org, title="x",
                                         params={"nomination": selected.pk, "confidential": True},
                                         actor=committee.clerk)
    report.refresh_from_db()
    assert report.params == {"nomination": selected.pk, "confidential": False}
    assert SECRET_CANDIDATE not in _text(report.file.read())


def test_a_refusal_of_the_worker_is_stored_as_codes(committee, selected):
    """A record whose nomination cannot be read: the job fails with the reason's code, not a sentence."""
    job = job_start(kind=services.JOB_KIND, label="x", params={"kind": "nomination"}, actor=SYSTEM)
    Report.objects.create(job=job, kind=ReportKind.NOMINATION, organization=committee.org, title="x",
                          params={"nomination": 0, "confidential": False})
    job_execute(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.failure == {"code": "job_refused", "params": {"reasons": [{"code": "report_nomination_gone",
                                                                         "params": {}}]}}
    assert "Hồ sơ giới thiệu nhân sự không còn trong hệ thống." in job.error


# --- hostile text ---------------------------------------------------------------------------------------


def test_hostile_text_fetches_nothing_and_stays_on_the_page(committee, selected):
    n = selected
    Nomination.objects.filter(pk=n.pk).update(rationale=HOSTILE[0] + HOSTILE[4],
                                              action_program={part: HOSTILE[i] for i, part in enumerate(PROGRAM)})
    step = ProcedureStep.objects.get(nomination=n, number=2)
    ProcedureStep.objects.filter(pk=step.pk).update(
        votes=[{**v, "name": HOSTILE[3] + HOSTILE[4]} for v in step.votes], note=HOSTILE[1])
    Meeting.objects.filter(pk=step.meeting_id).update(title=(HOSTILE[2] + HOSTILE[5])[:255])
    committee.nominee.full_name = HOSTILE[6][:120]
    committee.nominee.save(update_fields=["full_name"])
    now = timezone.now()
    html = render_html("x", services.Document("reports/nomination_record.html",
                                              nomination_context({"nomination": n.pk, "confidential": True}, now)),
                       now)
    text = _text(assert_safe(html).pdf)
    assert '<img src="file:///etc/passwd">' in text and "127.0.0.1:9/leak" in text


def test_the_dossier_prints_the_personal_record_the_classifications_the_check_and_the_explanations(committee):
    """The parts a competent level reads before it signs: posts held, the last three years, the standards
    check as it stood on the report's day with the nominator's written acknowledgment, the recused voter."""
    from organizations.services import kinship_declare
    from tests.personnel.test_services_standards import _classified

    c = committee
    _classified(c, 2025, "not_completed")
    kinship_declare(person=c.nominee, relative=c.members[5], relation="sibling", declared_on=D(2025, 1, 1),
                    actor=SYSTEM)
    n = c.draft()
    personnel.nomination_introduce(nomination=n, on=D(2026, 3, 2), actor=c.head_user,
                                   explanation="Năm 2025 đơn vị gặp thiên tai; đã khắc phục trong năm 2026")
    personnel.step_record(nomination=n, meeting=c.meeting(D(2026, 3, 9), c.executive),
                          counts=counts(8, {c.nominee.pk: 7}), actor=c.clerk)
    now = timezone.now()
    context = nomination_context({"nomination": n.pk, "confidential": True}, now)
    text = _text(html_to_pdf(render_html("x", services.Document("reports/nomination_record.html", context), now)).pdf)
    for part in ("II. Sơ yếu lý lịch", "Quá trình giữ chức vụ", f"Ủy viên Ban Thường vụ {c.org.name} 01/09/2025",
                 "III. Kiểm điểm, đánh giá, xếp loại ba năm gần nhất", "2025 Không hoàn thành nhiệm vụ",
                 "IV. Tiêu chuẩn, điều kiện và quan hệ gia đình", "Năm 2025 xếp loại Không hoàn thành nhiệm vụ.",
                 "Giải trình, xác nhận bằng văn bản", "Năm 2025 đơn vị gặp thiên tai; đã khắc phục trong năm 2026",
                 "Không tham gia biểu quyết vì có quan hệ gia đình với người được giới thiệu",
                 f"{c.members[5].full_name} (anh, chị, em ruột)"):
        assert part in text, part
