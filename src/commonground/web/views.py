from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .selectors import home_counts


def home(request: HttpRequest) -> HttpResponse:
    place, counts = home_counts(settings.COMMONGROUND_DEMO_PLACE)
    return render(request, "web/home.html", {"place": place, "counts": counts})
