from django.urls import include, path

from . import ledger_urls, planning_urls, program_views

app_name = "personnel"

# The nominations' pages (``views``), the planning lists (``planning_urls``) and the ledger's checkpoints
# (``ledger_urls``), all under one namespace.
urlpatterns = [
    path("", include(planning_urls)),
    path("", include(ledger_urls)),
    path("org/<int:pk>/action-program-template/", program_views.program_template, name="program_template"),
]
