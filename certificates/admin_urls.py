from django.urls import path

from . import admin_views as v

app_name = "certificates_admin"
urlpatterns = [
    path("", v.class_index, name="index"),
    path("class/<int:pk>/", v.class_detail, name="class_detail"),
    path("class/<int:pk>/rule/", v.class_rule, name="class_rule"),
    path("class/<int:pk>/appraisals/", v.appraisals_save, name="appraisals_save"),
    path(
        "class/<int:pk>/override/<int:trainee_pk>/",
        v.completion_override_view,
        name="completion_override",
    ),
    path("class/<int:pk>/close/", v.class_close_view, name="class_close"),
    path("class/<int:pk>/retry/", v.batch_retry_view, name="batch_retry"),
    path("class/<int:pk>/certificates.zip", v.class_zip, name="class_zip"),
    path("batch/<int:pk>/progress/", v.batch_progress, name="batch_progress"),
    path("certificate/<int:pk>/pdf/", v.certificate_pdf, name="certificate_pdf"),
    path("certificate/<int:pk>/revoke/", v.certificate_revoke_view, name="certificate_revoke"),
    path("certificate/<int:pk>/reissue/", v.certificate_reissue_view, name="certificate_reissue"),
    path("template/<int:pk>/preview.pdf", v.template_preview, name="template_preview"),
]
