from django.urls import path

from . import views

app_name = "governance"

urlpatterns = [
    path("org/<int:pk>/working-regulations/", views.working_regulations, name="working_regulations"),
    path("working-regulations/<int:pk>/", views.working_regulation, name="working_regulation"),
    path("working-regulations/<int:pk>/adopt/review/", views.working_regulation_adopt_review,
         name="working_regulation_adopt_review"),
    path("working-regulations/<int:pk>/adopt/", views.working_regulation_adopt,
         name="working_regulation_adopt"),
    path("org/<int:pk>/meetings/", views.meetings, name="meetings"),
    path("org/<int:pk>/decisions/", views.decisions, name="decisions"),
    path("meetings/", views.my_meetings, name="my_meetings"),
    path("decisions/", views.my_decisions, name="my_decisions"),
    path("working-regulations/<int:pk>/matters/new/", views.matter_new, name="matter_new"),
    path("matters/<int:pk>/edit/", views.matter_edit, name="matter_edit"),
    path("matters/<int:pk>/remove/", views.matter_remove, name="matter_remove"),
    path("matters/<int:pk>/move-up/", views.matter_move_up, name="matter_move_up"),
    path("matters/<int:pk>/move-down/", views.matter_move_down, name="matter_move_down"),
    path("org/<int:pk>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", views.meeting, name="meeting"),
    path("meetings/<int:pk>/attendance/", views.meeting_attendance, name="meeting_attendance"),
    path("meetings/<int:pk>/decisions/", views.meeting_decision, name="meeting_decision"),
    path("meetings/<int:pk>/approve/", views.meeting_approve, name="meeting_approve"),
    path("decisions/<int:pk>/", views.decision, name="decision"),
    path("decisions/<int:pk>/report-back/", views.decision_report_back, name="decision_report_back"),
    path("org/<int:pk>/decisions/new/", views.individual_decision_new, name="individual_decision_new"),
    path("org/<int:pk>/assignments/new/", views.assignment_new, name="assignment_new"),
    path("org/<int:pk>/irregular/", views.irregular_queue, name="irregular_queue"),
    path("org/<int:pk>/responsibilities/", views.responsibilities, name="responsibilities"),
    path("org/<int:pk>/decisions-dashboard/", views.decisions_dashboard, name="decisions_dashboard"),
]
