"""The site's URL map: one include per bounded context."""

from django.contrib import admin
from django.urls import include, path

from commonground.api.urls import api

urlpatterns = [
    path("", include("commonground.web.urls")),
    path("organisations/", include("commonground.organisations.urls")),
    path("places/", include("commonground.places.urls")),
    path("data-sources/", include("commonground.sources.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
