from django.urls import path

from zhibu.membership import views

app_name = "membership"
urlpatterns = [
    path("o/<int:org_id>/membership/", views.index, name="index"),
    path("o/<int:org_id>/membership/district/", views.district, name="district"),
    path("o/<int:org_id>/membership/new/", views.case_new, name="case_new"),
    path("o/<int:org_id>/membership/cases/<int:case_id>/", views.case, name="case"),
    path("o/<int:org_id>/membership/cases/<int:case_id>/letter.docx", views.letter, name="letter"),
    path("o/<int:org_id>/membership/cases/<int:case_id>/receipt/", views.receipt, name="receipt"),
    path("o/<int:org_id>/membership/cases/<int:case_id>/cancel/", views.cancel, name="cancel"),
    path("o/<int:org_id>/membership/cases/<int:case_id>/resubmit/", views.resubmit, name="resubmit"),
    path("o/<int:org_id>/membership/status/new/", views.status_new, name="status_new"),
    path(
        "o/<int:org_id>/membership/incoming/<int:transfer_id>/receipt.docx",
        views.incoming_receipt,
        name="incoming_receipt",
    ),
    path("o/<int:org_id>/membership/people/<int:person_id>/", views.person, name="person"),
    path("o/<int:org_id>/membership/people/<int:person_id>/merit/", views.merit_new, name="merit_new"),
    path("o/<int:org_id>/membership/ask/", views.ask, name="ask"),
    path("o/<int:org_id>/membership/requests/<int:request_id>/", views.decline, name="decline"),
]
