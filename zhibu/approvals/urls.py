from django.urls import path

from zhibu.approvals import views

app_name = "approvals"
P = "o/<int:org_id>/approvals/"
urlpatterns = [
    path(P, views.inbox, name="inbox"),
    path(P + "branch/", views.branch, name="branch"),
    path(P + "<int:approval_id>/", views.detail, name="detail"),
]
