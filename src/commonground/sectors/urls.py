"""The sector guide and glossary; included at the site root, so each path names its prefix."""

from django.urls import path

from . import views

app_name = "sectors"
urlpatterns = [
    path("sectors/", views.index, name="index"),
    path("sectors/<str:code>/", views.detail, name="detail"),
    path("glossary/", views.glossary, name="glossary"),
]
