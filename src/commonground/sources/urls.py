from django.urls import path

from . import views

app_name = "sources"
urlpatterns = [
    path("", views.source_list, name="list"),
    path("imports/<int:pk>/", views.run_detail, name="run"),
    path("<slug:code>/", views.dataset_detail, name="dataset"),
]
