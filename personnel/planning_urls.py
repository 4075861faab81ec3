"""URLs of the planning pages (included by ``personnel.urls``)."""

from django.urls import path

from . import planning_views as views

urlpatterns = [
    path("org/<int:pk>/planning/", views.register, name="planning"),
    path("org/<int:pk>/planning/add/", views.add, name="planning_add"),
    path("org/<int:pk>/planning/import/", views.import_upload, name="planning_import"),
    path("org/<int:pk>/planning/import/template/", views.import_template, name="planning_template"),
    path("org/<int:pk>/planning/import/<str:token>/", views.import_preview, name="planning_import_preview"),
    path("planning/<int:pk>/remove/", views.remove, name="planning_remove"),
]
