from django.urls import path

from zhibu.plans import views

app_name = "plans"
urlpatterns = [
    path("o/<int:org_id>/plans/", views.index, name="index"),
    path("o/<int:org_id>/plans/new/", views.create, name="create"),
    path("o/<int:org_id>/plans/copy/", views.copy, name="copy"),
    path("o/<int:org_id>/plans/import/", views.import_plan, name="import"),
    path("o/<int:org_id>/plans/year/<int:year>/", views.year, name="year"),
    path("o/<int:org_id>/plans/<int:plan_id>/", views.detail, name="detail"),
    path("o/<int:org_id>/plans/<int:plan_id>/export.docx", views.export_docx, name="export_docx"),
    path("o/<int:org_id>/plans/<int:plan_id>/add-missing/", views.add_missing, name="add_missing"),
    path("o/<int:org_id>/plans/<int:plan_id>/ical-token/", views.regenerate_token, name="regenerate_token"),
    path("o/<int:org_id>/plans/<int:plan_id>/items/new/", views.item_add, name="item_add"),
    path("o/<int:org_id>/plans/<int:plan_id>/items/<int:item_id>/", views.item_edit, name="item_edit"),
    path("o/<int:org_id>/plans/<int:plan_id>/items/<int:item_id>/action/", views.item_action, name="item_action"),
    path("o/<int:org_id>/plans/<int:plan_id>/items/<int:item_id>/link/", views.item_link, name="item_link"),
    path("o/<int:org_id>/plans/ical/<str:token>.ics", views.ical_feed, name="ical"),
    path("o/<int:org_id>/plans/feed/<str:token>.ics", views.branch_ical, name="branch_ical"),
    path("o/<int:org_id>/plans/feed/regenerate/", views.branch_feed_regenerate, name="branch_feed_regenerate"),
]
