from django.apps import AppConfig


class MoneyConfig(AppConfig):
    name = "commonground.money"
    label = "money"
    verbose_name = "Money flows"
