"""Pages of the engagement context; included at the site root, so each path names its prefix."""

from django.urls import URLPattern

app_name = "engagement"
urlpatterns: list[URLPattern] = []
