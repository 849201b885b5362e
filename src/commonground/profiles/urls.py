from django.urls import path

from . import views

app_name = "profiles"

urlpatterns = [
    path("organisations/<str:org_id>/profile/edit", views.edit, name="edit"),
    path("organisations/<str:org_id>/profile/confirm", views.confirm, name="confirm"),
    path("organisations/<str:org_id>/profile/services/add", views.service_edit, name="service-add"),
    path(
        "organisations/<str:org_id>/profile/services/<uuid:service_id>",
        views.service_edit,
        name="service-edit",
    ),
    path(
        "organisations/<str:org_id>/profile/services/<uuid:service_id>/delete",
        views.service_delete,
        name="service-delete",
    ),
]
