"""Pages of the partnerships context; included at the site root, so each path names its prefix."""

from django.urls import URLPattern

app_name = "partnerships"
urlpatterns: list[URLPattern] = []
