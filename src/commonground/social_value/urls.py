"""Pages of the social_value context; included at the site root, so each path names its prefix."""

from django.urls import URLPattern, path

from . import views

app_name = "social_value"
urlpatterns: list[URLPattern] = [
    path("social-value/frameworks/", views.frameworks, name="frameworks"),
    path("social-value/frameworks/import/", views.framework_import, name="framework-import"),
    path(
        "social-value/frameworks/<int:framework_id>/",
        views.framework_detail,
        name="framework",
    ),
    path("partnerships/<int:partnership_id>/social-value/", views.report, name="report"),
    path(
        "partnerships/<int:partnership_id>/social-value/report.csv",
        views.report_csv,
        name="report-csv",
    ),
    path(
        "partnerships/<int:partnership_id>/social-value/commitments/new/",
        views.commitment_new,
        name="commitment-new",
    ),
    path(
        "partnerships/<int:partnership_id>/social-value/commitments/<int:commitment_id>/"
        "deliveries/new/",
        views.delivery_new,
        name="delivery-new",
    ),
    path(
        "partnerships/<int:partnership_id>/social-value/deliveries/<int:delivery_id>/",
        views.delivery_detail,
        name="delivery",
    ),
    path(
        "partnerships/<int:partnership_id>/social-value/evidence/<int:evidence_id>/",
        views.evidence_download,
        name="evidence",
    ),
    path(
        "partnerships/<int:partnership_id>/social-value/statements/new/",
        views.statement_new,
        name="statement-new",
    ),
]
