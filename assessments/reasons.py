"""How the reasons of the review read, in the reader's language (registered in ``AssessmentsConfig.ready``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .choices import Grade, Level, QuotaRounding, SchemeCode, Step, SubjectKind


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def _at_most(p) -> str:
    return _label(Level, p["level"])


def _scheme(p) -> str:
    return _label(SchemeCode, p["scheme"])


def _row_problems(p) -> str:
    from common.reasons import Reason  # noqa: PLC0415

    return "; ".join(Reason.from_json(problem).message for problem in p["problems"])


def _table_error(p) -> str:
    from organizations.imports import error_message  # noqa: PLC0415  (the reader of the table says it)

    return error_message(p["error"])


# The review results read from a spreadsheet (``assessments.imports``): the row is a parameter.
IMPORT_MESSAGES = {
    "review_import_unknown": lambda p: _(
        "Dòng %(n)s: mã đánh giá “%(v)s” không thuộc danh sách chờ kiểm điểm.") % {"n": p["row"], "v": p["v"]},
    "review_import_duplicate": lambda p: _("Dòng %(n)s: đối tượng %(s)s đã có ở dòng %(m)s.") % {
        "n": p["row"], "s": p["subject"], "m": p["first"]},
    "review_import_row": lambda p: _("Dòng %(n)s (%(s)s): %(p)s") % {
        "n": p["row"], "s": p["subject"], "p": _row_problems(p)},
    "review_import_no_level": lambda p: _("chưa có mức xếp loại hoặc không hiểu “%(v)s”") % p,
    "review_import_bad_count": lambda p: _("số nhiệm vụ “%(v)s” không hợp lệ") % p,
    "review_import_empty": lambda p: _("Tệp không có dòng nào."),
    "review_import_table": _table_error,
}


MESSAGES = {
    **IMPORT_MESSAGES,
    "period_move_out_of_subtree": lambda p: _(
        "%(period)s đang diễn ra trên cây tổ chức của %(org)s: không chuyển được tổ chức ra ngoài phạm vi đó "
        "cho tới khi kết thúc kỳ.") % p,
    # Ceilings (assessments.rules).
    "criterion_poor": lambda p: _("Có tiêu chí xếp mức Kém: chỉ được xếp %(level)s.") % {"level": _at_most(p)},
    "criterion_average": lambda p: _("Có tiêu chí mức Trung bình: cao nhất %(level)s.") % {"level": _at_most(p)},
    "tasks_grade": lambda p: _("Kết quả thực hiện nhiệm vụ mức %(grade)s: cao nhất %(level)s.") % {
        "grade": _label(Grade, p["grade"]), "level": _at_most(p)},
    "disciplined": lambda p: _("Bị kỷ luật trong năm (không phải tự phát hiện, khắc phục): %(level)s.") % {
        "level": _at_most(p)},
    "breach_37": lambda p: _("Vi phạm Quy định 37 hoặc trách nhiệm nêu gương: %(level)s.") % {"level": _at_most(p)},
    "targets_under": lambda p: _("Chỉ hoàn thành %(done)s/%(total)s chỉ tiêu (dưới %(percent)s%%): %(level)s.") % {
        **p, "level": _at_most(p)},
    "led_unit_targets_under": lambda p: _(
        "Đơn vị phụ trách chỉ hoàn thành %(percent)s%% chỉ tiêu (dưới %(floor)s%%): %(level)s.") % {
        **p, "level": _at_most(p)},
    "collective_disciplined": lambda p: _("Tập thể bị kỷ luật trong năm: cao nhất %(level)s.") % {
        "level": _at_most(p)},
    "leadership_member_disciplined": lambda p: _(
        "Có thành viên lãnh đạo bị kỷ luật trong năm: cao nhất %(level)s.") % {"level": _at_most(p)},
    "subordinates_disciplined": lambda p: _(
        "%(count)s/%(total)s tổ chức trực thuộc bị kỷ luật (quá %(percent)s%%): %(level)s.") % {
        **p, "level": _at_most(p)},
    "subordinates_disciplined_excellent": lambda p: _(
        "Có %(count)s tổ chức trực thuộc bị kỷ luật trong năm: cao nhất %(level)s.") % {**p, "level": _at_most(p)},
    "disunity": lambda p: _("Có kết luận mất đoàn kết: %(level)s.") % {"level": _at_most(p)},
    "score_band": lambda p: _("Điểm %(score)s: cao nhất %(level)s.") % {**p, "level": _at_most(p)},
    "tasks_not_all_on_time": lambda p: _(
        "Chỉ %(on_time)s/%(total)s nhiệm vụ đúng hạn (cần 100%%): cao nhất %(level)s.") % {
        **p, "level": _at_most(p)},
    "tasks_exceeded_under": lambda p: _(
        "Chỉ %(exceeded)s/%(total)s nhiệm vụ vượt yêu cầu (cần ít nhất %(percent)s%%): cao nhất %(level)s.") % {
        **p, "level": _at_most(p)},
    "shortcomings_open": lambda p: _("Còn hạn chế, khuyết điểm chưa khắc phục: cao nhất %(level)s.") % {
        "level": _at_most(p)},
    "collective_tasks_late": lambda p: _(
        "Hoàn thành %(done)s/%(total)s nhiệm vụ, %(late)s nhiệm vụ chậm (tối đa %(percent)s%%): %(level)s.") % {
        **p, "level": _at_most(p)},
    # Deciding.
    "quota": lambda p: _(
        "%(group)s: %(excellent)s Hoàn thành xuất sắc trên %(good)s Hoàn thành tốt; chỉ được tối đa %(allowed)s "
        "(%(share)s%% số Hoàn thành tốt, %(rounding)s).") % {**p, "rounding": _label(QuotaRounding, p["rounding"])
                                                              .lower()},
    "above_ceiling": lambda p: _("Xếp %(level)s cao hơn mức cho phép (%(ceiling)s); cần ghi lý do.") % {
        "level": _label(Level, p["level"]), "ceiling": _label(Level, p["ceiling"])},
    "head_above_collective": lambda p: _(
        "Người đứng đầu xếp %(level)s, cao hơn tập thể %(org)s (%(collective)s).") % {
        **p, "level": _label(Level, p["level"]), "collective": _label(Level, p["collective"])},
    "not_completed_twice": lambda p: _("Hai năm liền (%(previous)s, %(year)s) không hoàn thành nhiệm vụ.") % p,
    "collective_first": lambda p: _(
        "Kiểm điểm tập thể %(org)s trước, rồi mới đến cá nhân (tập thể đang ở bước: %(state)s).") % {
        **p, "state": _label(Step, p["state"])},
    "lower_levels_first": lambda p: _(
        "Còn %(count)s tổ chức trực thuộc %(org)s chưa kiểm điểm; cấp dưới kiểm điểm trước.") % p,
    "wrong_step": lambda p: _("%(subject)s đang ở bước “%(state)s”, không làm được bước này.") % {
        **p, "state": _label(Step, p["state"])},
    "not_allowed": lambda p: _("Anh/chị không có thẩm quyền làm bước này cho %(subject)s.") % p,
    "grades_missing": lambda p: _("Chưa chấm đủ các tiêu chí: %(missing)s.") % p,
    "grade_invalid": lambda p: _("Tiêu chí “%(criterion)s”: giá trị “%(value)s” không hợp lệ.") % p,
    "points_over": lambda p: _("Tiêu chí “%(criterion)s”: tối đa %(max)s điểm.") % p,
    "level_missing": lambda p: _("Chưa chọn mức xếp loại.") % p,
    "task_counts": lambda p: _("Số nhiệm vụ không hợp lý: hoàn thành, đúng hạn, vượt yêu cầu không được vượt "
                               "tổng số, đúng hạn và vượt không được vượt số hoàn thành.") % p,
    "peer_group_changed": lambda p: _("Nhóm tính tỷ lệ vừa được cấp quyết định gộp hoặc tách; hãy tải lại trang "
                                      "rồi quyết định lại.") % p,
    "annul_reason": lambda p: _("Cần ghi lý do hủy kết quả.") % p,
    "kind_not_in_scheme": lambda p: _("Quy định này không có đối tượng “%(kind)s”.") % {
        "kind": _label(SubjectKind, p["kind"])},
    # Periods.
    "period_no_scheme": lambda p: _("Không có quy định đánh giá cho năm %(year)s.") % p,
    "period_wrong_scheme": lambda p: _("Kỳ năm %(year)s đánh giá theo %(scheme)s.") % {**p, "scheme": _scheme(p)},
    "period_not_quarterly": lambda p: _("%(scheme)s không có đánh giá hằng quý.") % {"scheme": _scheme(p)},
    "period_quota_share": lambda p: _("Tỷ lệ Hoàn thành xuất sắc của %(scheme)s: %(shares)s%% số Hoàn thành tốt.") % {
        "scheme": _scheme(p), "shares": ", ".join(str(v) for v in p["shares"])},
    "period_deadlines_order": lambda p: _("Các hạn phải theo thứ tự: tự đánh giá, thẩm định, hội nghị, quyết định, "
                                          "thông báo."),
    "period_exists": lambda p: _("Đã có kỳ đánh giá này cho tổ chức này."),
    "period_closed": lambda p: _("Kỳ đánh giá đã kết thúc."),
    "period_settings_frozen": lambda p: _("Thiết lập chỉ sửa được khi kỳ đánh giá chưa mở."),
    "period_reference_date_frozen": lambda p: _("Ngày chốt danh sách chỉ sửa được khi kỳ đánh giá chưa mở."),
    "period_already_open": lambda p: _("Kỳ đánh giá đã mở."),
    "period_not_opening": lambda p: _("Kỳ đánh giá không ở trạng thái chờ lập danh sách."),
    # Peer groups.
    "peer_groups_same": lambda p: _("Chọn hai nhóm khác nhau."),
    "peer_group_not_in_period": lambda p: _("Nhóm không thuộc kỳ đánh giá này."),
    "peer_groups_other_decider": lambda p: _("Chỉ gộp các nhóm của cùng một cấp quyết định."),
    "peer_group_decided_merge": lambda p: _("Nhóm đã có đối tượng được quyết định xếp loại; không gộp được nữa."),
    "peer_group_decided_split": lambda p: _("Nhóm đã có đối tượng được quyết định xếp loại; không tách được nữa."),
    "peer_group_name_missing": lambda p: _("Nhập tên nhóm mới."),
    "peer_group_no_organizations": lambda p: _("Chọn ít nhất một tổ chức có đối tượng chuyển sang nhóm mới."),
    "peer_group_name_taken": lambda p: _("Cấp quyết định đã có nhóm tên này."),
    "peer_group_nothing_moves": lambda p: _("Các tổ chức đã chọn không có đối tượng nào trong nhóm này."),
    "peer_group_all_move": lambda p: _("Nhóm phải còn lại ít nhất một đối tượng; để đổi tên, hãy chọn bớt tổ chức."),
    # Targets.
    "targets_none": lambda p: _("Không có chỉ tiêu, nhiệm vụ nào được nhập."),
    "targets_copy_same_period": lambda p: _("Chọn một kỳ khác để sao chép."),
    "targets_no_previous": lambda p: _("Không có kỳ năm trước để sao chép."),
    "target_result_invalid": lambda p: _("Kết quả không hợp lệ."),
    "targets_not_assigner": lambda p: _("Chỉ tiêu, nhiệm vụ của %(subject)s do %(org)s giao và đánh giá; anh/chị "
                                        "không giao được.") % p,
    # What the audit entries and the event log say of an act (stored as codes, read in the reader's language).
    "assessments_targets_assigned": lambda p: _("Giao %(titles)s chỉ tiêu cho %(subjects)s đối tượng") % p,
    "assessments_targets_copied": lambda p: _("Sao chép %(n)s chỉ tiêu từ %(source)s") % p,
    "assessments_reviewed": lambda p: _("Kiểm điểm %(n)s đối tượng") % p,
    "assessments_decided": lambda p: _("Quyết định xếp loại %(n)s đối tượng") % p,
    "assessments_notified": lambda p: _("Thông báo kết quả %(n)s đối tượng") % p,
    "assessment_entered_at_meeting": lambda p: _("Nhập thay tại hội nghị"),
}
