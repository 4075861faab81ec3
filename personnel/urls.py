from django.urls import include, path

from . import board_views, confidence_views, ledger_urls, planning_urls, program_views, views

app_name = "personnel"

# The nominations' pages (``views``), the planning lists (``planning_urls``) and the ledger's checkpoints
# (``ledger_urls``), all under one namespace.
urlpatterns = [
    path("", include(planning_urls)),
    path("", include(ledger_urls)),
    path("org/<int:pk>/action-program-template/", program_views.program_template, name="program_template"),
    path("org/<int:pk>/personnel-overview/", board_views.overview, name="overview"),
    path("org/<int:pk>/confidence-votes/", confidence_views.register, name="confidence_votes"),
    path("org/<int:pk>/confidence-votes/new/", confidence_views.record, name="confidence_record"),
    path("org/<int:pk>/nominations/", views.nominations, name="nominations"),
    path("org/<int:pk>/nominations/new/", views.nomination_new, name="nomination_new"),
    path("nominations/", views.my_nominations, name="my_nominations"),
    path("nominations/<int:pk>/", views.nomination, name="nomination"),
    path("nominations/<int:pk>/edit/", views.nomination_edit, name="nomination_edit"),
    path("nominations/<int:pk>/introduce/", views.nomination_introduce, name="nomination_introduce"),
    path("nominations/<int:pk>/steps/new/", views.step_new, name="step_new"),
    path("nominations/<int:pk>/appoint/", views.nomination_appoint, name="nomination_appoint"),
    path("nominations/<int:pk>/withdraw/", views.nomination_withdraw, name="nomination_withdraw"),
    path("nominations/<int:pk>/correct/", views.nomination_correct, name="nomination_correct"),
    path("nominations/<int:pk>/standards/", views.standards_note, name="standards_note"),
    path("nomination-steps/<int:pk>/settle/", views.step_settle, name="step_settle"),
    path("people/<int:pk>/nominations-made/", views.nominator_record, name="nominator_record"),
]
