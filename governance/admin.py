from django.contrib import admin

from .models import Assignment, Decision, Matter, Meeting, WorkingRegulation


class MatterInline(admin.TabularInline):
    model = Matter
    extra = 0


@admin.register(WorkingRegulation)
class WorkingRegulationAdmin(admin.ModelAdmin):
    list_display = ("organization", "version", "title", "start", "end", "adoption_ref")
    raw_id_fields = ("organization", "adopted_by", "previous")
    inlines = [MatterInline]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("title", "body", "date", "status")
    list_filter = ("status",)
    raw_id_fields = ("body",)


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    """Read only: decisions are recorded, checked and corrected through the portal's services."""

    list_display = ("title", "organization", "date", "kind", "status")
    list_filter = ("kind", "status")
    search_fields = ("title",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ("person", "organization", "field", "description", "start", "end")
    list_filter = ("field",)
    raw_id_fields = ("person", "organization")
