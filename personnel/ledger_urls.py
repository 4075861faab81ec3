"""URLs of the ledger pages (included by ``personnel.urls``)."""

urlpatterns: list = []
