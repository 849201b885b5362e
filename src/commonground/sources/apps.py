from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "commonground.sources"
    label = "sources"
