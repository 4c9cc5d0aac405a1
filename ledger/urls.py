from django.urls import path

from . import views

app_name = "ledger"
urlpatterns = [
    path("", views.my_ledger, name="my_ledger"),
    path("record.pdf", views.my_record_pdf, name="my_record_pdf"),
    path("evidence/<int:pk>/", views.my_evidence, name="my_evidence"),
]
