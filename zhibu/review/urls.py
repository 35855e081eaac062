from django.urls import path

from zhibu.review import views

app_name = "review"
P = "o/<int:org_id>/review/"
R = P + "<int:review_id>/"
urlpatterns = [
    path(P, views.index, name="index"),
    path(P + "new/", views.review_new, name="new"),
    path(P + "district/", views.district, name="district"),
    path(P + "district.xlsx", views.district_xlsx, name="district_xlsx"),
    path(R, views.detail, name="detail"),
    path(R + "edit/", views.review_edit, name="edit"),
    path(R + "steps/<str:code>/", views.step_edit, name="step"),
    path(R + "exclusions/", views.exclusions, name="exclusions"),
    path(R + "exclusions/<int:exclusion_id>/delete/", views.unexclude, name="unexclude"),
    path(R + "self/", views.self_assessment, name="self"),
    path(R + "self/<int:item_id>/file/", views.self_file, name="self_file"),
    path(R + "poll/", views.poll, name="poll"),
    path(R + "poll/issue/", views.issue, name="issue"),
    path(R + "poll/close/", views.close, name="close"),
    path(R + "poll/tally.xlsx", views.tally_xlsx, name="tally_xlsx"),
    path(R + "form.docx", views.form_blank, name="form_blank"),
    path(R + "form-filled.docx", views.form_filled, name="form_filled"),
    path(R + "grades/", views.grades, name="grades"),
    path(R + "finalise/", views.finalise, name="finalise"),
    path(R + "followups/<int:person_id>/", views.followup, name="followup"),
    path(R + "report.docx", views.report_docx, name="report"),
    path(R + "notice.docx", views.notice_docx, name="notice"),
    path("vote/<str:key>/", views.vote, name="vote"),
]
