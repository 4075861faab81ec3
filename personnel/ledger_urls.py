"""URLs of the ledger pages (included by ``personnel.urls``)."""

from django.urls import path

from . import ledger_views

urlpatterns: list = [
    path("ledger/", ledger_views.ledger, name="ledger"),
    path("ledger/sign/", ledger_views.ledger_sign, name="ledger_sign"),
    path("ledger/checkpoints/<int:pk>/countersign/", ledger_views.checkpoint_countersign,
         name="checkpoint_countersign"),
]
