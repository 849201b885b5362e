"""Places for tests (Trafford's real code unless told otherwise)."""

from __future__ import annotations

import factory

from commonground.places.models import Place


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place
        django_get_or_create = ("gss_code",)

    gss_code = "E08000009"
    name = "Trafford"
    kind = "local_authority"
