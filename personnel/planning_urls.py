"""URLs of the planning pages (included by ``personnel.urls``)."""

urlpatterns: list = []
