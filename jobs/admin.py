from django.contrib import admin

from common.admin import ReadOnlyAdmin

from .models import Job


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = ["label", "kind", "status", "done", "total", "requested_by", "created_at", "finished_at"]
    list_filter = ["status", "kind"]
