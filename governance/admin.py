"""Read only: working regulations, matters, meetings, decisions and assignments are written by the services."""

from django.contrib import admin

from common.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import Assignment, Decision, Matter, Meeting, WorkingRegulation


class MatterInline(ReadOnlyInline):
    model = Matter


@admin.register(WorkingRegulation)
class WorkingRegulationAdmin(ReadOnlyAdmin):
    list_display = ("organization", "version", "title", "start", "end", "adoption_ref")
    raw_id_fields = ("organization", "adopted_by", "previous")
    inlines = [MatterInline]


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ("title", "body", "date", "status")
    list_filter = ("status",)
    raw_id_fields = ("body",)


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ("title", "organization", "date", "kind", "status")
    list_filter = ("kind", "status")
    search_fields = ("title",)


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ("person", "organization", "field", "description", "start", "end")
    list_filter = ("field",)
    raw_id_fields = ("person", "organization")
