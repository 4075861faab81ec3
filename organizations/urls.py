from django.urls import path

from . import views

app_name = "organizations"

urlpatterns = [
    path("org/", views.tree, name="tree"),
    path("org/<int:pk>/", views.organization, name="organization"),
    path("org/<int:pk>/children/", views.organization_children, name="organization_children"),
    path("org/<int:pk>/members/", views.organization_members, name="organization_members"),
    path("org/<int:pk>/import/", views.member_import_upload, name="import_upload"),
    path("org/<int:pk>/access/", views.organization_access, name="access"),
    path("org/<int:pk>/access/grant/", views.role_grant, name="role_grant"),
    path("org/<int:pk>/access/revoke/", views.role_revoke, name="role_revoke"),
    path("org/<int:pk>/posts/", views.organization_posts, name="posts"),
    path("org/<int:pk>/posts/new/", views.tenure_start, name="tenure_start"),
    path("tenures/<int:pk>/end/", views.tenure_end, name="tenure_end"),
    path("imports/<int:pk>/", views.member_import_preview, name="import_preview"),
    path("org/<int:pk>/new/", views.organization_create, name="organization_create"),
    path("org/<int:pk>/rename/", views.organization_rename, name="organization_rename"),
    path("org/<int:pk>/move/", views.organization_move, name="organization_move"),
    path("org/<int:pk>/dissolve/", views.organization_dissolve, name="organization_dissolve"),
    path("org/<int:pk>/people/new/", views.person_create, name="person_create"),
    path("org/<int:pk>/discipline/new/", views.discipline_record_organization, name="discipline_record_organization"),
    path("people/", views.person_search, name="person_search"),
    path("people/<int:pk>/", views.person, name="person"),
    path("people/<int:pk>/correct/", views.person_correct, name="person_correct"),
    path("people/<int:pk>/kinship/new/", views.kinship_declare, name="kinship_declare"),
    path("people/<int:pk>/discipline/new/", views.discipline_record_person, name="discipline_record_person"),
    path("kinships/<int:pk>/end/", views.kinship_end, name="kinship_end"),
    path("disciplines/", views.disciplines, name="disciplines"),
    path("disciplines/<int:pk>/annul/", views.discipline_annul, name="discipline_annul"),
]
