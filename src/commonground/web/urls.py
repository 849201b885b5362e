from django.templatetags.static import static
from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    # Browsers ask for /favicon.ico whatever the page says; point them at the static file.
    path("favicon.ico", RedirectView.as_view(url=static("vendor/images/favicon.ico"))),
]
