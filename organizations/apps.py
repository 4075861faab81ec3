from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = _("Tổ chức, đảng viên")

    def ready(self) -> None:
        from common.reasons import register_messages

        from .access import MANAGE_ACCESS, MANAGE_DISCIPLINE, MANAGE_MEMBERS, VIEW, VIEW_DASHBOARD, VIEW_DISCIPLINE
        from .models import RoleKind as R
        from .permissions import declare
        from .reasons import MESSAGES

        register_messages(MESSAGES)

        # What each role may do on its organization and everything below it (a member: own record only).
        declare("organizations", VIEW, _("Xem tổ chức"),
                roles=[R.PROVINCE_BOARD, R.COMMITTEE_STAFF, R.HEAD, R.INSPECTION])
        declare("organizations", MANAGE_MEMBERS, _("Quản lý đảng viên (thêm, nhập danh sách)"),
                roles=[R.COMMITTEE_STAFF])
        declare("organizations", VIEW_DISCIPLINE, _("Xem kỷ luật"),
                roles=[R.PROVINCE_BOARD, R.HEAD, R.INSPECTION])
        declare("organizations", MANAGE_DISCIPLINE, _("Ghi, hủy quyết định kỷ luật"), roles=[R.INSPECTION])
        declare("organizations", VIEW_DASHBOARD, _("Xem bảng tổng hợp"),
                roles=[R.PROVINCE_BOARD, R.HEAD, R.INSPECTION])
        declare("organizations", MANAGE_ACCESS, _("Cấp, thu hồi vai trò truy cập"), roles=[])
        post_migrate.connect(self._sync_permissions, sender=self, dispatch_uid="organizations.sync_permissions")

    def _sync_permissions(self, using: str = "default", **kwargs) -> None:
        from django.db import connections

        from .models import AccessRole
        from .permissions import sync_role_permissions

        if AccessRole._meta.db_table not in connections[using].introspection.table_names():
            return  # migrated backwards past the roles
        sync_role_permissions(using=using)
