from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from . import views

admin.site.site_header = "Cổng thông tin công tác Đảng"
admin.site.site_title = "Quản trị"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("", include("organizations.urls")),
    path("", include("governance.urls")),
    path("", include("regulations.urls")),
    path("", include("assessments.urls")),
    path("", include("personnel.urls")),
    path("", include("jobs.urls")),
    path("", include("reports.urls")),
    path("admin/", admin.site.urls),
]
