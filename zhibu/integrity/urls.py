from django.urls import path

from zhibu.integrity import views

app_name = "integrity"
urlpatterns = [
    path("o/<int:org_id>/integrity/", views.index, name="index"),
    path("o/<int:org_id>/integrity/mine/", views.mine, name="mine"),
    path("o/<int:org_id>/integrity/duties/new/", views.duty_new, name="duty_new"),
    path("o/<int:org_id>/integrity/duties/<int:duty_id>/", views.duty, name="duty"),
    path("o/<int:org_id>/integrity/duties/<int:duty_id>/edit/", views.duty_edit, name="duty_edit"),
    path("o/<int:org_id>/integrity/duties/<int:duty_id>/sign/", views.duty_sign, name="duty_sign"),
    path("o/<int:org_id>/integrity/duties/<int:duty_id>/check/", views.duty_check, name="duty_check"),
    path("o/<int:org_id>/integrity/commitments/issue/", views.commitments_issue, name="commitments_issue"),
    path("o/<int:org_id>/integrity/commitments/<int:commitment_id>/", views.commitment, name="commitment"),
    path("o/<int:org_id>/integrity/commitments/<int:commitment_id>/sign/", views.commitment_sign, name="commitment_sign"),
    path("o/<int:org_id>/integrity/violations/new/", views.violation_new, name="violation_new"),
    path("o/<int:org_id>/integrity/violations/<int:violation_id>/withdraw/", views.violation_withdraw,
         name="violation_withdraw"),
    path("o/<int:org_id>/integrity/decisions/new/", views.decision_new, name="decision_new"),
    path("o/<int:org_id>/integrity/ledger.xlsx", views.ledger, name="ledger"),
    path("o/<int:org_id>/integrity/district/", views.district, name="district"),
]
