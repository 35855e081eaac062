from django.urls import path

from zhibu.commend import views

app_name = "commend"
urlpatterns = [
    path("o/<int:org_id>/commend/", views.index, name="index"),
    path("o/<int:org_id>/commend/district/", views.district, name="district"),
    path("o/<int:org_id>/commend/rounds/new/", views.round_new, name="round_new"),
    path("o/<int:org_id>/commend/rounds/<int:round_id>/", views.round_page, name="round"),
    path("o/<int:org_id>/commend/rounds/<int:round_id>/nominate/", views.nominate, name="nominate"),
    path("o/<int:org_id>/commend/rounds/<int:round_id>/publicise/", views.publicise, name="publicise"),
    path("o/<int:org_id>/commend/rounds/<int:round_id>/publicity.docx", views.publicity_docx, name="publicity_docx"),
    path("o/<int:org_id>/commend/nominations/<int:nomination_id>/withdraw/", views.withdraw, name="withdraw"),
    path("o/<int:org_id>/commend/nominations/<int:nomination_id>/decide/", views.decide, name="decide"),
    path("o/<int:org_id>/commend/people/", views.people, name="people"),
    path("o/<int:org_id>/commend/people/<int:person_id>/", views.person, name="person"),
    path("o/<int:org_id>/commend/people/<int:person_id>/points/", views.points_entry, name="points_entry"),
    path("o/<int:org_id>/commend/points/<int:entry_id>/remove/", views.points_entry_remove, name="points_entry_remove"),
    path("o/<int:org_id>/commend/points/settings/", views.points_settings, name="points_settings"),
    path("o/<int:org_id>/commend/points/rules/", views.points_rule_new, name="points_rule_new"),
    path("o/<int:org_id>/commend/points/rules/<int:rule_id>/", views.points_rule_toggle, name="points_rule_toggle"),
]
