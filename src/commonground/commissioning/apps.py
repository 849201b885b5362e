from django.apps import AppConfig


class CommissioningConfig(AppConfig):
    name = "commonground.commissioning"
    label = "commissioning"
    verbose_name = "Commissioning routes"

    def ready(self) -> None:
        from commonground.accounts.data_rights import register_exporter

        from .data_rights import export_appraisals

        register_exporter("commissioning", export_appraisals)
