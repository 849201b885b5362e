from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "commonground.web"
    label = "web"

    def ready(self) -> None:
        from . import page_cache

        # Finished imports and link decisions make cached public pages stale (ADR 0012).
        page_cache.connect_signals()
