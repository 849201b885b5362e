from django.urls import path

app_name = "sources"
urlpatterns: list = []
