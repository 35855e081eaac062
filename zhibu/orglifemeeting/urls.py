from django.urls import path

from zhibu.orglifemeeting import views

app_name = "orglifemeeting"
P = "o/<int:org_id>/orglifemeeting/"
C = P + "<int:cycle_id>/"
urlpatterns = [
    path(P, views.index, name="index"),
    path(P + "new/", views.cycle_new, name="new"),
    path(C, views.cycle_detail, name="cycle"),
    path(C + "edit/", views.cycle_edit, name="edit"),
    path(C + "steps/<str:code>/", views.step_edit, name="step"),
    path(C + "ready/", views.ready, name="ready"),
    path(C + "talks/", views.talks, name="talks"),
    path(C + "materials/<str:kind>/", views.material, name="material"),
    path(C + "files/<int:material_id>/", views.material_file, name="material_file"),
    path(C + "opinion/", views.opinion, name="opinion"),
    path(C + "meeting/", views.meeting, name="meeting"),
    path(C + "notes/<int:person_id>/", views.note, name="note"),
    path(C + "problems/new/", views.problem_new, name="problem_new"),
    path(C + "problems/raise/", views.raise_items, name="raise"),
    path(C + "report.docx", views.report_docx, name="report"),
]
