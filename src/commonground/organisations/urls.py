from django.urls import path

from . import views
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
    path("<str:org_id>/", views.detail, name="detail"),
]
