"""Pages of the commissioning context; included at the site root, so each path names its prefix."""

from django.urls import URLPattern

app_name = "commissioning"
urlpatterns: list[URLPattern] = []
