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
    path("people/", views.person_search, name="person_search"),
    path("people/<int:pk>/", views.person, name="person"),
]
