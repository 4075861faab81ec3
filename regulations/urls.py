from django.urls import path

from . import views

app_name = "regulations"

urlpatterns = [
    path("regulations/", views.document_list, name="documents"),
    path("regulations/search/", views.search, name="search"),
    path("regulations/import/", views.import_text, name="import"),
    path("regulations/imports/<int:pk>/", views.import_preview, name="import_preview"),
    path("regulations/imports/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("regulations/imports/<int:pk>/cancel/", views.import_cancel, name="import_cancel"),
    path("regulations/<slug:slug>/", views.document, name="document"),
    path("regulations/<slug:slug>/<str:anchor>/", views.provision, name="provision"),
]
