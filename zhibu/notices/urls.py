from django.urls import path

from zhibu.notices import views

app_name = "notices"
P = "o/<int:org_id>/notices/"
urlpatterns = [
    # The branch (and its members): inbox, a notice, 签阅, forwarding, the tasks it answers.
    path(P, views.index, name="index"),
    path(P + "n/<int:notice_id>/", views.notice, name="notice"),
    path(P + "n/<int:notice_id>/files/<int:file_id>/", views.notice_file, name="file"),
    path(P + "r/<int:recipient_id>/read/", views.read, name="read"),
    path(P + "r/<int:recipient_id>/forward/", views.forward, name="forward"),
    path(P + "tasks/<int:task_id>/", views.answer, name="answer"),
    path(P + "answers/<int:answer_id>/file/", views.answer_file, name="answer_file"),
    # The district: notices sent and their 签阅, guides, tasks and their review.
    path(P + "district/", views.district, name="district"),
    path(P + "district/new/", views.notice_new, name="notice_new"),
    path(P + "district/n/<int:notice_id>/", views.sent, name="sent"),
    path(P + "district/n/<int:notice_id>/remind/", views.remind, name="remind"),
    path(P + "district/guides/", views.guides, name="guides"),
    path(P + "district/tasks/", views.tasks, name="tasks"),
    path(P + "district/tasks/new/", views.task_new, name="task_new"),
    path(P + "district/tasks/<int:task_id>/", views.task, name="task"),
    path(P + "district/answers/<int:answer_id>/decide/", views.decide, name="decide"),
]
