from django.urls import path

from . import admin_views

app_name = "ledger_admin"
urlpatterns = [
    path("", admin_views.PersonIndexView.as_view(), name="index"),
    path(
        "results/",
        admin_views.PersonIndexView.as_view(results_only=True),
        name="index_results",
    ),
    path("<int:pk>/", admin_views.person_ledger, name="person"),
    path("<int:pk>/add/", admin_views.entry_add, name="entry_add"),
    path("<int:pk>/record.pdf", admin_views.record_pdf, name="record_pdf"),
    path("evidence/<int:pk>/", admin_views.evidence, name="evidence"),
    path("entry/<int:pk>/withdraw/", admin_views.entry_void, name="entry_void"),
]
