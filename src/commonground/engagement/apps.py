from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "commonground.engagement"
    label = "engagement"
    verbose_name = "Engagement"

    def ready(self) -> None:
        from commonground.core.data_rights import register_exporter

        from .data_rights import export_engagement

        register_exporter("engagement", export_engagement)
