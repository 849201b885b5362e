from django.apps import AppConfig


class CommissioningConfig(AppConfig):
    name = "commonground.commissioning"
    label = "commissioning"
    verbose_name = "Commissioning routes"
