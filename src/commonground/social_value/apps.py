from django.apps import AppConfig


class SocialValueConfig(AppConfig):
    name = "commonground.social_value"
    label = "social_value"
    verbose_name = "Social value"

    def ready(self) -> None:
        from commonground.core.data_rights import register_exporter

        from .data_rights import export

        register_exporter("social_value", export)
