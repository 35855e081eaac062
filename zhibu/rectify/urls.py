from django.urls import path

from zhibu.rectify import views

app_name = "rectify"
urlpatterns = [
    path("o/<int:org_id>/rectify/", views.index, name="index"),
    path("o/<int:org_id>/rectify/tasks/", views.tasks, name="tasks"),
    path("o/<int:org_id>/rectify/people/", views.people, name="people"),
    path("o/<int:org_id>/rectify/effects/", views.effects, name="effects"),
    path("o/<int:org_id>/rectify/new/", views.item_new, name="item_new"),
    path("o/<int:org_id>/rectify/items/<int:item_id>/", views.item, name="item"),
    path("o/<int:org_id>/rectify/items/<int:item_id>/edit/", views.item_edit, name="item_edit"),
    path("o/<int:org_id>/rectify/items/<int:item_id>/start/", views.item_start, name="item_start"),
    path("o/<int:org_id>/rectify/items/<int:item_id>/note/", views.item_note, name="item_note"),
    path("o/<int:org_id>/rectify/items/<int:item_id>/submit/", views.item_submit, name="item_submit"),
    path("o/<int:org_id>/rectify/items/<int:item_id>/close/", views.item_close, name="item_close"),
    path("o/<int:org_id>/rectify/items/<int:item_id>/send-back/", views.item_send_back, name="item_send_back"),
    path("o/<int:org_id>/rectify/items/<int:item_id>/review/", views.item_review, name="item_review"),
    path("o/<int:org_id>/rectify/files/<int:file_id>/", views.evidence_file, name="evidence_file"),
    path("o/<int:org_id>/rectify/ledger.xlsx", views.export, name="export"),
    path("o/<int:org_id>/rectify/import/", views.import_items, name="import"),
    path("o/<int:org_id>/rectify/district/", views.district, name="district"),
    path("o/<int:org_id>/rectify/district/raise/", views.district_raise, name="district_raise"),
]
