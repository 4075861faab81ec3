"""The admin of the apps the portal does not own: accounts and login attempts.

Loaded last (``portal`` is the last installed app), so every other admin is
registered already. A user's groups are their roles: they are shown here and
changed only on an organization's access page, through the role services.
"""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.utils.translation import gettext_lazy as _

from common.admin import PortalAdminMixin, ReadOnlyMixin


class PortalUserAdmin(PortalAdminMixin, UserAdmin):
    readonly_fields = ("groups", "user_permissions", "last_login", "date_joined")

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        return [(name, {**opts, "description": _("Vai trò được cấp và thu hồi tại trang phân quyền của tổ chức.")}
                 if "groups" in opts.get("fields", ()) else opts) for name, opts in fieldsets]


class RoleGroupAdmin(ReadOnlyMixin, PortalAdminMixin, GroupAdmin):
    """A group is the members of one role at one organization: made by the role services."""


admin.site.unregister(User)
admin.site.register(User, PortalUserAdmin)
admin.site.unregister(Group)
admin.site.register(Group, RoleGroupAdmin)

# Every other admin page gets the portal's refusals of bad input (axes' login records, for one).
for model, model_admin in list(admin.site._registry.items()):
    if not isinstance(model_admin, PortalAdminMixin):
        admin.site.unregister(model)
        admin.site.register(model, type(type(model_admin).__name__, (PortalAdminMixin, type(model_admin)), {}))
