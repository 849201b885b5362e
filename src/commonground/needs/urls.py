from django.urls import path

from . import appraisal_views, views

app_name = "needs"
urlpatterns = [
    path("needs/", views.need_list, name="list"),
    path("needs/new/", views.need_create, name="create"),
    path("needs/<int:pk>/", views.need_detail, name="detail"),
    path("needs/<int:pk>/edit/", views.need_edit, name="edit"),
    path("needs/<int:pk>/publish/", views.need_publish, name="publish"),
    path("needs/<int:pk>/interest/", views.interest_submit, name="interest"),
    path("needs/<int:pk>/questions/", views.question_ask, name="ask"),
    path(
        "needs/<int:pk>/questions/<int:question_id>/answer/",
        views.question_answer,
        name="answer",
    ),
    path("needs/<int:pk>/appraise/", appraisal_views.need_appraise, name="appraise"),
    path(
        "needs/<int:pk>/appraise/save/",
        appraisal_views.need_appraisal_save,
        name="appraisal-save",
    ),
    path(
        "appraisals/<int:appraisal_pk>/need/",
        appraisal_views.appraisal_link_need,
        name="link-appraisal",
    ),
    path("needs/<int:pk>/matches/", views.need_matches, name="matches"),
    path("needs/<int:pk>/respondents/", views.respondents, name="respondents"),
    path("needs/<int:pk>/shortlist/", views.attach_shortlist, name="attach-shortlist"),
    path(
        "needs/<int:pk>/respondents/<int:interest_id>/shortlist/",
        views.interest_shortlist,
        name="shortlist",
    ),
    path(
        "needs/<int:pk>/respondents/<int:interest_id>/invite/",
        views.interest_invite,
        name="invite",
    ),
]
