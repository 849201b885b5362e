"""Pages of the money context; included at the site root, so each path names its prefix."""

from django.urls import URLPattern

app_name = "money"
urlpatterns: list[URLPattern] = []
