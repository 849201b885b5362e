from django.apps import AppConfig


class CommissioningConfig(AppConfig):
    name = "commonground.commissioning"
    label = "commissioning"
    verbose_name = "Commissioning routes"

    def ready(self) -> None:
        from commonground.core.data_rights import register_eraser, register_exporter

        from .data_rights import erase_addresses, export_appraisals

        register_exporter("commissioning", export_appraisals)
        register_eraser("commissioning", erase_addresses)

        # Validate the rules files now, so invalid rules stop the application starting (with
        # the file and field named) instead of failing the first appraisal.
        from .catalogue import rules

        rules()
