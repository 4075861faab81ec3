from django.urls import path

from . import views

app_name = "jobs"
urlpatterns = [
    path("jobs/<int:pk>/", views.job, name="job"),
    path("jobs/<int:pk>/progress/", views.job_progress, name="progress"),
]
