from django.urls import path

from . import shortlist_views, views
from .linkage import views as linkage_views

app_name = "organisations"
urlpatterns = [
    path("", views.search, name="search"),
    path("download.csv", views.download, name="download"),
    # The linkage review queue (before <org_id>/, which would not match it, but reads clearer).
    path("linkage/reviews/", linkage_views.reviews, name="link-reviews"),
    path(
        "linkage/reviews/<int:pk>/<str:decision>/",
        linkage_views.review_decide,
        name="link-review-decide",
    ),
    # A person's shortlists (before <org_id>/, which "shortlists" would otherwise match).
    path("shortlists/", shortlist_views.shortlist_list, name="shortlists"),
    path("shortlists/<int:pk>/", shortlist_views.shortlist_detail, name="shortlist"),
    path(
        "shortlists/<int:pk>/shortlist.csv",
        shortlist_views.shortlist_download,
        name="shortlist-download",
    ),
    path(
        "shortlists/<int:pk>/remove/<int:entry_id>/",
        shortlist_views.shortlist_remove,
        name="shortlist-remove",
    ),
    path("shortlists/<int:pk>/delete/", shortlist_views.shortlist_delete, name="shortlist-delete"),
    path("<str:org_id>/save/", shortlist_views.shortlist_save, name="shortlist-save"),
    path("<str:org_id>/", views.detail, name="detail"),
]
