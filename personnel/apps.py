from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PersonnelConfig(AppConfig):
    name = "personnel"
    verbose_name = _("Công tác cán bộ")

    def ready(self) -> None:
        from common.reasons import register_messages
        from organizations.demo import register_demo_step
        from organizations.events import register_listener
        from organizations.links import register_organization_links, register_person_links
        from organizations.models import RoleKind as R
        from organizations.permissions import declare

        from . import (
            links,
            rules,  # noqa: F401  (its citations register on import)
        )
        from .demo import personnel_work
        from .ledger import follow_person_event
        from .permissions import (
            ASSESS_STANDARDS,
            COUNTERSIGN,
            INTRODUCE,
            MANAGE_PERSONNEL,
            VIEW_CONFIDENTIAL,
            VIEW_NOMINATOR_RECORD,
            VIEW_PERSONNEL,
        )
        from .programs import MESSAGES as PROGRAM_MESSAGES
        from .reasons import MESSAGES

        register_messages(MESSAGES)
        register_messages(PROGRAM_MESSAGES)
        declare("personnel", VIEW_PERSONNEL, _("Xem quy hoạch, giới thiệu nhân sự"),
                roles=[R.PROVINCE_BOARD, R.COMMITTEE_STAFF, R.HEAD, R.INSPECTION])
        declare("personnel", MANAGE_PERSONNEL, _("Ghi quy hoạch, hồ sơ giới thiệu, kết quả các bước"),
                roles=[R.COMMITTEE_STAFF])
        declare("personnel", INTRODUCE, _("Giới thiệu nhân sự theo thẩm quyền người đứng đầu"), roles=[R.HEAD])
        declare("personnel", VIEW_CONFIDENTIAL, _("Xem kết quả hội nghị mở rộng trước khi kết thúc quy trình"),
                roles=[R.PROVINCE_BOARD])
        declare("personnel", VIEW_NOMINATOR_RECORD, _("Xem quá trình giới thiệu nhân sự của người đứng đầu"),
                roles=[R.PROVINCE_BOARD, R.INSPECTION])
        declare("personnel", ASSESS_STANDARDS, _("Đánh giá chuẩn mực đạo đức của nhân sự được giới thiệu"),
                roles=[R.PROVINCE_BOARD])
        declare("personnel", COUNTERSIGN, _("Ký xác nhận điểm kiểm chứng sổ trách nhiệm"),
                roles=[R.PROVINCE_BOARD])
        # An appointee's later events reach the ledger from the apps below, which never import this one.
        register_listener(follow_person_event)
        # The organization's and the person's pages link to the registers and the record kept here.
        register_organization_links(links.organization_links)
        register_person_links(links.person_links)
        register_demo_step(personnel_work)
