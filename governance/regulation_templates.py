"""Catalogs to start a working regulation from, each entry citing the regulations catalog.

A committee copies one into a draft (``decisions.regulation_from_template``)
and adapts it before adoption. Codes and titles are ours; the provisions are
those RULES.md names.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

CHARTER_MAJORITY = {"code": "ĐLĐ-2011", "ref": "9.5"}
HEAD_INTRODUCES = {"code": "142-QĐ/TW", "ref": "3"}
STANDING_SEAT = {"code": "142-QĐ/TW", "ref": "4"}
SUBORDINATE_HEADS = {"code": "142-QĐ/TW", "ref": "5"}

TEMPLATES = {
    "provincial": {
        "label": _("Ban Chấp hành, Ban Thường vụ Tỉnh ủy"),
        "matters": [
            dict(code="CT-01", title="Chương trình công tác toàn khóa và hằng năm", field="policy",
                 mode="collective", body_kind="executive", provisions=[CHARTER_MAJORITY]),
            dict(code="NS-01", title="Giới thiệu nhân sự ứng cử, bổ nhiệm chức danh thuộc diện Ban Thường vụ "
                 "quản lý", field="personnel", mode="head_proposes", body_kind="standing", ballot="secret",
                 provisions=[HEAD_INTRODUCES, CHARTER_MAJORITY]),
            dict(code="NS-02", title="Bổ sung ủy viên Ban Thường vụ", field="personnel", mode="head_proposes",
                 body_kind="executive", ballot="secret", provisions=[STANDING_SEAT]),
            dict(code="TC-01", title="Dự toán ngân sách đảng hằng năm", field="finance", mode="collective",
                 body_kind="standing", provisions=[CHARTER_MAJORITY]),
            dict(code="TC-02", title="Chi thường xuyên trong dự toán đã được duyệt", field="finance",
                 mode="head_reports", role="head", report_within_days=30),
        ],
    },
    "grassroots": {
        "label": _("Đảng ủy cơ sở"),
        "matters": [
            dict(code="CT-01", title="Nghị quyết lãnh đạo nhiệm vụ hằng năm", field="policy", mode="collective",
                 body_kind="executive", provisions=[CHARTER_MAJORITY]),
            dict(code="NS-01", title="Giới thiệu nhân sự, quy hoạch cán bộ", field="personnel",
                 mode="collective", body_kind="executive", ballot="secret", provisions=[CHARTER_MAJORITY]),
            dict(code="PC-01", title="Phân công nhiệm vụ cấp ủy viên", field="organization", mode="collective",
                 body_kind="executive", provisions=[CHARTER_MAJORITY]),
            dict(code="TC-01", title="Chi hoạt động thường xuyên", field="finance", mode="head_reports",
                 role="head", report_within_days=15),
        ],
    },
    "agency": {
        "label": _("Tập thể lãnh đạo cơ quan, đơn vị"),
        "matters": [
            dict(code="NS-01", title="Bổ nhiệm, miễn nhiệm người đứng đầu đơn vị trực thuộc", field="personnel",
                 mode="head_proposes", body_kind="leadership", ballot="secret", provisions=[SUBORDINATE_HEADS]),
            dict(code="TC-01", title="Kế hoạch tài chính, dự toán năm", field="finance", mode="collective",
                 body_kind="leadership", provisions=[CHARTER_MAJORITY]),
            dict(code="MS-01", title="Mua sắm tài sản theo kế hoạch đã được duyệt", field="procurement",
                 mode="head_reports", role="head", report_within_days=30),
            dict(code="TB-01", title="Điều chuyển, thanh lý trang thiết bị", field="equipment",
                 mode="collective", body_kind="leadership"),
        ],
    },
}
