"""Pages of the engagement context; included at the site root, so each path names its prefix."""

from django.urls import path

from . import views

app_name = "engagement"
urlpatterns = [
    path("conversations/", views.conversation_list, name="list"),
    path("conversations/new/", views.conversation_new, name="new"),
    path("conversations/<int:pk>/", views.conversation_detail, name="conversation"),
    path(
        "conversations/<int:pk>/participants/add/",
        views.participant_add,
        name="participant-add",
    ),
    path("conversations/<int:pk>/invitation/", views.invitation, name="invitation"),
    path("conversations/<int:pk>/statements/add/", views.statement_add, name="statement-add"),
    path("conversations/<int:pk>/import/", views.statements_import, name="import"),
    path("conversations/<int:pk>/upload/", views.document_upload, name="upload"),
    path(
        "conversations/<int:pk>/documents/<int:document_pk>/",
        views.document_download,
        name="document",
    ),
    path("conversations/<int:pk>/moderation/", views.moderation, name="moderation"),
    path("conversations/<int:pk>/analyse/", views.conversation_analyse, name="analyse"),
    path("conversations/<int:pk>/status/", views.conversation_status, name="status"),
    path("conversations/<int:pk>/alignment/", views.alignment, name="alignment"),
    path("conversations/<int:pk>/report.html", views.report_html, name="report-html"),
    path("conversations/<int:pk>/report.pdf", views.report_pdf, name="report-pdf"),
    path(
        "conversations/<int:pk>/shared-statements/draft/",
        views.shared_draft,
        name="shared-draft",
    ),
    path("conversations/<int:pk>/shared-statements/add/", views.shared_add, name="shared-add"),
    path("conversations/<int:pk>/label-reviews.csv", views.corrections_csv, name="corrections"),
    path("statements/<int:pk>/", views.statement_detail, name="statement"),
    path("shared-statements/<int:pk>/vote/", views.vote, name="vote"),
]
