from django.urls import path

from zhibu.elections import views

app_name = "elections"
P = "o/<int:org_id>/elections/"
E = P + "<int:election_id>/"
urlpatterns = [
    path(P, views.index, name="index"),
    path(P + "new/", views.election_new, name="new"),
    path(P + "reschedule/", views.reschedule, name="reschedule"),
    path(P + "district/", views.district, name="district"),
    path(E, views.detail, name="detail"),
    path(E + "edit/", views.election_edit, name="edit"),
    path(E + "steps/<str:code>/", views.step, name="step"),
    path(E + "nominations/", views.nominations, name="nominations"),
    path(E + "preliminary/", views.preliminary, name="preliminary"),
    path(E + "review/", views.review, name="review"),
    path(E + "meeting/", views.meeting, name="meeting"),
    path(E + "round/", views.round_new, name="round"),
    path(E + "posts/", views.posts, name="posts"),
    path(E + "install/", views.install, name="install"),
    path(E + "documents/<str:kind>.docx", views.document, name="document"),
]
