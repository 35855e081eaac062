from django.urls import path

from zhibu.care import views

app_name = "care"
urlpatterns = [
    path("o/<int:org_id>/care/", views.index, name="index"),
    path("o/<int:org_id>/care/flags/", views.flags, name="flags"),
    path("o/<int:org_id>/care/flags/new/", views.flag_new, name="flag_new"),
    path("o/<int:org_id>/care/flags/<int:flag_id>/end/", views.flag_end, name="flag_end"),
    path("o/<int:org_id>/care/campaigns/", views.campaigns, name="campaigns"),
    path("o/<int:org_id>/care/campaigns/new/", views.campaign_new, name="campaign_new"),
    path("o/<int:org_id>/care/campaigns/<int:campaign_id>/", views.campaign, name="campaign"),
    path("o/<int:org_id>/care/campaigns/<int:campaign_id>/visit/", views.visit_new, name="visit_new"),
    path("o/<int:org_id>/care/campaigns/<int:campaign_id>/refresh/", views.campaign_refresh, name="campaign_refresh"),
    path("o/<int:org_id>/care/fifty/", views.fifty, name="fifty"),
    path("o/<int:org_id>/care/birthdays/", views.birthdays, name="birthdays"),
    path("o/<int:org_id>/care/birthdays/<int:person_id>/card.docx", views.card, name="card"),
    path("o/<int:org_id>/care/pairs/", views.pairs, name="pairs"),
    path("o/<int:org_id>/care/pairs/new/", views.pair_new, name="pair_new"),
    path("o/<int:org_id>/care/pairs/<int:pair_id>/", views.pair, name="pair"),
    path("o/<int:org_id>/care/pairs/<int:pair_id>/contact/", views.pair_contact, name="pair_contact"),
    path("o/<int:org_id>/care/pairs/<int:pair_id>/end/", views.pair_end, name="pair_end"),
    path("o/<int:org_id>/care/volunteer/", views.volunteer, name="volunteer"),
    path("o/<int:org_id>/care/volunteer/new/", views.activity_new, name="activity_new"),
    path("o/<int:org_id>/care/volunteer/<int:activity_id>/", views.activity, name="activity"),
    path("o/<int:org_id>/care/volunteer/<int:activity_id>/hours/", views.activity_hours, name="activity_hours"),
    path("o/<int:org_id>/care/posts/", views.posts, name="posts"),
    path("o/<int:org_id>/care/posts/new/", views.post_new, name="post_new"),
    path("o/<int:org_id>/care/posts/<int:post_id>/review/", views.post_review, name="post_review"),
    path("o/<int:org_id>/care/partners/", views.partners, name="partners"),
    path("o/<int:org_id>/care/partners/new/", views.partner_new, name="partner_new"),
    path("o/<int:org_id>/care/partners/<int:partner_id>/activity/", views.joint_new, name="joint_new"),
    path("o/<int:org_id>/care/ledger/<str:which>.xlsx", views.ledger, name="ledger"),
    path("o/<int:org_id>/care/district/", views.district, name="district"),
]
