from django.apps import AppConfig


class MoneyConfig(AppConfig):
    name = "commonground.money"
    label = "money"
    verbose_name = "Money flows"

    def ready(self) -> None:
        from .linking import register_decision_callback

        register_decision_callback()
