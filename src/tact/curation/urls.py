from django.urls import path

from . import views

app_name = "curation"
urlpatterns = [
    path("", views.home, name="home"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<int:campaign_id>/", views.campaign_detail, name="campaign"),
    path("campaigns/<int:campaign_id>/remind/", views.campaign_remind, name="campaign_remind"),
    path("campaigns/<int:campaign_id>/close/", views.campaign_close, name="campaign_close"),
    path("campaigns/<int:campaign_id>/reopen/", views.campaign_reopen, name="campaign_reopen"),
    path("campaigns/<int:campaign_id>/invite/", views.campaign_invite, name="campaign_invite"),
    path("campaigns/<int:campaign_id>/ranking/", views.ranking, name="ranking"),
    path("campaigns/<int:campaign_id>/score/", views.campaign_score, name="campaign_score"),
    path("campaigns/<int:campaign_id>/select/", views.campaign_select, name="campaign_select"),
    path("campaigns/<int:campaign_id>/import/", views.campaign_import, name="campaign_import"),
    path(
        "campaigns/<int:campaign_id>/one-pagers.<str:fmt>",
        views.campaign_export,
        name="campaign_export",
    ),
    path("form/<str:token>/", views.form_by_link, name="form"),
    path("one-pagers/<int:one_pager_id>/", views.one_pager_detail, name="one_pager"),
    path("one-pagers/<int:one_pager_id>/edit/", views.one_pager_edit, name="one_pager_edit"),
    path(
        "one-pagers/<int:one_pager_id>/transition/",
        views.one_pager_transition,
        name="one_pager_transition",
    ),
    path(
        "one-pagers/<int:one_pager_id>/comment/", views.one_pager_comment, name="one_pager_comment"
    ),
    path("one-pagers/<int:one_pager_id>/review/", views.one_pager_review, name="one_pager_review"),
    path(
        "one-pagers/<int:one_pager_id>/reviewers/",
        views.one_pager_reviewers,
        name="one_pager_reviewers",
    ),
    path("one-pagers/<int:one_pager_id>/field/", views.one_pager_field, name="one_pager_field"),
    path(
        "one-pagers/<int:one_pager_id>/versions/<int:version_id>/",
        views.version_diff,
        name="version",
    ),
    path("one-pagers/<int:one_pager_id>/compare/", views.compare, name="compare"),
]
