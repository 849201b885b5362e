"""Needs: what commissioners and funders intend, and the organisations that answer them."""

from django.apps import AppConfig


class NeedsConfig(AppConfig):
    name = "commonground.needs"
    label = "needs"
    verbose_name = "Needs"
