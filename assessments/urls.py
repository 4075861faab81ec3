from django.urls import path

from . import views

app_name = "assessments"
urlpatterns = [
    path("assessments/", views.periods, name="periods"),
    path("assessments/mine/", views.my_results, name="mine"),
    path("org/<int:pk>/assessments/new/", views.period_new, name="period_new"),
    path("assessments/periods/<int:pk>/", views.period, name="period"),
    path("assessments/periods/<int:pk>/edit/", views.period_edit, name="period_edit"),
    path("assessments/periods/<int:pk>/open/", views.period_open, name="period_open"),
    path("assessments/periods/<int:pk>/reminders/", views.period_reminders, name="period_reminders"),
    path("assessments/periods/<int:pk>/org/<int:org>/", views.dashboard, name="dashboard"),
    path("assessments/periods/<int:pk>/org/<int:org>/review/", views.review_grid, name="review_grid"),
    path("assessments/periods/<int:pk>/org/<int:org>/review/<int:assessment>/check/", views.review_row_check,
         name="review_row_check"),
    path("assessments/periods/<int:pk>/org/<int:org>/import/", views.results_import, name="results_import"),
    path("assessments/periods/<int:pk>/org/<int:org>/import/confirm/", views.results_import_confirm,
         name="results_import_confirm"),
    path("assessments/periods/<int:pk>/org/<int:org>/decide/", views.decide_grid, name="decide_grid"),
    path("assessments/periods/<int:pk>/org/<int:org>/notify/", views.notify, name="notify"),
    path("assessments/periods/<int:pk>/org/<int:org>/peer-groups/", views.peer_groups, name="peer_groups"),
    path("assessments/periods/<int:pk>/org/<int:org>/peer-groups/merge/", views.peer_groups_merge,
         name="peer_groups_merge"),
    path("assessments/periods/<int:pk>/org/<int:org>/peer-groups/split/", views.peer_group_split,
         name="peer_group_split"),
    path("assessments/periods/<int:pk>/org/<int:org>/targets/", views.targets, name="targets"),
    path("assessments/periods/<int:pk>/org/<int:org>/targets/copy/", views.targets_copy, name="targets_copy"),
    path("assessments/targets/<int:pk>/result/", views.target_result, name="target_result"),
    path("assessments/<int:pk>/", views.assessment, name="assessment"),
    path("assessments/<int:pk>/self/", views.assessment_self, name="assessment_self"),
    path("assessments/<int:pk>/appraise/", views.assessment_appraise, name="assessment_appraise"),
    path("assessments/<int:pk>/annul/", views.assessment_annul, name="assessment_annul"),
    path("assessments/<int:pk>/acknowledge/", views.assessment_acknowledge, name="assessment_acknowledge"),
]
