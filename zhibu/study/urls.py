from django.urls import path

from zhibu.study import views

app_name = "study"
urlpatterns = [
    path("o/<int:org_id>/study/", views.index, name="index"),
    path("o/<int:org_id>/study/new/", views.session_new, name="session_new"),
    path("o/<int:org_id>/study/sessions/<int:session_id>/", views.session, name="session"),
    path("o/<int:org_id>/study/sessions/<int:session_id>/delete/", views.session_delete, name="session_delete"),
    path("o/<int:org_id>/study/files/<int:file_id>/", views.study_file, name="file"),
    path("o/<int:org_id>/study/hours/", views.hours, name="hours"),
    path("o/<int:org_id>/study/hours.xlsx", views.hours_export, name="hours_export"),
    path("o/<int:org_id>/study/hours/<int:person_id>/exempt/", views.exempt, name="exempt"),
    path("o/<int:org_id>/study/training/new/", views.training_new, name="training_new"),
    path("o/<int:org_id>/study/training/<int:training_id>/decide/", views.training_decide, name="training_decide"),
    path("o/<int:org_id>/study/targets/", views.targets, name="targets"),
    path("o/<int:org_id>/study/me/", views.me, name="me"),
    path("o/<int:org_id>/study/xuexi/import/", views.xuexi_import, name="xuexi_import"),
    path("o/<int:org_id>/study/yearbook.docx", views.yearbook, name="yearbook"),
    path("o/<int:org_id>/study/bulletin.docx", views.bulletin, name="bulletin"),
    path("o/<int:org_id>/study/district/", views.district, name="district"),
]
