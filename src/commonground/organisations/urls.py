from django.urls import path

from . import views

app_name = "organisations"
urlpatterns = [
    path("", views.search, name="search"),
    path("download.csv", views.download, name="download"),
    path("<str:org_id>/", views.detail, name="detail"),
]
