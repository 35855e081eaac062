from django.urls import path

from zhibu.stats import views

app_name = "stats"
urlpatterns = [
    path("o/<int:org_id>/stats/", views.index, name="index"),
    path("o/<int:org_id>/stats/tables.xlsx", views.export, name="export"),
    path("o/<int:org_id>/stats/figure/<slug:table>/<slug:row>/", views.cell, name="cell"),
    path("o/<int:org_id>/stats/completeness/", views.branch, name="branch"),
    path("o/<int:org_id>/stats/members.xlsx", views.members_export, name="members_export"),
]
