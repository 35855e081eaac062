from django.urls import path

from zhibu.assessment import views

app_name = "assessment"
P = "o/<int:org_id>/assessment/"
urlpatterns = [
    path(P, views.index, name="index"),
    path(P + "rubric/", views.rubric, name="rubric"),
    path(P + "rubric/new/", views.rubric_create, name="rubric_create"),
    path(P + "rubric/thresholds/", views.thresholds, name="thresholds"),
    path(P + "rubric/items/new/", views.item_add, name="item_add"),
    path(P + "rubric/items/<int:item_id>/delete/", views.item_delete, name="item_delete"),
    path(P + "results.xlsx", views.export, name="export"),
    path(P + "dashboard/", views.dashboard, name="dashboard"),
    path(P + "branch/", views.branch, name="branch"),
    path(P + "branch/items/<int:item_id>/", views.manual, name="manual"),
    path(P + "branch/evidence/<int:score_id>/", views.evidence, name="evidence"),
    path(P + "branch/report/", views.report, name="report"),
    path(P + "branch/report/file/", views.report_file, name="report_file"),
    path(P + "branch/grade/", views.grade, name="grade"),
    path(P + "branch/finding/", views.finding, name="finding"),
]
