"""Pages of the money context; included at the site root, so each path names its prefix."""

from django.urls import path

from . import flow_views, views

app_name = "money"
urlpatterns = [
    path("places/<str:gss_code>/profile/", views.place_profile, name="profile"),
    path("places/<str:gss_code>/profile.csv", views.place_profile_csv, name="profile-csv"),
    path("places/<str:gss_code>/profile.json", views.profile_json_download, name="profile-json"),
    path(
        "places/<str:gss_code>/community-wealth/",
        views.community_wealth_view,
        name="community-wealth",
    ),
    path(
        "places/<str:gss_code>/community-wealth.csv",
        views.community_wealth_download,
        {"fmt": "csv"},
        name="community-wealth-csv",
    ),
    path(
        "places/<str:gss_code>/community-wealth.xlsx",
        views.community_wealth_download,
        {"fmt": "xlsx"},
        name="community-wealth-xlsx",
    ),
    path("money/flows/", flow_views.flows_list, name="flows"),
    path("money/flows.csv", flow_views.flows_download, {"fmt": "csv"}, name="flows-csv"),
    path("money/flows.json", flow_views.flows_download, {"fmt": "json"}, name="flows-json"),
    path("money/flows/<int:pk>/", flow_views.flow_detail, name="flow"),
]
