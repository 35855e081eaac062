from django.urls import path

from zhibu.workdays import views

app_name = "workdays"
urlpatterns = [
    path("o/<int:org_id>/workdays/", views.holidays, name="holidays"),
]
