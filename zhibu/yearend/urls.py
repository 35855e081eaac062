from django.urls import path

from zhibu.yearend import views

app_name = "yearend"
urlpatterns = [
    path("o/<int:org_id>/yearend/", views.index, name="index"),
    path("o/<int:org_id>/yearend/build/", views.build, name="build"),
    path("o/<int:org_id>/yearend/jobs/<int:job_id>/", views.job, name="job"),
    path("o/<int:org_id>/yearend/jobs/<int:job_id>/download/", views.download, name="download"),
    path("o/<int:org_id>/yearend/jobs/<int:job_id>/submit/", views.submit, name="submit"),
    path("o/<int:org_id>/yearend/submissions/<int:submission_id>/", views.submission_file, name="submission_file"),
    path("o/<int:org_id>/yearend/district/", views.district, name="district"),
]
