"""The admin is for reading: models that services own cannot be added, changed or deleted there."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group

from audit.models import AuditEntry
from common.admin import PortalAdminMixin
from governance.models import Assignment, Decision, Matter, Meeting, WorkingRegulation
from organizations.models import (
    AccessRole,
    Discipline,
    DisciplineAnnulment,
    Kinship,
    MemberImport,
    Membership,
    Organization,
    Person,
    Tenure,
)
from regulations.models import Citation, DocumentVersion, Provision, TextImport

SERVICE_OWNED = [WorkingRegulation, Meeting, Decision, Assignment, Membership, Tenure, AccessRole,
                 Group, MemberImport, AuditEntry, DocumentVersion, Provision, Citation, TextImport,
                 Organization, Person, Kinship, Discipline]


def test_every_admin_page_refuses_bad_input_the_portal_way():
    plain = [m._meta.label for m, a in admin.site._registry.items() if not isinstance(a, PortalAdminMixin)]
    assert plain == []


@pytest.mark.parametrize("model", [m for m in SERVICE_OWNED if m in admin.site._registry],
                         ids=lambda m: m._meta.label)
def test_service_owned_models_are_read_only_even_for_a_superuser(rf, admin_user, model):
    request = rf.get("/admin/")
    request.user = admin_user
    model_admin = admin.site._registry[model]
    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


@pytest.mark.parametrize("model", [Membership, Matter, DisciplineAnnulment], ids=lambda m: m._meta.label)
def test_their_inlines_are_read_only_too(rf, admin_user, model):
    request = rf.get("/admin/")
    request.user = admin_user
    inlines = [i for a in admin.site._registry.values() for i in a.get_inline_instances(request)
               if i.model is model]
    assert inlines
    for inline in inlines:
        assert not (inline.has_add_permission(request, None) or inline.has_change_permission(request)
                    or inline.has_delete_permission(request))


@pytest.mark.django_db
def test_the_add_page_of_a_service_owned_model_is_forbidden(admin_client):
    assert admin_client.get("/admin/governance/meeting/add/").status_code == 403
    assert admin_client.get("/admin/organizations/accessrole/add/").status_code == 403
    assert admin_client.get("/admin/organizations/tenure/add/").status_code == 403
    for model in ("organization", "person", "kinship", "discipline"):
        assert admin_client.get(f"/admin/organizations/{model}/add/").status_code == 403


@pytest.mark.django_db
def test_the_tree_cannot_be_moved_in_the_admin(admin_client, province):
    before = sorted(Organization.objects.values_list("pk", "path"))
    response = admin_client.post("/admin/organizations/organization/move/", {
        "node": province.cell_1.pk, "target": province.cell_b.pk, "relation": "child"})
    assert response.status_code == 403
    assert sorted(Organization.objects.values_list("pk", "path")) == before
