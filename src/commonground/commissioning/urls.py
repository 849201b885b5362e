"""Pages of the commissioning context; included at the site root, so each path names its prefix."""

from django.urls import path

from . import views

app_name = "commissioning"
urlpatterns = [
    path("routes/", views.route_list, name="routes"),
    path("routes/<slug:code>/", views.route_detail, name="route"),
    path("appraisals/", views.appraisal_list, name="appraisals"),
    path("appraisals/new/", views.start, name="start"),
    path("appraisals/new/check/", views.check, name="check"),
    path("appraisals/new/result/", views.result, name="result"),
    path("appraisals/new/record.pdf", views.result_pdf, name="result-pdf"),
    path("appraisals/new/record.docx", views.result_docx, name="result-docx"),
    path("appraisals/new/save/", views.save, name="save"),
    path("appraisals/new/<slug:field>/", views.question, name="question"),
    path("appraisals/<int:pk>/", views.appraisal_detail, name="appraisal"),
    path("appraisals/<int:pk>/record.pdf", views.appraisal_pdf, name="appraisal-pdf"),
    path("appraisals/<int:pk>/record.docx", views.appraisal_docx, name="appraisal-docx"),
    path("appraisals/<int:pk>/copy/", views.appraisal_copy, name="appraisal-copy"),
    path("appraisals/<int:pk>/reuse/", views.appraisal_reuse, name="appraisal-reuse"),
    path("appraisals/<int:pk>/share/", views.appraisal_share, name="appraisal-share"),
    path(
        "appraisals/<int:pk>/unshare/<int:user_id>/",
        views.appraisal_unshare,
        name="appraisal-unshare",
    ),
    path(
        "appraisals/<int:pk>/invitations/<int:invitation_id>/withdraw/",
        views.share_invitation_withdraw,
        name="share-withdraw",
    ),
    path("appraisals/shared/<str:token>/", views.share_invitation, name="share-invitation"),
    path("appraisals/<int:pk>/delete/", views.appraisal_delete, name="appraisal-delete"),
]
