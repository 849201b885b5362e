"""Pages of the social_value context; included at the site root, so each path names its prefix."""

from django.urls import URLPattern

app_name = "social_value"
urlpatterns: list[URLPattern] = []
