"""The site's URL map: one include per bounded context."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from commonground.accounts.views import healthz
from commonground.api.urls import api

urlpatterns = [
    path("", include("commonground.web.urls")),
    path("organisations/", include("commonground.organisations.urls")),
    path("places/", include("commonground.places.urls")),
    path("data-sources/", include("commonground.sources.urls")),
    # These contexts name their own prefixes (routes/, appraisals/, money/, partnerships/, ...).
    path("", include("commonground.money.urls")),
    path("", include("commonground.commissioning.urls")),
    path("", include("commonground.partnerships.urls")),
    path("", include("commonground.profiles.urls")),
    path("", include("commonground.social_value.urls")),
    path("", include("commonground.engagement.urls")),
    path("", include("commonground.sectors.urls")),
    path("", include("commonground.needs.urls")),
    path("api/v1/", api.urls),
    path("account/", include("commonground.accounts.urls")),
    path("audit/", include("commonground.web.audit")),
    path("healthz", healthz, name="healthz"),
    # The admin signs in through the account pages, so lockout and two-factor apply there too.
    path("admin/login/", RedirectView.as_view(pattern_name="accounts:sign-in", query_string=True)),
    path("admin/", admin.site.urls),
]
