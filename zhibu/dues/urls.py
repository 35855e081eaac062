from django.urls import path

from zhibu.dues import views

app_name = "dues"
urlpatterns = [
    path("o/<int:org_id>/dues/", views.index, name="index"),
    path("o/<int:org_id>/dues/sheet/", views.sheet, name="sheet"),
    path("o/<int:org_id>/dues/sheet.xlsx", views.sheet_export, name="sheet_export"),
    path("o/<int:org_id>/dues/close/", views.close_month, name="close_month"),
    path("o/<int:org_id>/dues/register.xlsx", views.register_export, name="register_export"),
    path("o/<int:org_id>/dues/members/<int:person_id>/", views.member, name="member"),
    path("o/<int:org_id>/dues/members/<int:person_id>/statement.xlsx", views.member_export, name="member_export"),
    path("o/<int:org_id>/dues/members/<int:person_id>/overpayment/", views.overpayment, name="overpayment"),
    path("o/<int:org_id>/dues/entries/<int:entry_id>/reverse/", views.entry_reverse, name="entry_reverse"),
    path("o/<int:org_id>/dues/arrears/", views.arrears, name="arrears"),
    path("o/<int:org_id>/dues/bases/", views.bases, name="bases"),
    path("o/<int:org_id>/dues/bases/<int:person_id>/", views.base_edit, name="base_edit"),
    path("o/<int:org_id>/dues/bases/template.xlsx", views.base_template, name="base_template"),
    path("o/<int:org_id>/dues/bases/import/", views.base_import, name="base_import"),
    path("o/<int:org_id>/dues/remittance/", views.remittance, name="remittance"),
    path("o/<int:org_id>/dues/voluntary/", views.voluntary, name="voluntary"),
    path("o/<int:org_id>/dues/voluntary/<int:payment_id>/reverse/", views.voluntary_reverse, name="voluntary_reverse"),
    path("o/<int:org_id>/dues/panel/", views.panel, name="panel"),
    path("o/<int:org_id>/dues/district/", views.district, name="district"),
    path("o/<int:org_id>/dues/district.xlsx", views.district_export, name="district_export"),
]
