from django.contrib import admin

from .models import Document, DocumentVersion, Provision


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ("code", "kind", "title", "issue_date", "effective_from", "effective_to")
    list_filter = ("kind",)
    search_fields = ("code", "title")
    filter_horizontal = ("replaces",)


@admin.register(DocumentVersion)
class DocumentVersionAdmin(admin.ModelAdmin):
    list_display = ("document", "number", "is_current", "is_skeleton", "imported_at", "imported_by")
    list_filter = ("is_current", "is_skeleton")
    readonly_fields = ("changes",)


@admin.register(Provision)
class ProvisionAdmin(admin.ModelAdmin):
    list_display = ("anchor", "version", "level", "heading")
    list_filter = ("level",)
    search_fields = ("anchor", "search_text")
    raw_id_fields = ("version", "parent")
