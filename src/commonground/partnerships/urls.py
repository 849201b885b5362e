"""Pages of the partnerships context; included at the site root, so each path names its prefix."""

from django.urls import URLPattern, path

from . import appraisal_views, views

app_name = "partnerships"
urlpatterns: list[URLPattern] = [
    path("case-studies/", views.case_study_list, name="case-studies"),
    path("case-studies/<slug:slug>/", views.case_study_detail, name="case-study"),
    path("partnerships/", views.partnership_list, name="list"),
    path("partnerships/new/", views.partnership_create, name="create"),
    path("partnerships/<int:pk>/", views.partnership_detail, name="detail"),
    path("partnerships/<int:pk>/edit/", views.partnership_edit, name="edit"),
    path("partnerships/<int:pk>/stage/", views.partnership_stage, name="stage"),
    path("partnerships/<int:pk>/route/", views.partnership_route, name="route"),
    path(
        "appraisals/<int:appraisal_pk>/partnership/",
        appraisal_views.appraisal_link_partnership,
        name="link-appraisal",
    ),
    path("partnerships/<int:pk>/funding/", views.partnership_funding, name="funding"),
    path("partnerships/<int:pk>/members/add/", views.member_add, name="member-add"),
    path(
        "partnerships/<int:pk>/members/add-shortlist/",
        views.member_add_shortlist,
        name="member-add-shortlist",
    ),
    path(
        "partnerships/<int:pk>/invitations/<int:invitation_id>/withdraw/",
        views.invitation_revoke,
        name="invitation-revoke",
    ),
    # The token is signed (core.signed_links): letters, digits, "-", "_" and ":".
    path("partnerships/invitations/<str:token>/", views.invitation, name="invitation"),
    path(
        "partnerships/<int:pk>/members/<int:member_id>/leave/",
        views.member_leave,
        name="member-leave",
    ),
    path("partnerships/<int:pk>/milestones/add/", views.milestone_add, name="milestone-add"),
    path(
        "partnerships/<int:pk>/milestones/<int:milestone_id>/done/",
        views.milestone_done,
        name="milestone-done",
    ),
    path("partnerships/<int:pk>/documents/add/", views.document_add, name="document-add"),
    path(
        "partnerships/<int:pk>/documents/<int:document_id>/",
        views.document_download,
        name="document",
    ),
    path("partnerships/<int:pk>/health-check/", views.health_check, name="health-check"),
    path(
        "partnerships/<int:pk>/health-check/answer/",
        views.health_check_answer,
        name="health-check-answer",
    ),
    path(
        "partnerships/<int:pk>/health-check/open/",
        views.health_check_open,
        name="health-check-open",
    ),
    path(
        "partnerships/<int:pk>/health-check/close/",
        views.health_check_close,
        name="health-check-close",
    ),
]
