from django.urls import path

from . import admin_views as v

app_name = "training_admin"
urlpatterns = [
    path("<int:pk>/", v.class_overview, name="class_overview"),
    path("<int:pk>/status/", v.class_status, name="class_status"),
    path("<int:pk>/roster/", v.roster, name="roster"),
    path("<int:pk>/roster/add/", v.enrol_add, name="enrol_add"),
    path("<int:pk>/roster/<int:enrolment_pk>/", v.enrolment_update, name="enrolment_update"),
    path("<int:pk>/roster/import/", v.roster_import, name="roster_import"),
    path("<int:pk>/roster/import/<uuid:batch_pk>/", v.roster_preview, name="roster_preview"),
    path("<int:pk>/roster/paste/", v.roster_paste, name="roster_paste"),
    path(
        "<int:pk>/roster/paste/<uuid:batch_pk>/",
        v.roster_paste_preview,
        name="roster_paste_preview",
    ),
    path("<int:pk>/roster/template.xlsx", v.roster_template, name="roster_template"),
    path("<int:pk>/roster/export.xlsx", v.roster_export, name="roster_export"),
    path("<int:pk>/groups/", v.groups, name="groups"),
    path("<int:pk>/groups/<int:group_pk>/", v.group_edit, name="group_edit"),
    path("<int:pk>/timetable/", v.timetable, name="timetable"),
    path("<int:pk>/timetable/add/", v.session_create, name="session_create"),
    path("<int:pk>/timetable/<int:session_pk>/", v.session_edit, name="session_edit"),
    path("<int:pk>/timetable/<int:session_pk>/delete/", v.session_delete, name="session_delete"),
    path("<int:pk>/timetable/import/", v.timetable_import, name="timetable_import"),
    path(
        "<int:pk>/timetable/import/<uuid:batch_pk>/", v.timetable_preview, name="timetable_preview"
    ),
    path("<int:pk>/timetable/template.xlsx", v.timetable_template, name="timetable_template"),
    path("<int:pk>/timetable/export.xlsx", v.timetable_export, name="timetable_export"),
    path("<int:pk>/notices/", v.notices, name="notices"),
    path("<int:pk>/notices/<int:notice_pk>/", v.notice_receipts, name="notice_receipts"),
    path("<int:pk>/evaluations/", v.class_evaluations, name="class_evaluations"),
    path("evaluations/", v.my_evaluations, name="my_evaluations"),
    path("evaluations/<int:session_pk>/", v.session_evaluations, name="session_evaluations"),
]
