from django.urls import path

from zhibu.orglife import views

app_name = "orglife"
P = "o/<int:org_id>/orglife/"
M = P + "meetings/<int:meeting_id>/"
urlpatterns = [
    path(P, views.index, name="index"),
    path(P + "district/", views.district, name="district"),
    path(P + "district/export.xlsx", views.district_export, name="district_export"),
    path(P + "meetings/new/", views.meeting_new, name="meeting_new"),
    path(M, views.meeting_detail, name="meeting"),
    path(M + "edit/", views.meeting_edit, name="meeting_edit"),
    path(M + "delete/", views.meeting_delete, name="meeting_delete"),
    path(M + "attendance/", views.attendance, name="attendance"),
    path(M + "finalise/", views.meeting_finalise, name="meeting_finalise"),
    path(M + "signin-sheet/", views.signin_sheet, name="signin_sheet"),
    path(M + "leave/", views.leave, name="leave"),
    path(M + "motions/new/", views.motion_new, name="motion_new"),
    path(M + "motions/<int:motion_id>/edit/", views.motion_edit, name="motion_edit"),
    path(M + "motions/<int:motion_id>/delete/", views.motion_delete, name="motion_delete"),
    path(M + "attachments/new/", views.attachment_new, name="attachment_new"),
    path(M + "attachments/<int:attachment_id>/", views.attachment_download, name="attachment"),
    path(M + "attachments/<int:attachment_id>/delete/", views.attachment_delete, name="attachment_delete"),
    path(M + "minutes.docx", views.minutes_docx, name="minutes_docx"),
    path(P + "s/<str:token>/", views.signin, name="signin"),
    path(P + "yearbook.docx", views.yearbook_docx, name="yearbook_docx"),
    path(P + "makeups/", views.makeups, name="makeups"),
    path(P + "makeups/<int:task_id>/done/", views.makeup_done, name="makeup_done"),
    path(P + "talks/", views.talks, name="talks"),
    path(P + "settings/", views.settings_view, name="settings"),
]
