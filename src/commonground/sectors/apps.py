from django.apps import AppConfig


class SectorsConfig(AppConfig):
    name = "commonground.sectors"
    label = "sectors"
    verbose_name = "Sector guide and glossary"

    def ready(self) -> None:
        # Validate the guide's files now, so invalid data stops the application starting (with
        # the file and field named) instead of failing the first page.
        from .catalogue import catalogue

        catalogue()
