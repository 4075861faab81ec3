from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from common.text import fold

from .imports import error_message
from .models import (
    AccessRole,
    Body,
    Discipline,
    Kinship,
    MemberImport,
    Membership,
    Organization,
    Person,
    Position,
    Tenure,
)


@admin.register(Organization)
class OrganizationAdmin(TreeAdmin):
    form = movenodeform_factory(Organization)
    list_display = ("name", "code", "kind", "dissolved_on")
    list_filter = ("kind",)
    search_fields = ("name", "code")


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ("title", "code", "role", "rank")
    list_filter = ("role",)


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ("organization", "kind")
    list_filter = ("kind",)
    raw_id_fields = ("organization",)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("organization",)


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("full_name", "card_number", "birth_date", "status")
    list_filter = ("status", "gender")
    search_fields = ("search_name", "card_number")
    raw_id_fields = ("user",)
    inlines = [MembershipInline]

    def get_search_results(self, request, queryset, search_term):
        # Names are searched folded, so "nguyen van an" and "Nguyễn Văn An" both match.
        return super().get_search_results(request, queryset, fold(search_term))


@admin.register(Tenure)
class TenureAdmin(admin.ModelAdmin):
    list_display = ("person", "position", "organization", "start", "end", "acting", "concurrent")
    list_filter = ("position", "acting", "concurrent")
    raw_id_fields = ("person", "organization", "body")


@admin.register(Kinship)
class KinshipAdmin(admin.ModelAdmin):
    list_display = ("person", "relation", "relative", "declared_on")
    raw_id_fields = ("person", "relative")


@admin.register(Discipline)
class DisciplineAdmin(admin.ModelAdmin):
    list_display = ("form", "person", "organization", "decided_on", "self_detected_remedied")
    list_filter = ("form", "self_detected_remedied")
    raw_id_fields = ("person", "organization", "decided_by")


@admin.register(AccessRole)
class AccessRoleAdmin(admin.ModelAdmin):
    list_display = ("kind", "organization", "group")
    list_filter = ("kind",)
    raw_id_fields = ("organization",)


@admin.register(MemberImport)
class MemberImportAdmin(admin.ModelAdmin):
    """Read only: imports are written by the import service, with its audit entries."""

    list_display = ("file_name", "organization", "uploaded_by", "uploaded_at", "status", "row_count")
    list_filter = ("status",)
    fields = ("organization", "uploaded_by", "uploaded_at", "file_name", "status", "row_count",
              "error_list", "committed_at")
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("Lỗi"))
    def error_list(self, obj: MemberImport) -> str:
        return format_html_join(
            "\n", "<div>{}{}</div>",
            ((_("Dòng %(n)s: ") % {"n": e["row"]} if e.get("row") else "", error_message(e)) for e in obj.errors))
