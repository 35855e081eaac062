from django.urls import path

from zhibu.orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.start, name="start"),
    path("o/<int:org_id>/audit/", views.audit_log, name="audit_log"),
    path("me/", views.me, name="me"),
    path("password/", views.password_change, name="password_change"),
    path("o/<int:org_id>/", views.org_home, name="home"),
    path("o/<int:org_id>/panel/<slug:app>/", views.home_panel, name="panel"),
    path("o/<int:org_id>/new/", views.org_create, name="org_create"),
    path("o/<int:org_id>/people/", views.people, name="people"),
    path("o/<int:org_id>/people/new/", views.person_create, name="person_create"),
    path("o/<int:org_id>/people/<int:person_id>/", views.person_detail, name="person"),
    path("o/<int:org_id>/people/<int:person_id>/edit/", views.person_edit, name="person_edit"),
    path("o/<int:org_id>/people/<int:person_id>/account/", views.person_account, name="person_account"),
    path("o/<int:org_id>/people/<int:person_id>/reveal/<str:field>/", views.person_reveal, name="person_reveal"),
    path("o/<int:org_id>/people/<int:person_id>/transfer-out/", views.transfer_out, name="transfer_out"),
    path("o/<int:org_id>/people/<int:person_id>/password/", views.password_reset, name="password_reset"),
    path("o/<int:org_id>/transfers/", views.transfers, name="transfers"),
    path("o/<int:org_id>/transfers/in/", views.transfer_in, name="transfer_in"),
    path("o/<int:org_id>/committee/", views.positions, name="positions"),
    path("o/<int:org_id>/committee/<int:position_id>/", views.position_edit, name="position_edit"),
    path("o/<int:org_id>/committee/<int:position_id>/remove/", views.position_remove, name="position_remove"),
    path("o/<int:org_id>/groups/", views.groups, name="groups"),
    path("o/<int:org_id>/groups/<int:group_id>/", views.group_edit, name="group_edit"),
    path("o/<int:org_id>/roster/template.xlsx", views.roster_template, name="roster_template"),
    path("o/<int:org_id>/roster/export.xlsx", views.roster_export, name="roster_export"),
    path("o/<int:org_id>/roster/import/", views.roster_import, name="roster_import"),
]
