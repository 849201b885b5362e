from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "commonground.engagement"
    label = "engagement"
    verbose_name = "Engagement"

    def ready(self) -> None:
        from commonground.core.data_rights import register_eraser, register_exporter

        from .data_rights import erase_addresses, export_engagement

        register_exporter("engagement", export_engagement)
        register_eraser("engagement", erase_addresses)
