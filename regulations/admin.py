from django.contrib import admin

from common.admin import PortalAdmin, ReadOnlyAdmin

from .models import Citation, Document, DocumentVersion, Provision, TextImport


@admin.register(Document)
class DocumentAdmin(PortalAdmin):
    list_display = ("code", "kind", "title", "issue_date", "effective_from", "effective_to")
    list_filter = ("kind",)
    search_fields = ("code", "title")
    filter_horizontal = ("replaces",)


@admin.register(DocumentVersion)
class DocumentVersionAdmin(ReadOnlyAdmin):
    """Read only: a version is written by the import service, which compares it with the one before."""

    list_display = ("document", "number", "is_current", "is_skeleton", "imported_at", "imported_by")
    list_filter = ("is_current", "is_skeleton")


@admin.register(Provision)
class ProvisionAdmin(ReadOnlyAdmin):
    """Read only: provisions come from an imported text; a change is a new version of the document."""

    list_display = ("anchor", "version", "level", "heading")
    list_filter = ("level",)
    search_fields = ("anchor", "search_text")
    raw_id_fields = ("version", "parent")


@admin.register(Citation)
class CitationAdmin(ReadOnlyAdmin):
    """Read only: citations are set by the service of the act that cites."""

    list_display = ("document", "anchor", "content_type", "object_id", "label", "scope")
    list_filter = ("content_type",)
    search_fields = ("anchor", "label")


@admin.register(TextImport)
class TextImportAdmin(ReadOnlyAdmin):
    """Read only: uploads are previewed, confirmed or cancelled on the catalog's pages."""

    list_display = ("document", "file_name", "uploaded_by", "uploaded_at", "status")
    list_filter = ("status",)
    exclude = ("content",)
