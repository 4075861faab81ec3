from django.urls import include, path

from . import ledger_urls, planning_urls

app_name = "personnel"

# The nominations' pages (``views``), the planning lists (``planning_urls``) and the ledger's checkpoints
# (``ledger_urls``), all under one namespace.
urlpatterns = [
    path("", include(planning_urls)),
    path("", include(ledger_urls)),
]
