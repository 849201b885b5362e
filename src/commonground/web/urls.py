from django.templatetags.static import static
from django.urls import path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from . import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    # Browsers ask for /favicon.ico whatever the page says; point them at the static file.
    # Lazy: the hashed name is only known after collectstatic, which runs after this is imported.
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("vendor/images/favicon.ico"))),
]
