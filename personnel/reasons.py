"""How the personnel reasons read, in the reader's language (registered in ``PersonnelConfig.ready``)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.reasons import dated, shown_day
from organizations.models import BodyKind

_day, _dated = shown_day, dated


def _body(value: str) -> str:
    try:
        return str(BodyKind(value).label)
    except ValueError:
        return value


# The steps of the procedures (personnel.rules.StepSpec.code), as the pages and the printed record name them.
STEP_LABELS = {
    "head_introduces": gettext_lazy("Người đứng đầu giới thiệu nhân sự"),
    "head_proposes": gettext_lazy("Người đứng đầu đề xuất nhân sự"),
    "leadership_agrees": gettext_lazy("Tập thể lãnh đạo thống nhất chủ trương, cơ cấu, tiêu chuẩn"),
    "wider_conference": gettext_lazy("Hội nghị mở rộng giới thiệu nhân sự (kết quả không công bố)"),
    "leadership_nominates": gettext_lazy("Tập thể lãnh đạo giới thiệu nhân sự"),
    "key_cadres": gettext_lazy("Hội nghị cán bộ chủ chốt lấy ý kiến"),
    "leadership_votes": gettext_lazy("Tập thể lãnh đạo biểu quyết nhân sự"),
    "where_nominee_works": gettext_lazy("Lấy ý kiến nơi nhân sự đang công tác"),
    "appraisal_and_vote": gettext_lazy("Thẩm định, tập thể lãnh đạo biểu quyết nhân sự"),
    "standing_submits": gettext_lazy("Ban Thường vụ thống nhất trình Ban Chấp hành"),
    "executive_votes": gettext_lazy("Ban Chấp hành biểu quyết"),
    "collective_agrees": gettext_lazy("Tập thể lãnh đạo thống nhất"),
}

LEVEL_LABELS = {
    "provincial": gettext_lazy("cấp tỉnh"),
    "subordinate": gettext_lazy("đảng bộ trực thuộc tỉnh"),
    "commune": gettext_lazy("cấp xã"),
    "grassroots": gettext_lazy("cấp cơ sở"),
}


def _import_column(name: str) -> str:
    """A column of a planning list, as the file names it (``personnel.planning_imports.LABELS``)."""
    from .planning_imports import LABELS

    return LABELS.get(name, name)


def step_label(code: str) -> str:
    return str(STEP_LABELS.get(code, code))


def _levels(values) -> str:
    return ", ".join(str(LEVEL_LABELS.get(v, v)) for v in values)


PROGRAM_LABELS = {
    "work": gettext_lazy("Rõ việc"),
    "people": gettext_lazy("Rõ người"),
    "schedule": gettext_lazy("Rõ tiến độ"),
    "results": gettext_lazy("Rõ kết quả"),
    "responsibility": gettext_lazy("Rõ trách nhiệm"),
}


# The items of the standards check (``personnel.standards.ITEMS``) and the Regulation 144 standards.
STANDARD_ITEM_LABELS = {
    "planning": gettext_lazy("Quy hoạch"),
    "classification": gettext_lazy("Xếp loại chất lượng ba năm gần nhất"),
    "discipline": gettext_lazy("Kỷ luật và thời hạn chưa được bổ nhiệm, giới thiệu"),
    "ethics": gettext_lazy("Chuẩn mực đạo đức (Quy định 144)"),
    "action_program": gettext_lazy("Chương trình hành động"),
    "conflicts": gettext_lazy("Quan hệ gia đình với người giới thiệu"),
    "confidence": gettext_lazy("Kết quả lấy phiếu tín nhiệm gần nhất"),
}
ETHICS_LABELS = {
    "patriotism": gettext_lazy("Yêu nước, tôn trọng Nhân dân, trung thành với Đảng và Tổ quốc"),
    "political_steadfastness": gettext_lazy("Bản lĩnh chính trị, đổi mới, sáng tạo, hội nhập"),
    "integrity": gettext_lazy("Cần, kiệm, liêm, chính, chí công vô tư"),
    "solidarity": gettext_lazy("Đoàn kết, kỷ luật, nhân ái, trách nhiệm"),
    "exemplary": gettext_lazy("Nêu gương, khiêm tốn, tự rèn luyện, học tập suốt đời"),
}
OUTCOME_LABELS = {
    "passed": gettext_lazy("Đạt"),
    "failed": gettext_lazy("Không đạt"),
    "not_assessed": gettext_lazy("Chưa đánh giá"),
}
SEVERITY_LABELS = {
    "block": gettext_lazy("không đạt thì dừng"),
    "warn": gettext_lazy("không đạt thì cảnh báo, cần giải trình"),
}


def _form(value: str) -> str:
    from organizations.models import DisciplineForm

    try:
        return str(DisciplineForm(value).label)
    except ValueError:
        return value


def _relation(value: str) -> str:
    from organizations.models import Relation

    try:
        return str(Relation(value).label).lower()
    except ValueError:
        return value


MESSAGES = {
    # confidence votes
    "confidence_wrong_body": lambda p: _(
        "Lấy phiếu tín nhiệm tại hội nghị Ban Chấp hành, Ban Thường vụ hoặc tập thể lãnh đạo của %(org)s.") % p,
    "confidence_meeting_used": lambda p: _("Hội nghị ngày %(d)s đã ghi kết quả lấy phiếu tín nhiệm.") % _dated(p, "d"),
    "confidence_not_on_list": lambda p: _("Người này không giữ chức vụ tại tổ chức vào ngày lấy phiếu."),
    "confidence_left_out_retiring": lambda p: _(
        "%(p)s đã có thông báo nghỉ hưu: không lấy phiếu tín nhiệm.") % p,
    "confidence_left_out_new_this_year": lambda p: _(
        "%(p)s được bầu, bổ nhiệm trong năm lấy phiếu: không lấy phiếu tín nhiệm.") % p,
    "confidence_counts_not_returned": lambda p: _(
        "%(p)s: tín nhiệm cao (%(high)s), tín nhiệm (%(confidence)s), tín nhiệm thấp (%(low)s) và phiếu không hợp lệ "
        "(%(invalid)s) phải cộng lại bằng số phiếu thu về (%(returned)s).") % p,
    "confidence_list_empty": lambda p: _("Ghi kết quả của ít nhất một cán bộ."),
    "confidence_low_half": lambda p: _(
        "%(p)s có %(low)s/%(base)s phiếu tín nhiệm thấp, quá một nửa: đưa ra khỏi quy hoạch chức danh cao hơn, "
        "xem xét cho thôi giữ chức vụ.") % p,
    "confidence_low_two_thirds": lambda p: _(
        "%(p)s có %(low)s/%(base)s phiếu tín nhiệm thấp, từ hai phần ba trở lên: đề nghị miễn nhiệm.") % p,
    # relatives
    "conflict_art_20": lambda p: _(
        "%(p)s có quan hệ gia đình (%(relation)s) với %(leader)s, người đứng đầu hoặc cấp phó của %(org)s: không "
        "được bố trí giữ chức vụ %(pos)s.") % {**p, "relation": _relation(p["relation"])},
    "conflict_nominator": lambda p: _(
        "Người giới thiệu %(p)s có quan hệ gia đình (%(relation)s) với người được giới thiệu: người giới thiệu "
        "xác nhận bằng văn bản để tiếp tục.") % {**p, "relation": _relation(p["relation"])},
    "conflict_voters_recused": lambda p: _(
        "Không tham gia biểu quyết vì có quan hệ gia đình với người được giới thiệu: %(names)s (có mặt, không "
        "tính vào tổng số làm căn cứ).") % {"names": ", ".join(
            f"{n} ({_relation(r)})" for n, r in zip(p["names"], p.get("relations", []), strict=False))},
    # the standards check
    "standards_confidence_low": lambda p: _(
        "Lấy phiếu tín nhiệm ngày %(d)s: %(low)s/%(base)s phiếu tín nhiệm thấp, quá một nửa.") % _dated(p, "d"),
    "standards_not_completed": lambda p: _("Năm %(year)s xếp loại Không hoàn thành nhiệm vụ.") % p,
    "standards_discipline_waiting": lambda p: _(
        "Bị kỷ luật %(form)s ngày %(d)s: chưa đủ %(months)s tháng, đến ngày %(until)s mới được bổ nhiệm, giới "
        "thiệu ứng cử.") % {**_dated(p, "d", "until"), "form": _form(p["form"]).lower()},
    "standards_discipline_never": lambda p: _("Bị kỷ luật %(form)s ngày %(d)s.") % {
        **_dated(p, "d"), "form": _form(p["form"]).lower()},
    "standards_ethics_unmet": lambda p: _("Ban Tổ chức đánh giá chưa đạt chuẩn mực: %(standard)s. %(note)s") % {
        "standard": str(ETHICS_LABELS.get(p["standard"], p["standard"])), "note": p.get("note", "")},
    "standards_explanation_missing": lambda p: _(
        "Có tiêu chuẩn không đạt ở mức cảnh báo: chỉ tiếp tục khi có giải trình bằng văn bản."),
    "standards_unknown": lambda p: _("Không có chuẩn mực “%(s)s”.") % p,
    "standards_note_missing": lambda p: _("Ghi nhận xét khi đánh giá chưa đạt chuẩn mực."),
    "standards_program_missing": lambda p: _("Chương trình hành động còn thiếu: %(parts)s.") % {
        "parts": ", ".join(str(PROGRAM_LABELS.get(x, x)) for x in p["parts"])},
    # planning
    "planning_term_missing": lambda p: _("Ghi nhiệm kỳ quy hoạch."),
    "planning_decision_missing": lambda p: _("Ghi số quyết định của cấp có thẩm quyền."),
    "planning_date_missing": lambda p: _("Ghi ngày quyết định."),
    "planning_date_ahead": lambda p: _("Ngày quyết định (%(d)s) không được sau hôm nay.") % _dated(p, "d"),
    "planning_decider_not_above": lambda p: _(
        "%(by)s không phải cấp của %(org)s hoặc cấp trên: không có thẩm quyền quyết định quy hoạch.") % p,
    "planning_already": lambda p: _("%(p)s đã có trong quy hoạch chức danh %(pos)s nhiệm kỳ %(term)s.") % p,
    "planning_already_removed": lambda p: _("Đã đưa ra khỏi quy hoạch ngày %(d)s.") % _dated(p, "d"),
    "planning_removed_before_added": lambda p: _(
        "Ngày đưa ra khỏi quy hoạch không được trước ngày phê duyệt (%(d)s).") % _dated(p, "d"),
    "planning_required_internal": lambda p: _(
        "%(p)s chưa được quy hoạch chức danh %(pos)s hoặc chức danh tương đương, cao hơn tại %(org)s.") % p,
    "planning_required_external": lambda p: _(
        "%(p)s (nguồn từ nơi khác) chưa được quy hoạch chức danh tương đương hoặc cao hơn %(pos)s.") % p,
    # the pilot
    "pilot_not_in_force": lambda p: _(
        "Quy định thí điểm không còn hiệu lực vào ngày %(d)s (hết hiệu lực sau ngày %(end)s).") % _dated(
        p, "d", "end") if p.get("end") else _("Quy định thí điểm không có hiệu lực vào ngày %(d)s.") % _dated(p, "d"),
    "pilot_out_of_scope": lambda p: _(
        "Tỉnh chưa áp dụng thẩm quyền thí điểm cho %(level)s (đang áp dụng: %(scope)s).") % {
        "level": LEVEL_LABELS.get(p["level"], p["level"]), "scope": _levels(p["scope"]) or "—"},
    "introducer_not_head": lambda p: _(
        "%(p)s không giữ chức vụ người đứng đầu %(org)s vào ngày %(d)s: không sử dụng được thẩm quyền này.") % {
        **_dated(p, "d"), "p": p.get("p") or _("Người giới thiệu")},
    "introducer_is_nominee": lambda p: _("Người đứng đầu không tự giới thiệu chính mình."),
    "introducer_not_self": lambda p: _("Chỉ người đứng đầu tự mình giới thiệu nhân sự theo thẩm quyền này."),
    # nominations
    "nomination_kind_unknown": lambda p: _("Không có loại giới thiệu “%(k)s”.") % p,
    "nomination_source_unknown": lambda p: _("Không có nguồn nhân sự “%(s)s”.") % p,
    "nomination_target_not_subordinate": lambda p: _("%(t)s không phải đơn vị trực thuộc %(org)s.") % p,
    "nomination_target_not_own": lambda p: _("Chức danh phải thuộc chính %(org)s, không phải %(t)s.") % p,
    "dismissal_tenure_missing": lambda p: _("%(p)s không đang giữ chức vụ này tại %(t)s.") % p,
    "nomination_post_taken": lambda p: _(
        "Chức danh %(pos)s tại %(t)s vừa có một giới thiệu khác đang thực hiện.") % p,
    "nomination_post_open": lambda p: _(
        "Chức danh %(pos)s tại %(t)s đang có giới thiệu %(p)s chưa kết thúc: mỗi chức danh giới thiệu một "
        "người.") % p,
    "nomination_not_draft": lambda p: _("Giới thiệu đã gửi không sửa được; hãy ghi một văn bản thay thế."),
    "dismissal_grounds_missing": lambda p: _("Ghi căn cứ và trình tự, thủ tục miễn nhiệm trước khi trình."),
    "action_program_missing": lambda p: _("Chương trình hành động còn thiếu: %(parts)s.") % {
        "parts": ", ".join(str(PROGRAM_LABELS.get(x, x)) for x in p["parts"])},
    "nomination_date_ahead": lambda p: _("Ngày (%(d)s) không được sau hôm nay.") % _dated(p, "d"),
    "nomination_not_in_steps": lambda p: _("Giới thiệu không ở bước thực hiện quy trình."),
    "nomination_closed": lambda p: _("Giới thiệu đã kết thúc."),
    "nomination_not_selected": lambda p: _("Nhân sự chưa được lựa chọn qua đủ các bước."),
    "withdrawal_reason_missing": lambda p: _("Ghi lý do rút giới thiệu."),
    # steps
    "step_wrong_body": lambda p: _("Bước %(n)s do %(allowed)s thực hiện, không phải %(body)s.") % {
        **p, "allowed": " / ".join(_body(b) for b in p["allowed"]), "body": _body(p["body"])},
    "step_wrong_organization": lambda p: _("Hội nghị phải của %(own)s, không phải %(org)s.") % p,
    "step_not_where_nominee_works": lambda p: _("%(p)s không công tác tại %(org)s.") % p,
    "step_meeting_ahead": lambda p: _("Hội nghị ngày %(d)s chưa diễn ra.") % _dated(p, "d"),
    "step_before_previous": lambda p: _("Hội nghị ngày %(d)s trước bước trước (%(prev)s).") % _dated(p, "d", "prev"),
    "step_tie_pending": lambda p: _("Bước %(n)s đạt đúng 50%%: chờ người đứng đầu quyết định.") % p,
    "step_none_left": lambda p: _("Quy trình không còn bước nào để ghi."),
    "step_quorum": lambda p: _(
        "Chỉ có %(present)s/%(convened)s người được triệu tập có mặt; cần ít nhất %(needed)s (2/3).") % p,
    "step_nominee_not_counted": lambda p: _("Biên bản kiểm phiếu không có số phiếu của %(p)s.") % p,
    "step_candidate_unknown": lambda p: _("Biên bản kiểm phiếu có người không có trong hồ sơ."),
    "step_tie_for_second": lambda p: _("%(n)s người đồng số phiếu ở vị trí thứ hai: tất cả vào bước sau.") % p,
    "step_no_tie": lambda p: _("Bước %(n)s không có trường hợp đạt đúng 50%%.") % p,
    "tie_not_head": lambda p: _("Chỉ người đứng đầu %(org)s ngày %(d)s quyết định khi đạt đúng 50%%.") % _dated(
        p, "d"),
    "ballots_negative": lambda p: _("Số phiếu không được âm."),
    "ballots_issued_over_present": lambda p: _(
        "Số phiếu phát ra (%(issued)s) nhiều hơn số người có mặt (%(present)s).") % p,
    "ballots_returned_over_issued": lambda p: _(
        "Số phiếu thu về (%(returned)s) nhiều hơn số phiếu phát ra (%(issued)s).") % p,
    "ballots_valid_invalid_not_returned": lambda p: _(
        "Phiếu hợp lệ (%(valid)s) cộng phiếu không hợp lệ (%(invalid)s) phải bằng số phiếu thu về "
        "(%(returned)s).") % p,
    "ballots_votes_over_valid": lambda p: _(
        "Số phiếu của một người (%(votes)s) nhiều hơn số phiếu hợp lệ (%(valid)s).") % p,
    "ballots_candidate_twice": lambda p: _("Một người được ghi hai lần trong biên bản kiểm phiếu."),
    # the appointment
    "appointment_decision_not_valid": lambda p: _("Quyết định này không hợp lệ, không làm căn cứ bổ nhiệm được."),
    "appointment_decision_not_personnel": lambda p: _("Quyết định không thuộc lĩnh vực tổ chức, cán bộ."),
    "appointment_decision_elsewhere": lambda p: _("%(org)s không phải cấp có thẩm quyền của giới thiệu này.") % p,
    "appointment_before_steps": lambda p: _(
        "Quyết định ngày %(d)s trước bước cuối của quy trình (%(last)s).") % _dated(p, "d", "last"),
    "appointment_start_before_decision": lambda p: _(
        "Ngày bắt đầu giữ chức vụ không được trước ngày quyết định (%(d)s).") % _dated(p, "d"),
    # --- planning: the register's forms and the import of a planning list ---
    "planning_import_file_type": lambda p: _("Chỉ nhận tệp .xlsx hoặc .csv."),
    "planning_import_empty": lambda p: _("Tệp không có dữ liệu."),
    "planning_import_no_rows": lambda p: _("Tệp chỉ có dòng tên cột, không có dòng dữ liệu nào."),
    "planning_import_columns": lambda p: _("Thiếu cột bắt buộc: %(cols)s.") % {
        "cols": ", ".join(_import_column(c) for c in p["cols"])},
    "planning_import_too_many_rows": lambda p: _("Tệp có quá nhiều dòng (tối đa %(n)s).") % p,
    "planning_import_nul": lambda p: _("Dòng có ký tự không hợp lệ (mã NUL); hãy lưu lại tệp rồi tải lên lại."),
    "planning_import_missing": lambda p: _("Thiếu %(col)s.") % {"col": _import_column(p["col"])},
    "planning_import_too_long": lambda p: _("%(col)s dài quá %(n)s ký tự.") % {
        **p, "col": _import_column(p["col"])},
    "planning_import_bad_date": lambda p: _(
        "Ngày quyết định “%(v)s” không đúng định dạng ngày (dd/mm/yyyy).") % p,
    "planning_import_card_unknown": lambda p: _("Không tìm thấy đảng viên có số thẻ %(card)s.") % p,
    "planning_import_position_unknown": lambda p: _("Không có chức danh có mã hoặc tên “%(v)s”.") % p,
    "planning_import_position_ambiguous": lambda p: _(
        "Có nhiều chức danh cùng tên “%(v)s”: ghi mã chức danh.") % p,
    "planning_import_decider_unknown": lambda p: _(
        "“%(v)s” không phải mã của %(org)s hoặc một cấp trên của tổ chức này.") % p,
    "planning_import_duplicate": lambda p: _(
        "Trùng với dòng %(other)s (cùng người, cùng chức danh, cùng nhiệm kỳ).") % p,
    "planning_import_refused": lambda p: _(
        "Có %(n)s lỗi; không dòng nào được ghi. Sửa tệp rồi tải lên lại.") % p,
    "planning_import_changed": lambda p: _(
        "Danh sách quy hoạch vừa thay đổi; không dòng nào được ghi. Hãy tải tệp lên lại.") % p,
    "planning_import_expired": lambda p: _(
        "Bản xem trước không còn; hãy tải tệp lên lại."),
    "planning_imported": lambda p: _("Đã ghi %(n)s cán bộ vào quy hoạch của %(org)s.") % p,
    # rules helper
    "nomination_position_role": lambda p: _(
        "Chức danh %(pos)s không phải chức danh %(role)s mà loại giới thiệu này áp dụng.") % {
        **p, "role": {"deputy": _("cấp phó"), "head": _("người đứng đầu")}.get(p["role"], p["role"])},
    "step_meeting_used": lambda p: _(
        "Hội nghị ngày %(d)s đã được ghi cho bước %(n)s của giới thiệu này: mỗi bước là một hội nghị.") % _dated(
        p, "d"),
    "dismissal_before_tenure": lambda p: _(
        "Ngày miễn nhiệm có hiệu lực phải sau ngày bắt đầu giữ chức vụ (%(d)s).") % _dated(p, "d"),
    # the ledger's checkpoints (personnel.checkpoints)
    "ledger_key_missing": lambda p: _(
        "Chưa có khóa ký sổ theo dõi trách nhiệm (hoặc tệp khóa không đọc được): chưa ký, kiểm tra được điểm "
        "kiểm chứng. Quản trị hệ thống tạo khóa bằng lệnh ledger_keygen."),
    "ledger_empty": lambda p: _("Sổ theo dõi trách nhiệm chưa có bút toán nào để ký."),
    "ledger_shorter_than_checkpoint": lambda p: _(
        "Sổ theo dõi trách nhiệm chỉ còn %(size)s bút toán, ít hơn điểm kiểm chứng đã ký (%(signed)s bút toán): "
        "không ký đè lên phần đã mất; cần kiểm tra toàn bộ sổ.") % p,
    "ledger_head_mismatch": lambda p: _(
        "Bút toán cuối của sổ không khớp mã băm cuối đã ghi (%(size)s bút toán): không ký; cần kiểm tra toàn bộ "
        "sổ.") % p,
    "ledger_changed_since_checkpoint": lambda p: _(
        "Bút toán thứ %(signed)s không còn khớp điểm kiểm chứng đã ký: không ký; cần kiểm tra toàn bộ sổ.") % p,
    "countersign_needs_person": lambda p: _("Chỉ cán bộ Ban Tổ chức đăng nhập mới ký xác nhận được."),
    "countersign_not_board": lambda p: _("Ban Tổ chức của bạn không ký xác nhận tại %(org)s.") % p,
    "countersign_twice": lambda p: _("%(org)s đã ký xác nhận điểm kiểm chứng %(size)s bút toán này.") % p,
    "countersign_statement_changed": lambda p: _(
        "Nội dung điểm kiểm chứng khác với nội dung trang đã hiển thị: hãy tải lại trang rồi ký."),
    "checkpoint_signature_invalid": lambda p: _(
        "Chữ ký của điểm kiểm chứng %(size)s bút toán không hợp lệ: không ký xác nhận; cần kiểm tra toàn bộ "
        "sổ.") % p,
}
