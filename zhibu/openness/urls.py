from django.urls import path

from zhibu.openness import views

app_name = "openness"
P = "o/<int:org_id>/openness/"
urlpatterns = [
    path(P, views.index, name="index"),
    path(P + "archive/", views.archive, name="archive"),
    path(P + "new/", views.notice_new, name="notice_new"),
    path(P + "notices/<int:notice_id>/", views.notice, name="notice"),
    path(P + "notices/<int:notice_id>/edit/", views.notice_edit, name="notice_edit"),
    path(P + "notices/<int:notice_id>/<slug:step>/", views.notice_step, name="notice_step"),
    path(P + "dues-draft/", views.dues_draft, name="dues_draft"),
    path(P + "link/", views.link_settings, name="link"),
    path(P + "mailbox/", views.message_list, name="messages"),
    path(P + "mailbox/<int:message_id>/", views.message, name="message"),
    path(P + "mailbox/<int:message_id>/act/", views.message_act, name="message_act"),
    path(P + "forums/", views.forums, name="forums"),
    path(P + "forums/<int:forum_id>/", views.forum, name="forum"),
    path(P + "forums/<int:forum_id>/act/", views.forum_act, name="forum_act"),
    path(P + "district/", views.district, name="district"),
    path(P + "catalog/", views.catalog, name="catalog"),
    # Public (no login): the branch's secret link.
    path("gk/<str:token>/", views.public_board, name="public_board"),
    path("gk/<str:token>/n/<int:notice_id>/", views.public_notice, name="public_notice"),
    path("gk/<str:token>/mailbox/", views.mailbox, name="mailbox"),
    path("gk/<str:token>/track/", views.track, name="track"),
]
