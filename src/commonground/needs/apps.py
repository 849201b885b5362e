"""Needs: what commissioners and funders intend, and the organisations that answer them."""

from django.apps import AppConfig


class NeedsConfig(AppConfig):
    name = "commonground.needs"
    label = "needs"
    verbose_name = "Needs"

    def ready(self) -> None:
        from commonground.core.data_rights import register_exporter

        from .data_rights import export

        # A person's data download includes the needs, interest and questions they entered.
        register_exporter("needs", export)
