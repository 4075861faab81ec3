from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Kiểm điểm, đánh giá, xếp loại chất lượng")

    def ready(self) -> None:
        from common.reasons import register_messages
        from jobs.registry import register
        from organizations.demo import register_demo_step
        from organizations.models import RoleKind as R
        from organizations.permissions import declare
        from organizations.services import register_path_follower

        from . import rules, schemes  # noqa: F401  (their citations register on import)
        from .demo import review
        from .permissions import APPRAISE, DECIDE, ENTER, MANAGE_PERIODS
        from .reasons import MESSAGES
        from .services import period_open_job
        from .services.base import periods_follow_move

        declare("assessments", ENTER, _("Nhập tự đánh giá, kết quả hội nghị kiểm điểm"),
                roles=[R.COMMITTEE_STAFF, R.HEAD])
        declare("assessments", APPRAISE, _("Thẩm định, đề xuất mức xếp loại"), roles=[R.PROVINCE_BOARD])
        declare("assessments", DECIDE, _("Quyết định, thông báo, hủy và xếp loại lại"),
                roles=[R.COMMITTEE_STAFF, R.HEAD])
        declare("assessments", MANAGE_PERIODS, _("Mở kỳ đánh giá, hạn, thiết lập, chỉ tiêu"),
                roles=[R.PROVINCE_BOARD])
        register_messages(MESSAGES)
        register("assessments.period_open", period_open_job)
        register_demo_step(review)
        register_path_follower(periods_follow_move)
