from django.urls import path

from zhibu.development import views

app_name = "development"
P = "o/<int:org_id>/development/"
urlpatterns = [
    path(P, views.board, name="board"),
    path(P + "new/", views.candidate_new, name="candidate_new"),
    path(P + "c/<int:candidate_id>/", views.candidate, name="candidate"),
    path(P + "c/<int:candidate_id>/step/<str:step>/", views.record_step, name="step"),
    path(P + "c/<int:candidate_id>/submit/<str:step>/", views.submit, name="submit"),
    path(P + "c/<int:candidate_id>/thought-report/", views.thought_report, name="thought_report"),
    path(P + "c/<int:candidate_id>/assessment/", views.assessment, name="assessment"),
    path(P + "c/<int:candidate_id>/generate/<str:kind>/", views.generate, name="generate"),
    path(P + "c/<int:candidate_id>/upload/", views.upload, name="upload"),
    path(P + "c/<int:candidate_id>/documents/<int:doc_id>/", views.document, name="document"),
    path(P + "quota/", views.quota, name="quota"),
    path(P + "templates/", views.templates, name="templates"),
    path(P + "templates/<str:kind>.docx", views.template_file, name="template_file"),
]
