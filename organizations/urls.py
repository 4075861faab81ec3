from django.urls import path

from . import views

app_name = "organizations"

urlpatterns = [
    path("org/", views.tree, name="tree"),
    path("org/<int:pk>/", views.organization, name="organization"),
    path("org/<int:pk>/children/", views.organization_children, name="organization_children"),
    path("org/<int:pk>/members/", views.organization_members, name="organization_members"),
    path("org/<int:pk>/import/", views.member_import_upload, name="import_upload"),
    path("imports/<int:pk>/", views.member_import_preview, name="import_preview"),
    path("people/", views.person_search, name="person_search"),
    path("people/<int:pk>/", views.person, name="person"),
]
