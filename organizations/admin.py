from django.contrib import admin
from django.http import Http404
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from treebeard.admin import TreeAdmin

from common.admin import PortalAdmin, PortalAdminMixin, ReadOnlyAdmin, ReadOnlyInline, ReadOnlyMixin
from common.text import fold

from .access import parse_pk
from .imports import error_message
from .models import (
    AccessRole,
    Body,
    Discipline,
    DisciplineAnnulment,
    Kinship,
    MemberImport,
    Membership,
    Organization,
    Person,
    Position,
    Tenure,
)


@admin.register(Organization)
class OrganizationAdmin(ReadOnlyMixin, PortalAdminMixin, TreeAdmin):
    """Read only, moving a node too: the tree changes through the organization services, with the audit and
    the records that follow a move."""

    list_display = ("name", "code", "kind", "dissolved_on")
    list_filter = ("kind",)
    search_fields = ("name", "code")

    def children_view(self, request, parent_id):
        if parse_pk(parent_id) is None:  # treebeard hands any text to the database
            raise Http404
        return super().children_view(request, parent_id)


@admin.register(Position)
class PositionAdmin(PortalAdmin):
    list_display = ("title", "code", "role", "rank")
    list_filter = ("role",)


@admin.register(Body)
class BodyAdmin(PortalAdmin):
    list_display = ("organization", "kind")
    list_filter = ("kind",)
    raw_id_fields = ("organization",)


class MembershipInline(ReadOnlyInline):
    """Read only: a member joins or moves through the membership services and the member import."""

    model = Membership


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    """Read only: people are created and corrected on their pages, through the person services."""

    list_display = ("full_name", "card_number", "birth_date", "status")
    list_filter = ("status", "gender")
    search_fields = ("search_name", "card_number")
    raw_id_fields = ("user",)
    inlines = [MembershipInline]

    def get_search_results(self, request, queryset, search_term):
        # Names are searched folded, so "nguyen van an" and "Nguyễn Văn An" both match.
        return super().get_search_results(request, queryset, fold(search_term))


@admin.register(Tenure)
class TenureAdmin(ReadOnlyAdmin):
    """Read only: posts are taken and left on the organization's page, through the tenure services."""

    list_display = ("person", "position", "organization", "start", "end", "acting", "concurrent")
    list_filter = ("position", "acting", "concurrent")
    raw_id_fields = ("person", "organization", "body")


@admin.register(Kinship)
class KinshipAdmin(ReadOnlyAdmin):
    """Read only: declared and ended on the person's page, through the kinship services."""

    list_display = ("person", "relation", "relative", "declared_on", "ended_on", "organization")
    raw_id_fields = ("person", "relative", "organization")


class DisciplineAnnulmentInline(ReadOnlyInline):
    model = DisciplineAnnulment


@admin.register(Discipline)
class DisciplineAdmin(ReadOnlyAdmin):
    """Read only: recorded and annulled by the inspection committee, through the discipline services."""

    list_display = ("form", "person", "organization", "owner", "decided_on", "self_detected_remedied")
    list_filter = ("form", "self_detected_remedied")
    raw_id_fields = ("person", "organization", "owner", "decided_by")
    inlines = [DisciplineAnnulmentInline]


@admin.register(AccessRole)
class AccessRoleAdmin(ReadOnlyAdmin):
    """Read only: roles are granted and revoked on the organization's access page, with the audit."""

    list_display = ("kind", "organization", "group")
    list_filter = ("kind",)
    raw_id_fields = ("organization",)


@admin.register(MemberImport)
class MemberImportAdmin(ReadOnlyAdmin):
    """Read only: imports are written by the import service, with its audit entries."""

    list_display = ("file_name", "organization", "uploaded_by", "uploaded_at", "status", "row_count")
    list_filter = ("status",)
    fields = ("organization", "uploaded_by", "uploaded_at", "file_name", "status", "row_count",
              "error_list", "committed_at")
    readonly_fields = fields

    @admin.display(description=_("Lỗi"))
    def error_list(self, obj: MemberImport) -> str:
        return format_html_join(
            "\n", "<div>{}{}</div>",
            ((_("Dòng %(n)s: ") % {"n": e["row"]} if e.get("row") else "", error_message(e)) for e in obj.errors))
