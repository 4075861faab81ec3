from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("reports/", views.my_reports, name="mine"),
    path("reports/<int:pk>/", views.report, name="report"),
    path("reports/<int:pk>/progress/", views.report_progress, name="progress"),
    path("reports/<int:pk>/download/", views.report_download, name="download"),
    path("reports/assessment/<int:pk>/print/", views.assessment_print, name="assessment_print"),
    path("reports/meeting/<int:pk>/minutes/", views.meeting_minutes_print, name="meeting_minutes_print"),
    path("reports/org/<int:pk>/register/", views.decisions_register_print, name="decisions_register_print"),
    path("reports/nomination/<int:pk>/record/", views.nomination_record, name="nomination_record"),
    path("reports/period/<int:pk>/org/<int:org>/forms/", views.period_forms_print, name="period_forms_print"),
    path("reports/period/<int:pk>/org/<int:org>/summary/", views.period_summary_print, name="period_summary_print"),
]
