"""Staff screens, mounted under /admin/attendance/ by wagtail_hooks (admin access required)."""

from django.urls import path

from .views import staff

app_name = "attendance_admin"
urlpatterns = [
    path("", staff.index, name="index"),
    path("class/<int:pk>/", staff.class_detail, name="class"),
    path("class/<int:pk>/rules/", staff.class_policy, name="class_policy"),
    path("class/<int:pk>/report.xlsx", staff.class_report_xlsx, name="class_report"),
    path("class/<int:pk>/trainee/<int:trainee_pk>/", staff.class_trainee, name="class_trainee"),
    path("session/<int:pk>/", staff.session_detail, name="session"),
    path("session/<int:pk>/close/", staff.session_close, name="session_close"),
    path("session/<int:pk>/record/<int:trainee_pk>/", staff.record_edit, name="record_edit"),
    path("session/<int:pk>/signin.xlsx", staff.signin_xlsx, name="signin_xlsx"),
    path("session/<int:pk>/signin.pdf", staff.signin_pdf, name="signin_pdf"),
    path("leave/", staff.LeaveIndexView.as_view(), name="leave_list"),
    path(
        "leave/results/",
        staff.LeaveIndexView.as_view(results_only=True),
        name="leave_list_results",
    ),
    path("leave/<int:pk>/", staff.leave_review, name="leave_review"),
]
