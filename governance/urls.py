from django.urls import path

from . import views

app_name = "governance"

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

from . import views_working  # noqa: E402

urlpatterns += [
    path("org/<int:pk>/working-regulations/", views_working.working_regulations, name="working_regulations"),
    path("working-regulations/<int:pk>/", views_working.working_regulation, name="working_regulation"),
    path("working-regulations/<int:pk>/adopt/", views_working.working_regulation_adopt,
         name="working_regulation_adopt"),
    path("org/<int:pk>/meetings/new/", views_working.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", views_working.meeting, name="meeting"),
    path("decisions/<int:pk>/", views_working.decision, name="decision"),
    path("decisions/<int:pk>/report-back/", views_working.decision_report_back, name="decision_report_back"),
    path("org/<int:pk>/decisions/new/", views_working.individual_decision_new, name="individual_decision_new"),
    path("org/<int:pk>/assignments/new/", views_working.assignment_new, name="assignment_new"),
    path("org/<int:pk>/irregular/", views_working.irregular_queue, name="irregular_queue"),
    path("org/<int:pk>/responsibilities/", views_working.responsibilities, name="responsibilities"),
    path("org/<int:pk>/decisions-dashboard/", views_working.decisions_dashboard, name="decisions_dashboard"),
]
