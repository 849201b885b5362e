"""Pages of the partnerships context; included at the site root, so each path names its prefix."""

from django.urls import URLPattern, path

from . import views

app_name = "partnerships"
urlpatterns: list[URLPattern] = [
    path("case-studies/", views.case_study_list, name="case-studies"),
    path("case-studies/<slug:slug>/", views.case_study_detail, name="case-study"),
]
