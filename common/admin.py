"""The two kinds of admin page the portal has.

``PortalAdmin`` is every admin page: Django's, with bad input refused instead
of a 500 (an empty ``?_to_field=``, an id past the integer range in a
many-to-many field). ``ReadOnlyAdmin`` is for the models that services own
(meetings, decisions, working regulations, memberships, tenures, role
grants, the audit trail, imported texts): the admin shows them, and nothing
changes except through a service, which writes the audit entry.
"""

from __future__ import annotations

from django.contrib import admin

from .forms import ModelMultipleChoiceField


class PortalAdminMixin:
    def get_object(self, request, object_id, from_field=None):
        # Django looks up a field named "" for "?_to_field=" and fails with a 500.
        return super().get_object(request, object_id, from_field or None)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", ModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class PortalAdmin(PortalAdminMixin, admin.ModelAdmin):
    pass


class ReadOnlyMixin:
    """Shown, never written: no add, change or delete, whoever the user."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(ReadOnlyMixin, PortalAdmin):
    pass


class ReadOnlyInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False
