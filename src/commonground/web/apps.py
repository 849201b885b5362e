from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "commonground.web"
    label = "web"

    def ready(self) -> None:
        from . import stale_pages

        # Finished imports and link decisions make cached public pages stale (ADR 0012).
        stale_pages.connect_signals()
