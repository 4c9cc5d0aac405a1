from django.urls import path

from . import views

app_name = "declarations"
urlpatterns = [
    path("", views.my_declarations, name="mine"),
    path("<int:pk>/evidence/", views.my_evidence, name="my_evidence"),
]
